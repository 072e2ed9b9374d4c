from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import fieldwork
from ..sla_core.fieldwork import FieldworkError

CHECK_IN_VERDICTS = [
    (fieldwork.EARLY, "Early"),
    (fieldwork.ON_TIME, "On time (5-10 min early)"),
    (fieldwork.JUST_IN_TIME, "Just in time"),
    (fieldwork.LATE, "Late, customer told"),
    (fieldwork.LATE_UNANNOUNCED, "Late without notice"),
]


class FsmOrder(models.Model):
    """Arrival on site: the check-in and its verdict against the
    appointment, the end of the appointment pauses, and the customer absent
    (from when the crew may leave a visit note)."""

    _inherit = "fsm.order"

    fs_arrival_date = fields.Datetime("Arrived", copy=False, tracking=True)
    fs_late_announced = fields.Boolean(
        "Customer told of the delay",
        copy=False,
        help="A late arrival the customer was told of in advance is not flagged.",
    )
    fs_check_in_verdict = fields.Selection(
        CHECK_IN_VERDICTS,
        string="Arrival",
        compute="_compute_fs_check_in_verdict",
        store=True,
    )
    fs_absent_allowed_from = fields.Datetime(
        "Customer absent from", compute="_compute_fs_absent_allowed_from"
    )
    fs_visit_note_ids = fields.One2many(
        "fs.visit.note", "order_id", string="Visit notes"
    )

    @api.depends("fs_arrival_date", "fs_appointment_start", "fs_late_announced")
    def _compute_fs_check_in_verdict(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_check_in_verdict = order.fs_arrival_date and (
                fieldwork.check_in_verdict(
                    order.fs_arrival_date,
                    order.fs_appointment_start,
                    order.fs_late_announced,
                    rules,
                )
            )

    @api.depends("fs_arrival_date", "fs_appointment_start")
    def _compute_fs_absent_allowed_from(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_absent_allowed_from = fieldwork.absent_allowed_from(
                order.fs_arrival_date, order.fs_appointment_start, rules
            )

    @api.constrains("fs_arrival_date", "fs_dispatch_date")
    def _check_fs_arrival(self):
        now = fields.Datetime.now() + timedelta(minutes=1)
        for order in self.filtered("fs_arrival_date"):
            try:
                fieldwork.check_check_in(
                    order.fs_arrival_date, order.fs_dispatch_date, now
                )
            except FieldworkError as error:
                message = (
                    self.env._(
                        "Order %(order)s: a check-in cannot be in the future "
                        "(%(arrival)s).",
                        order=order.name,
                        arrival=self._fs_fmt(order.fs_arrival_date),
                    )
                    if str(error) == "check_in_in_future"
                    else self.env._(
                        "Order %(order)s: a check-in (%(arrival)s) cannot be before "
                        "the order was dispatched (%(dispatch)s).",
                        order=order.name,
                        arrival=self._fs_fmt(order.fs_arrival_date),
                        dispatch=self._fs_fmt(order.fs_dispatch_date),
                    )
                )
                raise ValidationError(message) from error

    def _fs_end_appointment_pauses(self, when):
        """The customer's wait is over at arrival: end the appointment pauses
        the reschedules opened on the linked tickets."""
        reason = self.env.ref("field_service_sla.pause_reason_appointment")
        tickets = self.ticket_id.sudo()
        pauses = tickets.sla_pause_ids.filtered(
            lambda p: not p.end_date and p.reason_id == reason
        )
        if pauses:
            pauses.write({"end_date": max(when, max(pauses.mapped("start_date")))})
            tickets = pauses.ticket_id
            self.env["fs.sla.engine"]._sync(tickets, fields.Datetime.now())
            body = self.env._(
                "SLA clocks resumed: the crew arrived on site for the agreed "
                "appointment."
            )
            tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))

    def action_fs_check_in(self):
        now = fields.Datetime.now()
        orders = self.filtered(lambda o: not o.fs_arrival_date)
        orders.write({"fs_arrival_date": now})
        orders._fs_end_appointment_pauses(now)
        tickets = orders.ticket_id.sudo().filtered(lambda t: not t.on_site_date)
        if tickets:
            tickets.write({"on_site_date": now})

    def action_fs_customer_absent(self):
        self.ensure_one()
        return self._fs_dialog(
            "fs.visit.note",
            self.env._("Customer absent"),
            {"default_order_id": self.id},
        )
