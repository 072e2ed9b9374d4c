"""The network an administrator imports from CSV with Odoo's import: the
elements, then the lines behind them. A row naming an unknown line or
element is named in an error, and nothing is imported."""

from odoo.tests import tagged

from .common import SlaCase
from .test_service_line_import import SCREEN_OPTIONS


@tagged("post_install", "-at_install")
class TestNetworkImport(SlaCase):
    def run_import(self, model, header, fields, rows):
        text = "\n".join(",".join(row) for row in [header, *rows])
        wizard = self.env["base_import.import"].create(
            {
                "res_model": model,
                "file": text.encode(),
                "file_name": "network.csv",
                "file_type": "text/csv",
            }
        )
        return wizard.execute_import(fields, header, SCREEN_OPTIONS)

    def import_elements(self, rows):
        return self.run_import(
            "fs.network.element",
            ["Name", "Kind", "Upstream element"],
            ["name", "kind", "upstream_id"],
            rows,
        )

    def import_mapping(self, rows):
        return self.run_import(
            "fs.network.mapping",
            ["Network element", "Port", "Service line"],
            ["element_id", "port", "service_line_id"],
            rows,
        )

    def test_elements_then_lines_behind_them(self):
        result = self.import_elements(
            [["CABLE-IMP-1", "cable", ""], ["OLT-IMP-1", "olt", "CABLE-IMP-1"]]
        )
        self.assertEqual(result["messages"], [])
        olt = self.env["fs.network.element"].search([("name", "=", "OLT-IMP-1")])
        self.assertEqual(olt.upstream_id.name, "CABLE-IMP-1")
        result = self.import_mapping(
            [["OLT-IMP-1", "1/1/1", "T-AAA-1"], ["OLT-IMP-1", "1/1/2", "T-AA-1"]]
        )
        self.assertEqual(result["messages"], [])
        self.assertEqual(
            olt.mapping_ids.mapped("service_line_id"), self.line_aaa | self.line_aa
        )

    def test_an_unknown_line_or_element_is_one_error_a_row_and_nothing_is_imported(
        self,
    ):
        self.import_elements([["OLT-IMP-2", "olt", ""]])
        result = self.import_mapping(
            [
                ["OLT-IMP-2", "1/1/1", "T-AAA-1"],
                ["OLT-NOWHERE", "1/1/2", "T-AA-1"],
                ["OLT-IMP-2", "1/1/3", "NO-SUCH-CIRCUIT"],
            ]
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(sorted(m["record"] for m in errors), [1, 2])
        self.assertIn("OLT-NOWHERE", errors[0]["message"] + errors[1]["message"])
        self.assertFalse(
            self.env["fs.network.mapping"].search(
                [("element_id.name", "=", "OLT-IMP-2")]
            )
        )

    def test_an_unknown_upstream_element_refuses_the_file(self):
        result = self.import_elements(
            [["OLT-IMP-3", "olt", ""], ["OLT-IMP-4", "olt", "CABLE-NOWHERE"]]
        )
        self.assertEqual([m["record"] for m in result["messages"]], [1])
        self.assertFalse(
            self.env["fs.network.element"].search([("name", "like", "OLT-IMP-")])
        )
