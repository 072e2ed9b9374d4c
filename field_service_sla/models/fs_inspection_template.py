from odoo import fields, models

from .fs_customer_tier import SEGMENTS


class FsInspectionTemplate(models.Model):
    """What to check and measure on one kind of inspection: per segment and
    service type, copied into every inspection made from it."""

    _name = "fs.inspection.template"
    _description = "Inspection template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    segment = fields.Selection(SEGMENTS, required=True, default="enterprise")
    service_type_ids = fields.Many2many(
        "fs.service.type",
        string="Service types",
        help="Empty: any service type of the segment.",
    )
    max_minutes = fields.Integer(
        string="Time limit (min)",
        help="An inspection taking longer is flagged; 0: no limit. "
        "Home routine tests: 30 min.",
    )
    item_ids = fields.One2many(
        "fs.inspection.template.item", "template_id", string="Checklist", copy=True
    )
    reading_ids = fields.One2many(
        "fs.inspection.template.reading",
        "template_id",
        string="Measured readings",
        copy=True,
    )
    active = fields.Boolean(default=True)
