from odoo import fields, models

ITEM_GROUPS = [
    ("equipment", "Equipment and site"),
    ("environment", "Room environment"),
    ("service", "Service parameters"),
]


class FsInspectionTemplateItem(models.Model):
    _name = "fs.inspection.template.item"
    _description = "Inspection template checklist item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "fs.inspection.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
    group = fields.Selection(ITEM_GROUPS, required=True, default="equipment")
