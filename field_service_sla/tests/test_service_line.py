from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestServiceLine(SlaCase):
    def test_cross_city_line_makes_an_important_customer(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Gold customer",
                "is_company": True,
                "customer_tier_id": self.gold.id,
            }
        )
        self.assertFalse(partner.is_important_customer)
        self.env["fs.service.line"].create(
            {
                "circuit_ref": "CC-1",
                "partner_id": partner.id,
                "cross_city": True,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.aa.id,
            }
        )
        self.assertTrue(partner.is_important_customer)
        self.assertTrue(self.customer.is_important_customer)  # diamond tier
        self.assertEqual(self.customer.service_line_count, 2)

    def test_import_reports_each_bad_row(self):
        fields = ["circuit_ref", "partner_id", "service_type_id", "assurance_level_id"]
        rows = [
            ["IMP-1", "Test Water Group", "Internet dedicated line", "AAA"],
            ["IMP-2", "Test Water Group", "Internet dedicated line", "AAAA"],
            ["T-AAA-1", "Test Water Group", "Internet dedicated line", "AA"],
        ]
        result = self.env["fs.service.line"].load(fields, rows)
        self.assertFalse(result["ids"])  # nothing half-imported
        by_row = {}
        for message in result["messages"]:
            by_row.setdefault(message["rows"]["from"], []).append(message["message"])
        self.assertIn("No matching record found for name 'AAAA'", " ".join(by_row[1]))
        self.assertIn("circuit ID is already used", " ".join(by_row[2]))
        self.assertNotIn(0, by_row)
        good = self.env["fs.service.line"].load(fields, rows[:1])
        self.assertEqual(len(good["ids"]), 1)

    def test_partner_import_reports_unknown_tier(self):
        result = self.env["res.partner"].load(
            ["name", "customer_tier_id"], [["Acme", "Gold"], ["Bogus", "Platinum"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(len(result["messages"]), 1)
        self.assertIn("Platinum", result["messages"][0]["message"])

    def test_circuit_is_unique_per_company_only(self):
        line = self._other_company_line("T-AAA-1")
        self.assertTrue(line)
        self.assertEqual(line.name, "T-AAA-1 Internet dedicated line")
