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

    IMPORT_FIELDS = [
        "circuit_ref",
        "partner_id",
        "service_type_id",
        "assurance_level_id",
    ]
    IMPORT_ROWS = [
        ["IMP-1", "Test Water Group", "Internet dedicated line", "AAA"],
        ["IMP-2", "Test Water Group", "Internet dedicated line", "AAAA"],
        ["IMP-1", "Test Water Group", "Internet dedicated line", "AA"],
        ["T-AAA-1", "Test Water Group", "Internet dedicated line", "AA"],
    ]

    def test_import_reports_each_bad_row_as_the_sheet_numbers_it(self):
        result = self.env["fs.service.line"].load(
            self.IMPORT_FIELDS, self.IMPORT_ROWS
        )
        self.assertFalse(result["ids"])  # nothing half-imported
        by_index = {}
        for message in result["messages"]:
            by_index.setdefault(message["rows"]["from"], []).append(
                message["message"]
            )
        # the header is row 1: the second data row is row 3, and its unknown
        # level is one error, not also "missing required value"
        self.assertEqual(
            by_index[1],
            [
                "Row 3: No matching record found for name 'AAAA' in field "
                "'Assurance level'"
            ],
        )
        self.assertEqual(by_index[2], ["Circuit IMP-1 repeats row 2 of the file."])
        self.assertEqual(
            by_index[3],
            [
                "Circuit T-AAA-1 already exists in the database "
                "(customer Test Water Group)."
            ],
        )
        self.assertNotIn(0, by_index)
        good = self.env["fs.service.line"].load(
            self.IMPORT_FIELDS, self.IMPORT_ROWS[:1]
        )
        self.assertEqual(len(good["ids"]), 1)

    def test_import_screen_shows_the_sheet_rows(self):
        """The import screen prints a row's ``record`` beside its error and
        ``rows.from + 1`` under a column: both must be the sheet's row."""
        header = ",".join(["Circuit ID", "Customer", "Service type", "Level"])
        csv = "\n".join([header, *(",".join(r) for r in self.IMPORT_ROWS)])
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "fs.service.line",
                "file": csv.encode(),
                "file_name": "lines.csv",
                "file_type": "text/csv",
            }
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
        }
        result = wizard.execute_import(
            self.IMPORT_FIELDS, header.split(","), options, dryrun=True
        )
        shown = {
            (m.get("field"), m["record"], m["rows"]["from"] + 1)
            for m in result["messages"]
        }
        self.assertEqual(
            shown,
            {("assurance_level_id", 3, 3), (None, 4, 4), (None, 5, 5)},
        )
        self.assertFalse(
            self.env["fs.service.line"].search([("circuit_ref", "=", "IMP-2")])
        )

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
