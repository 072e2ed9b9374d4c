from odoo.tests import new_test_user, tagged

from .common import SlaCase

HEADER = ["Circuit ID", "Customer", "Service type", "Level", "Cross-city"]
FIELDS = [
    "circuit_ref",
    "partner_id",
    "service_type_id",
    "assurance_level_id",
    "cross_city",
]
# what the import screen sends: batches of 2,000 rows
SCREEN_OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "limit": 2000,
    "skip": 0,
}


@tagged("post_install", "-at_install")
class TestServiceLineImport(SlaCase):
    """A service-line file is checked whole and imported whole, or not at
    all, whatever the size; a malformed row is named."""

    def rows(self, count, prefix="BIG"):
        return [
            [f"{prefix}-{n}", "Test Water Group", "Internet dedicated line", "AA", ""]
            for n in range(count)
        ]

    def wizard(self, rows, header=HEADER, separator=","):
        text = "\n".join(separator.join(row) for row in [header, *rows])
        return self.env["base_import.import"].create(
            {
                "res_model": "fs.service.line",
                "file": text.encode(),
                "file_name": "lines.csv",
                "file_type": "text/csv",
            }
        )

    def run_import(self, rows, dryrun=False, fields=FIELDS, **options):
        wizard = self.wizard(rows)
        return wizard.execute_import(
            fields, HEADER, {**SCREEN_OPTIONS, **options}, dryrun=dryrun
        )

    def count(self, prefix="BIG"):
        return self.env["fs.service.line"].search_count(
            [("circuit_ref", "=like", f"{prefix}-%")]
        )

    def test_a_file_larger_than_a_batch_is_imported_in_one_call(self):
        result = self.run_import(self.rows(2500))
        self.assertEqual(result["messages"], [])
        self.assertEqual(len(result["ids"]), 2500)
        self.assertFalse(result["nextrow"])  # the screen sends no more batches
        self.assertEqual(self.count(), 2500)
        line = self.env["fs.service.line"].browse(result["ids"][-1])
        self.assertEqual(
            (line.circuit_ref, line.partner_id, line.assurance_level_id),
            ("BIG-2499", self.customer, self.aa),
        )

    def test_an_error_late_in_the_file_leaves_nothing_written(self):
        rows = self.rows(2500)
        rows[2400][3] = "AAAA"  # unknown level, sheet row 2402
        rows[2450][0] = "big-7"  # repeats BIG-7 (row 9), whatever the case
        rows[2460][4] = "maybe"
        result = self.run_import(rows)
        self.assertFalse(result["ids"])
        self.assertFalse(result["nextrow"])
        self.assertEqual(self.count(), 0)  # not even the first 2,000 rows
        shown = [
            (m.get("field"), m["record"], m["message"]) for m in result["messages"]
        ]
        self.assertEqual(
            shown,
            [
                (
                    "assurance_level_id",
                    2402,
                    "Row 2402: No Assurance level is named “AAAA”.",
                ),
                (None, 2452, "Circuit BIG-7 repeats row 9 of the file."),
                ("cross_city", 2462, "Row 2462: “maybe” is not yes or no."),
            ],
        )
        # the test run (dryrun) of the screen tells the same, over the file
        tested = self.run_import(rows, dryrun=True)
        self.assertEqual([m["record"] for m in tested["messages"]], [2402, 2452, 2462])

    def test_a_malformed_row_is_named(self):
        rows = self.rows(5)
        rows[3] = ["BIG-3", "Test Water Group"]  # cells lost: a stray quote
        for dryrun in (True, False):
            result = self.run_import(rows, dryrun=dryrun)
            self.assertFalse(result["ids"])
            self.assertEqual(len(result["messages"]), 1)
            message = result["messages"][0]["message"]
            self.assertIn("Row 5 has 2 cells where the header has 5", message)
            self.assertNotIn("index", message)
        self.assertEqual(self.count(), 0)

    def test_checking_costs_the_same_queries_for_any_number_of_rows(self):
        counts = []
        for size in (10, 10, 400):  # the first warms the caches
            wizard = self.wizard(self.rows(size))
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            result = wizard.execute_import(
                FIELDS, HEADER, dict(SCREEN_OPTIONS), dryrun=True
            )
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(result["messages"], [])
        self.assertEqual(counts[1], counts[2])

    def test_external_ids_and_database_ids(self):
        water = self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "__import__.test_water", "record": self.customer}]
        )
        del water
        rows = [["XID-1", "__import__.test_water", "1", "AA", "yes"]]
        fields = [
            "circuit_ref",
            "partner_id/id",
            "service_type_id/.id",
            "assurance_level_id",
            "cross_city",
        ]
        rows[0][2] = str(self.internet.id)
        result = self.run_import(rows, fields=fields)
        self.assertEqual(result["messages"], [])
        line = self.env["fs.service.line"].browse(result["ids"])
        self.assertEqual(
            (line.partner_id, line.service_type_id, line.cross_city),
            (self.customer, self.internet, True),
        )

    def test_other_columns_go_through_odoo_in_one_call(self):
        """A column the whole-file reader does not know (here the external ID
        of the new lines) goes through Odoo's load, still all at once."""
        rows = [[f"__import__.line_{n}", *row] for n, row in enumerate(self.rows(3))]
        rows[2][4] = "AAAA"
        header = ["ID", *HEADER]
        wizard = self.wizard(rows, header=header)
        result = wizard.execute_import(
            ["id", *FIELDS], header, {**SCREEN_OPTIONS, "limit": 2}
        )
        self.assertFalse(result["ids"])
        self.assertFalse(result["nextrow"])
        self.assertEqual(self.count(), 0)

    def test_an_id_the_user_may_not_read_is_unknown(self):
        other = self.env["res.company"].create({"name": "Hidden operator"})
        self.env["fs.service.line"].create(
            {
                "circuit_ref": "HID-1",
                "partner_id": self.env["res.partner"]
                .create({"name": "Hidden customer", "company_id": other.id})
                .id,
                "company_id": other.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.aa.id,
            }
        )
        manager = new_test_user(
            self.env,
            login="import_account_manager",
            groups="field_service_sla.group_fs_account_manager",
        )
        rows = [
            [
                "HID-1",
                "Test Water Group",
                "Internet dedicated line",
                "AA",
                str(other.id),
            ]
        ]
        header = [*HEADER[:4], "Company"]
        wizard = self.wizard(rows, header=header).with_user(manager)
        result = wizard.execute_import(
            [*FIELDS[:4], "company_id/.id"], header, dict(SCREEN_OPTIONS)
        )
        self.assertFalse(result["ids"])
        texts = " ".join(m["message"] for m in result["messages"])
        self.assertIn(f"No Company has the ID “{other.id}”", texts)
        self.assertNotIn("Hidden customer", texts)
