import importlib.util
import pathlib

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

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
        result = self.env["fs.service.line"].load(self.IMPORT_FIELDS, self.IMPORT_ROWS)
        self.assertFalse(result["ids"])  # nothing half-imported
        by_index = {}
        for message in result["messages"]:
            by_index.setdefault(message["rows"]["from"], []).append(message["message"])
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

    def _line(self, circuit_ref, **values):
        return self.env["fs.service.line"].create(
            {
                "circuit_ref": circuit_ref,
                "partner_id": self.customer.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.aa.id,
                **values,
            }
        )

    def test_circuits_are_stored_in_one_form(self):
        line = self._line("  tq-idl-100001 ")
        self.assertEqual(line.circuit_ref, "TQ-IDL-100001")
        line.circuit_ref = "tq  idl\u3000100002"
        self.assertEqual(line.circuit_ref, "TQ IDL 100002")
        # the same circuit in another case or spacing is the same circuit
        for typed in ("TQ IDL 100002", "tq idl 100002", " Tq  Idl 100002"):
            with self.subTest(typed=typed), self.assertRaises(IntegrityError):
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    self._line(typed)
        other = self._line("TQ-IDL-100003")
        with self.assertRaises(IntegrityError):
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                other.write({"circuit_ref": "tq idl 100002"})

    def test_a_circuit_is_found_whatever_the_case_typed(self):
        line = self._line("TQ-IDL-100001")
        Line = self.env["fs.service.line"]
        for domain in (
            [("circuit_ref", "=", "tq-idl-100001")],
            [("circuit_ref", "=", " Tq-Idl-100001  ")],
            [("circuit_ref", "in", ["tq-idl-100001", "x"])],
            [("circuit_ref", "like", "tq-idl-1000")],
            [("circuit_ref", "ilike", "tq-idl-1000")],
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Line.search(domain), line)
        self.assertNotIn(line, Line.search([("circuit_ref", "!=", "tq-idl-100001")]))
        self.assertIn(line.id, [r[0] for r in Line.name_search("tq-idl-100001")])
        # and a ticket by its line's circuit
        ticket = self._ticket(fields.Datetime.now(), line=line)
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                [("service_line_id.circuit_ref", "=", "tq-idl-100001")]
            ),
            ticket,
        )

    def test_the_import_normalises_and_finds_duplicates_in_any_case(self):
        self._line("TQ-IDL-100001")
        result = self.env["fs.service.line"].load(
            self.IMPORT_FIELDS,
            [
                ["tq-idl-100001", "Test Water Group", "Internet dedicated line", "AA"],
                [" imp-9 ", "Test Water Group", "Internet dedicated line", "AA"],
                ["IMP-9", "Test Water Group", "Internet dedicated line", "AA"],
            ],
        )
        self.assertFalse(result["ids"])
        texts = sorted(m["message"] for m in result["messages"])
        self.assertEqual(
            texts,
            [
                "Circuit IMP-9 repeats row 3 of the file.",
                "Circuit TQ-IDL-100001 already exists in the database "
                "(customer Test Water Group).",
            ],
        )
        good = self.env["fs.service.line"].load(
            self.IMPORT_FIELDS,
            [[" imp-9 ", "Test Water Group", "Internet dedicated line", "AA"]],
        )
        self.assertEqual(
            self.env["fs.service.line"].browse(good["ids"]).circuit_ref, "IMP-9"
        )

    def test_the_migration_normalises_and_reports_clashes(self):
        migration = _load_migration()
        kept = self._line("TQ-IDL-100001")
        clash = self._line("X-1")
        lone = self._line("X-2")
        self.env.flush_all()
        # as stored before the normalisation
        self.env.cr.execute(
            "UPDATE fs_service_line SET circuit_ref = %s WHERE id = %s",
            ["tq-idl-100001", clash.id],
        )
        self.env.cr.execute(
            "UPDATE fs_service_line SET circuit_ref = %s WHERE id = %s",
            ["  lp-x  9 ", lone.id],
        )
        with self.assertLogs(migration.__name__, "WARNING") as logs:
            clashes = migration.normalize_circuits(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual(
            [(ids, ref) for _company, ref, ids in clashes],
            [([kept.id, clash.id], "TQ-IDL-100001")],
        )
        self.assertIn("merge them by hand", logs.output[0])
        self.assertEqual(lone.circuit_ref, "LP-X 9")
        self.assertEqual(clash.circuit_ref, "tq-idl-100001")  # left for a person
        self.assertEqual(kept.circuit_ref, "TQ-IDL-100001")


def _load_migration():
    path = pathlib.Path(__file__).parents[1] / "migrations/19.0.1.3.0/post-migrate.py"
    spec = importlib.util.spec_from_file_location("fs_sla_migrate_19_0_1_3_0", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
