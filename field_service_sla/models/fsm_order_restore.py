from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sla_core import fieldwork


class FsmOrder(models.Model):
    """The restored time: stamped once when the result is Restored, with
    the repeated-fault flag and the end of the observation, and passed on to
    the linked tickets' restore milestone. Loaded before fsm_order.py, so that
    ``super(FsmOrder, order).write`` goes past the write of fsm_order.py and
    of the extensions loaded after it."""

    _inherit = "fsm.order"

    fs_restored_date = fields.Datetime("Restored", copy=False, readonly=True)
    fs_repeated_fault = fields.Boolean(
        "Repeated fault",
        copy=False,
        readonly=True,
        help="The same service line had another fault within the configured days "
        "before this one: the observation is longer.",
    )

    def _fs_check_result_change(self, result):
        """A restore, once recorded, stays: it set the ticket's restore time
        and started the observation."""
        if result != "restored" and self.filtered("fs_restored_date"):
            raise UserError(
                self.env._(
                    "The service was recorded as restored: the result stays "
                    "Restored (a new fault is a new ticket)."
                )
            )

    def _fs_restored(self, when):
        """Stamp the restore, decide the observation time (longer for a
        repeated fault) and reach the linked tickets' restore milestone."""
        orders = self.filtered(lambda o: not o.fs_restored_date)
        if not orders:
            return
        rules = self.env["fs.fieldwork.rules"]._rules()
        repeated = self._fs_repeated_faults(orders, rules)
        for order in orders:
            super(FsmOrder, order).write(
                {
                    "fs_restored_date": when,
                    "fs_repeated_fault": repeated[order.id],
                    "fs_observation_end": fieldwork.observation_end(
                        when, order.fs_segment, repeated[order.id], rules
                    ),
                }
            )
        tickets = orders.ticket_id.sudo().filtered(lambda t: not t.restored_date)
        if tickets:
            tickets.write({"restored_date": when})

    @api.model
    def _fs_repeated_faults(self, orders, rules):
        """Per order: is its ticket a repeated fault? The ticket's stored
        flag (helpdesk_ticket_fault), the one rule of the rates and filters:
        the same line had another fault within the tier's repeat window."""
        return {
            order.id: bool(order.ticket_id.sudo().fs_repeated_fault) for order in orders
        }
