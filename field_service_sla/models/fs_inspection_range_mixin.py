from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import inspection as core

UNIT_SELECTION = [
    ("volt", "V"),
    ("celsius", "°C"),
    ("percent_rh", "% RH"),
    ("ohm", "Ω"),
    ("dbm", "dBm"),
    ("mbps", "Mbit/s"),
]


class FsInspectionRangeMixin(models.AbstractModel):
    """A measured quantity with a unit and an acceptable range whose bounds
    may each be open (Odoo floats cannot be empty, hence has_min/has_max)."""

    _name = "fs.inspection.range.mixin"
    _description = "Measured reading range"

    name = fields.Char(string="Reading", required=True, translate=True)
    sequence = fields.Integer(default=10)
    unit = fields.Selection(UNIT_SELECTION, required=True)
    has_min = fields.Boolean(string="Has minimum")
    min_value = fields.Float(string="Minimum", digits=(16, 2))
    has_max = fields.Boolean(string="Has maximum")
    max_value = fields.Float(string="Maximum", digits=(16, 2))
    range_display = fields.Char(string="Acceptable range", compute="_compute_range")

    def _bounds(self):
        return (
            self.min_value if self.has_min else None,
            self.max_value if self.has_max else None,
        )

    @api.depends("unit", "has_min", "min_value", "has_max", "max_value")
    def _compute_range(self):
        for rec in self:
            low, high = rec._bounds()
            symbol = dict(UNIT_SELECTION).get(rec.unit, "")
            if low is not None and high is not None:
                text = f"{low:g} – {high:g} {symbol}"
            elif low is not None:
                text = f"≥ {low:g} {symbol}"
            elif high is not None:
                text = f"≤ {high:g} {symbol}"
            else:
                text = ""
            rec.range_display = text

    @api.constrains("unit", "has_min", "min_value", "has_max", "max_value")
    def _check_range(self):
        for rec in self:
            low, high = rec._bounds()
            try:
                core.check_range(rec.unit, low, high)
            except core.InvalidRange:
                raise ValidationError(
                    self.env._(
                        "%(reading)s: the minimum %(min)s is above the maximum "
                        "%(max)s.",
                        reading=rec.name,
                        min=low,
                        max=high,
                    )
                ) from None
            except core.ImpossibleReading as error:
                raise rec._impossible_value_error(error.value) from None

    def _impossible_value_error(self, value):
        """The refusal of a value this record's unit cannot physically take."""
        self.ensure_one()
        return ValidationError(
            self.env._(
                "%(reading)s: %(value)s %(unit)s is not a possible value "
                "for this unit.",
                reading=self.name,
                value=value,
                unit=dict(UNIT_SELECTION)[self.unit],
            )
        )
