from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import DEFAULT_RATE_WINDOW_DAYS, DEFAULT_REPEAT_DAYS


class FsCustomerTier(models.Model):
    """A tier's periodic-visit cadence and the fault figures that call for an
    extra visit (sla_core.visits defines them)."""

    _inherit = "fs.customer.tier"

    visit_interval_days = fields.Integer(
        string="Visit every (days)",
        default=0,
        help="Days between two periodic visits to a customer of this tier; "
        "0: no periodic visits.",
    )
    rate_window_days = fields.Integer(
        string="Fault-rate window (days)",
        default=DEFAULT_RATE_WINDOW_DAYS,
        required=True,
        help="The fault rate and repeat-fault rate count the faults of the "
        "last this many days.",
    )
    repeat_window_days = fields.Integer(
        string="Repeated fault within (days)",
        default=DEFAULT_REPEAT_DAYS,
        required=True,
        help="A fault is repeated when the same service line had another "
        "fault within this many days before it.",
    )
    fault_rate_threshold = fields.Float(
        string="Visit above fault rate",
        digits=(16, 2),
        help="Faults per service line over the window above which a visit is "
        "due at once; 0: off.",
    )
    repeat_rate_threshold = fields.Float(
        string="Visit above repeat-fault rate",
        digits=(16, 2),
        help="Share of repeated faults (0 to 1) above which a visit is due at "
        "once; 0: off.",
    )

    @api.constrains(
        "visit_interval_days",
        "rate_window_days",
        "repeat_window_days",
        "fault_rate_threshold",
        "repeat_rate_threshold",
    )
    def _check_visit_figures(self):
        for tier in self:
            if (
                tier.visit_interval_days < 0
                or tier.rate_window_days < 1
                or tier.repeat_window_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: the visit interval and the repeated-fault "
                        "window are zero or more days, the fault-rate window at "
                        "least one day.",
                        tier=tier.name,
                    )
                )
            if tier.fault_rate_threshold < 0 or not (
                0 <= tier.repeat_rate_threshold <= 1
            ):
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: the fault-rate threshold is zero or more; "
                        "the repeat-fault rate threshold is a share between 0 "
                        "and 1 (0: off).",
                        tier=tier.name,
                    )
                )
