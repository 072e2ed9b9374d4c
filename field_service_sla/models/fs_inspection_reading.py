from odoo import api, fields, models

from ..sla_core import inspection as core
from .fs_inspection_range_mixin import UNIT_SELECTION

VERDICTS = [
    (core.PENDING, "Not measured"),
    (core.OK, "In range"),
    (core.LOW, "Too low"),
    (core.HIGH, "Too high"),
]


class FsInspectionReading(models.Model):
    _name = "fs.inspection.reading"
    _inherit = ["fs.inspection.range.mixin"]
    _description = "Inspection measured reading"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "fs.inspection", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(translate=False)
    value = fields.Float(digits=(16, 2))
    measured = fields.Boolean(
        help="Set when a value is entered: 0 is a real measurement too."
    )
    verdict = fields.Selection(VERDICTS, compute="_compute_verdict", store=True)
    is_finding = fields.Boolean(
        string="Finding", compute="_compute_verdict", store=True
    )
    fixed_on_site = fields.Boolean(string="Fixed on site")
    fix_note = fields.Char(string="Fix on site")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "value" in vals:
                vals.setdefault("measured", True)
        return super().create(vals_list)

    def write(self, vals):
        if "value" in vals and "measured" not in vals:
            vals = dict(vals, measured=True)
        return super().write(vals)

    @api.onchange("value")
    def _onchange_value(self):
        self.measured = True

    @api.constrains("value", "measured", "unit")
    def _check_possible(self):
        for rec in self.filtered("measured"):
            try:
                core.check_possible(rec.unit, rec.value)
            except core.ImpossibleReading:
                raise rec._impossible_value_error(rec.value) from None

    @api.depends(
        "value", "measured", "unit", "has_min", "min_value", "has_max", "max_value"
    )
    def _compute_verdict(self):
        for rec in self:
            value = rec.value if rec.measured else None
            if value is not None and not core.UNITS[rec.unit].possible(value):
                # refused by the constraint above; never a verdict
                rec.verdict, rec.is_finding = core.PENDING, False
                continue
            rec.verdict = core.verdict(rec.unit, value, *rec._bounds())
            rec.is_finding = core.reading_is_finding(rec.verdict)

    def _finding_values(self):
        self.ensure_one()
        symbol = dict(UNIT_SELECTION)[self.unit]
        return {
            "inspection_id": self.inspection_id.id,
            "kind": "reading",
            "reading_id": self.id,
            "name": self.name,
            "detail": self.env._(
                "%(value)s %(unit)s, acceptable %(range)s",
                value=f"{self.value:g}",
                unit=symbol,
                range=self.range_display,
            ),
            "fixed_on_site": self.fixed_on_site,
            "fix_note": self.fix_note or False,
        }
