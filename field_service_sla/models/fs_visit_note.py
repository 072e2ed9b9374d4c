from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core import fieldwork
from ..sla_core.fieldwork import FieldworkError


class FsVisitNote(models.Model):
    """The note left when the customer was absent (arrived, left, phone,
    contact). Recording it re-appoints the order with priority."""

    _name = "fs.visit.note"
    _inherit = ["fs.order.dialog.mixin"]
    _description = "Visit note (customer absent)"
    _order = "left_date desc, id desc"

    order_id = fields.Many2one(
        "fsm.order", string="Field order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    arrived_date = fields.Datetime("Arrived", readonly=True)
    left_date = fields.Datetime("Left", required=True, default=fields.Datetime.now)
    phone = fields.Char("Phone called", required=True)
    contact_name = fields.Char("Contact", required=True)
    note = fields.Text()
    next_start = fields.Datetime("Next appointment from", required=True)
    next_end = fields.Datetime("Next appointment until")
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda s: s.env.user, readonly=True
    )

    @api.constrains("next_start", "next_end")
    def _check_next_window(self):
        for visit in self:
            try:
                fieldwork.check_window(visit.next_start, visit.next_end)
            except FieldworkError as error:
                raise ValidationError(
                    self.env._("The next appointment window ends before it starts.")
                ) from error

    @api.model_create_multi
    def create(self, vals_list):
        rules = self.env["fs.fieldwork.rules"]._rules()
        now = fields.Datetime.now()
        by_id = self._fs_dialog_orders(vals_list)
        for vals in vals_list:
            order = by_id[vals["order_id"]]
            left = fields.Datetime.to_datetime(vals.get("left_date")) or now
            if left > now + timedelta(minutes=1):
                raise ValidationError(
                    self.env._("The time you left cannot be in the future.")
                )
            try:
                fieldwork.check_absent(
                    order.fs_arrival_date, order.fs_appointment_start, left, rules
                )
            except FieldworkError as error:
                raise UserError(self._fs_too_early(order, error, rules)) from error
            vals.update(arrived_date=order.fs_arrival_date, left_date=left)
        visits = super().create(vals_list)
        for visit in visits:
            # the next visit is a new arrival; the customer's absence moves
            # the appointment at the customer's cost
            visit.order_id.write(
                {
                    "fs_arrival_date": False,
                    "fs_late_announced": False,
                    "fs_priority_appointment": True,
                    "priority": "3",
                }
            )
            self.env["fs.appointment.change"].create(
                {
                    "order_id": visit.order_id.id,
                    "new_start": visit.next_start,
                    "new_end": visit.next_end,
                    "caused_by": "customer",
                    "reason": self.env._("Customer absent at the visit"),
                }
            )
        return visits

    @api.model
    def _fs_too_early(self, order, error, rules):
        """Why "customer absent" cannot be recorded yet: from when the wait
        counts and until when."""
        if str(error) == "absent_without_check_in":
            return self.env._(
                "Order %s: check in first; the wait for an absent customer "
                "counts from the arrival, or from the appointment start when "
                "you arrived before it.",
                order.name,
            )
        arrived, appointment = order.fs_arrival_date, order.fs_appointment_start
        values = {
            "order": order.name,
            "until": self._fs_fmt(
                fieldwork.absent_allowed_from(arrived, appointment, rules)
            ),
            "minutes": int(rules.absent_wait.total_seconds() // 60),
            "arrival": self._fs_fmt(arrived),
            "appointment": self._fs_fmt(appointment),
        }
        if fieldwork.absent_wait_start(arrived, appointment) != arrived:
            return self.env._(
                "Order %(order)s: wait for the customer until %(until)s before "
                "recording that the customer is absent: you arrived at "
                "%(arrival)s, before the appointment, so the %(minutes)s min "
                "wait counts from the appointment start at %(appointment)s.",
                **values,
            )
        return self.env._(
            "Order %(order)s: wait for the customer until %(until)s before "
            "recording that the customer is absent: the %(minutes)s min wait "
            "counts from your arrival at %(arrival)s.",
            **values,
        )

    @api.model
    def _fs_fmt(self, value):
        return self.env["fs.sla.engine"]._fmt(value)
