from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import fieldwork
from ..sla_core.fieldwork import FieldworkError


class FsAppointmentChange(models.Model):
    """One change of a field order's appointment: the log of who moved it,
    why, and with how much notice. Creating it moves the order's window."""

    _name = "fs.appointment.change"
    _inherit = ["fs.order.dialog.mixin"]
    _description = "Appointment change"
    _order = "change_date desc, id desc"

    order_id = fields.Many2one(
        "fsm.order", string="Field order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    change_date = fields.Datetime(
        "Changed on", required=True, default=fields.Datetime.now, readonly=True
    )
    old_start = fields.Datetime("Old start", readonly=True)
    old_end = fields.Datetime("Old end", readonly=True)
    new_start = fields.Datetime("New start", required=True)
    new_end = fields.Datetime("New end")
    caused_by = fields.Selection(
        [("customer", "Customer"), ("company", "Company")],
        string="Caused by",
        required=True,
        default="customer",
        help="Customer: verified with the customer. Company: the customer was told "
        "the reason and the new time.",
    )
    reason = fields.Char(required=True)
    short_notice = fields.Boolean(
        "Short notice",
        readonly=True,
        help="Company-caused with less than the required notice before the old "
        "appointment: it counts against the team.",
    )
    team_id = fields.Many2one(related="order_id.team_id", store=True)
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda s: s.env.user, readonly=True
    )

    @api.constrains("new_start", "new_end")
    def _check_window(self):
        for change in self:
            try:
                fieldwork.check_window(change.new_start, change.new_end)
            except FieldworkError as error:
                raise ValidationError(
                    self.env._("The new appointment window ends before it starts.")
                ) from error

    @api.model_create_multi
    def create(self, vals_list):
        by_id = self._fs_dialog_orders(vals_list)
        rules = self.env["fs.fieldwork.rules"]._rules()
        now = fields.Datetime.now()
        for vals in vals_list:
            order = by_id[vals["order_id"]]
            vals.update(
                change_date=now,
                old_start=order.fs_appointment_start,
                old_end=order.fs_appointment_end,
                user_id=self.env.uid,
                short_notice=fieldwork.short_notice(
                    vals.get("caused_by", "customer"),
                    now,
                    order.fs_appointment_start,
                    rules,
                ),
            )
        changes = super().create(vals_list)
        for change in changes:
            change.order_id.write(
                {
                    "fs_appointment_start": change.new_start,
                    "fs_appointment_end": change.new_end,
                }
            )
        changes.filtered(lambda c: c.caused_by == "customer")._pause_tickets()
        return changes

    def _pause_tickets(self):
        """The customer's wait for the new appointment is not the team's: the
        linked tickets' clocks that honour appointments pause until arrival."""
        reason = self.env.ref("field_service_sla.pause_reason_appointment")
        tickets = self.order_id.ticket_id.sudo().filtered(
            lambda t: (
                not t.restored_date
                and not t.sla_pause_ids.filtered(
                    lambda p: not p.end_date and p.reason_id == reason
                )
            )
        )
        if tickets:
            self.env["fs.sla.engine"]._pause(
                tickets, reason, self.env._("appointment changed by the customer")
            )
