"""An SLA administrator imports the areas with their covering crew, and the
lines' areas, through Odoo's import: a row naming an unknown team or area
gives one error for that row and nothing is imported."""

from odoo.tests import tagged

from .dispatch_common import DispatchCase

OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
}


@tagged("post_install", "-at_install")
class TestDispatchImport(DispatchCase):
    def run_import(self, model, header, fields, rows):
        text = "\n".join(",".join(row) for row in [header, *rows])
        wizard = self.env["base_import.import"].create(
            {
                "res_model": model,
                "file": text.encode(),
                "file_name": "areas.csv",
                "file_type": "text/csv",
            }
        )
        return wizard.execute_import(fields, header, OPTIONS)

    def test_areas_with_their_team(self):
        header, fields = ["Name", "Covering team"], ["name", "fs_team_id"]
        result = self.run_import(
            "res.territory",
            header,
            fields,
            [["Beibei", "Own crew"], ["Fuling", "Contractor crew"], ["Tongnan", ""]],
        )
        self.assertEqual(result["messages"], [])
        areas = self.env["res.territory"].search(
            [("name", "in", ["Beibei", "Fuling", "Tongnan"])], order="name"
        )
        self.assertEqual(
            areas.mapped(lambda a: (a.name, a.fs_team_id.name)),
            [("Beibei", "Own crew"), ("Fuling", "Contractor crew"), ("Tongnan", False)],
        )

    def test_an_unknown_team_refuses_the_file(self):
        header, fields = ["Name", "Covering team"], ["name", "fs_team_id"]
        result = self.run_import(
            "res.territory",
            header,
            fields,
            [["Dazu", "Own crew"], ["Hechuan", "Ghost crew"], ["Jiangjin", "Nobody"]],
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(len(errors), 2, errors)  # one per bad row
        self.assertEqual(sorted(m["rows"]["from"] for m in errors), [1, 2])
        self.assertFalse(result["ids"])
        self.assertFalse(
            self.env["res.territory"].search([("name", "in", ["Dazu", "Hechuan"])])
        )

    def test_lines_with_their_area_and_an_unknown_area(self):
        header = ["Circuit ID", "Customer", "Service type", "Level", "Area"]
        fields = [
            "circuit_ref",
            "partner_id",
            "service_type_id",
            "assurance_level_id",
            "fs_area_id",
        ]
        row = ["IMP-{}", "Test Water Group", "Internet dedicated line", "AA", "{}"]

        def rows(*areas):
            return [
                [cell.format(n if i == 0 else area) for i, cell in enumerate(row)]
                for n, area in enumerate(areas)
            ]

        result = self.run_import(
            "fs.service.line", header, fields, rows("T-Liangping", "Nowhere", "Neverland")
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(len(errors), 2, errors)
        self.assertFalse(result["ids"])
        self.assertFalse(
            self.env["fs.service.line"].search([("circuit_ref", "=like", "IMP-%")])
        )
        result = self.run_import(
            "fs.service.line", header, fields, rows("T-Liangping", "T-Yuzhong")
        )
        self.assertEqual(result["messages"], [])
        lines = self.env["fs.service.line"].browse(result["ids"])
        self.assertEqual(lines.mapped("fs_area_id.name"), ["T-Liangping", "T-Yuzhong"])
