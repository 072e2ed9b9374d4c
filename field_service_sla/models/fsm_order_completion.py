from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sla_core import fieldwork


class FsmOrder(models.Model):
    """Completing a field order: not before the observation after the
    restore is over, and not without the three checks before leaving
    ("three don't leave")."""

    _inherit = "fsm.order"

    fs_observation_end = fields.Datetime("Observe until", copy=False, readonly=True)
    fs_observation_remaining = fields.Integer(
        "Observation left (min)", compute="_compute_fs_observation_remaining"
    )
    # --- "three don't leave" -------------------------------------------------
    fs_check_tested = fields.Boolean("Tested good", copy=False)
    fs_check_fixed = fields.Boolean("Defects fixed", copy=False)
    fs_check_explained = fields.Boolean("Anomalies explained", copy=False)

    @api.depends("fs_observation_end")
    def _compute_fs_observation_remaining(self):
        now = fields.Datetime.now()
        for order in self:
            order.fs_observation_remaining = fieldwork.remaining_minutes(
                order.fs_observation_end, now
            )

    def action_complete(self):
        self._fs_check_completion()
        return super().action_complete()

    def _fs_check_completion(self):
        now = fields.Datetime.now()
        for order in self:
            problems = fieldwork.completion_problems(
                order.fs_restored_date,
                order.fs_observation_end,
                [
                    order.fs_check_tested,
                    order.fs_check_fixed,
                    order.fs_check_explained,
                ],
                now,
                on_site=bool(
                    order.fs_arrival_date
                    or order.fs_work_result
                    or order.fs_restored_date
                ),
            )
            if "observing" in problems:
                raise UserError(
                    self.env._(
                        "Order %(order)s is under observation after the restore "
                        "until %(end)s (%(minutes)s min left): it cannot be "
                        "completed before.",
                        order=order.name,
                        end=self._fs_fmt(order.fs_observation_end),
                        minutes=fieldwork.remaining_minutes(
                            order.fs_observation_end, now
                        ),
                    )
                )
            if "checks" in problems:
                raise UserError(
                    self.env._(
                        "Order %s: tick the three checks before leaving (tested "
                        "good, defects fixed, anomalies explained).",
                        order.name,
                    )
                )
