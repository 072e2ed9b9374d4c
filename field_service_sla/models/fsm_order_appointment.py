from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import fieldwork
from ..sla_core.fieldwork import FieldworkError

CONTACT_STATES = [
    (fieldwork.CONTACT_PENDING, "Running"),
    (fieldwork.CONTACT_MET, "Met"),
    (fieldwork.CONTACT_OVERDUE, "Overdue"),
    (fieldwork.CONTACT_LATE, "Contacted late"),
]


class FsmOrder(models.Model):
    """The appointment of a field order and the first contact: the
    first-contact clock started at dispatch, the agreed window and its
    changes (short-notice ones count against the team)."""

    _inherit = "fsm.order"

    fs_dispatch_date = fields.Datetime(
        "Dispatched",
        readonly=True,
        copy=False,
        help="When a worker was first assigned: the first-contact clock starts.",
    )
    fs_contact_date = fields.Datetime("Customer contacted", copy=False, tracking=True)
    fs_contact_deadline = fields.Datetime(
        "Contact deadline", compute="_compute_fs_contact_deadline", store=True
    )
    fs_contact_state = fields.Selection(
        CONTACT_STATES, string="First contact", compute="_compute_fs_contact_state"
    )
    fs_appointment_start = fields.Datetime(
        "Appointment from", copy=False, tracking=True
    )
    fs_appointment_end = fields.Datetime("Appointment until", copy=False, tracking=True)
    fs_priority_appointment = fields.Boolean(
        "Priority appointment",
        copy=False,
        tracking=True,
        help="A new appointment after the customer was absent: it goes first.",
    )
    fs_change_ids = fields.One2many(
        "fs.appointment.change", "order_id", string="Appointment changes"
    )
    fs_short_notice_count = fields.Integer(
        "Short-notice changes",
        compute="_compute_fs_short_notice_count",
        store=True,
        help="Company-caused changes with less than the required notice: they "
        "count against the team.",
    )

    @api.depends("fs_dispatch_date")
    def _compute_fs_contact_deadline(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_contact_deadline = fieldwork.contact_deadline(
                order.fs_dispatch_date, rules
            )

    @api.depends("fs_contact_deadline", "fs_contact_date")
    def _compute_fs_contact_state(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        now = fields.Datetime.now()
        for order in self:
            order.fs_contact_state = fieldwork.contact_state(
                order.fs_dispatch_date, order.fs_contact_date, now, rules
            )

    @api.depends("fs_change_ids.short_notice")
    def _compute_fs_short_notice_count(self):
        for order in self:
            order.fs_short_notice_count = len(
                order.fs_change_ids.filtered("short_notice")
            )

    @api.constrains("fs_appointment_start", "fs_appointment_end")
    def _check_fs_appointment_window(self):
        for order in self:
            try:
                fieldwork.check_window(
                    order.fs_appointment_start, order.fs_appointment_end
                )
            except FieldworkError as error:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: the appointment window ends "
                        "(%(end)s) before it starts (%(start)s).",
                        order=order.name,
                        end=self._fs_fmt(order.fs_appointment_end),
                        start=self._fs_fmt(order.fs_appointment_start),
                    )
                ) from error

    def action_fs_contacted(self):
        self.filtered(lambda o: not o.fs_contact_date).write(
            {"fs_contact_date": fields.Datetime.now()}
        )

    def action_fs_reschedule(self):
        self.ensure_one()
        return self._fs_dialog(
            "fs.appointment.change",
            self.env._("Change the appointment"),
            {
                "default_order_id": self.id,
                "default_new_start": self.fs_appointment_start,
                "default_new_end": self.fs_appointment_end,
            },
        )
