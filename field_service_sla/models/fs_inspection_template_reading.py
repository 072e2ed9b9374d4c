from odoo import fields, models


class FsInspectionTemplateReading(models.Model):
    _name = "fs.inspection.template.reading"
    _inherit = ["fs.inspection.range.mixin"]
    _description = "Inspection template reading"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "fs.inspection.template", required=True, ondelete="cascade", index=True
    )
