from odoo import api, fields, models

from ..sla_core import inspection as core
from .fs_inspection_template_item import ITEM_GROUPS

RESULTS = [
    (core.PASS, "Pass"),
    (core.FAIL, "Fail"),
    (core.NOT_APPLICABLE, "N/A"),
]


class FsInspectionItem(models.Model):
    _name = "fs.inspection.item"
    _description = "Inspection checklist item"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "fs.inspection", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    group = fields.Selection(ITEM_GROUPS, required=True, default="equipment")
    result = fields.Selection(RESULTS)
    note = fields.Char()
    photo = fields.Image(max_width=1024, max_height=1024, attachment=True)
    is_finding = fields.Boolean(
        string="Finding", compute="_compute_is_finding", store=True
    )
    fixed_on_site = fields.Boolean(string="Fixed on site")
    fix_note = fields.Char(string="Fix on site")

    @api.depends("result")
    def _compute_is_finding(self):
        for item in self:
            item.is_finding = core.item_is_finding(item.result or None)

    def _finding_values(self):
        self.ensure_one()
        return {
            "inspection_id": self.inspection_id.id,
            "kind": "item",
            "item_id": self.id,
            "name": self.name,
            "detail": self.note or False,
            "fixed_on_site": self.fixed_on_site,
            "fix_note": self.fix_note or False,
        }
