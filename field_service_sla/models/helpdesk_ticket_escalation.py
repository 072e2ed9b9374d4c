from odoo import api, fields, models
from odoo.exceptions import UserError

ESCALATION_LEVELS = [("city", "City"), ("province", "Province")]


class HelpdeskTicket(models.Model):
    """What escalation adds to the ticket: its level, when the sweep looks at
    it next, its history and the city's request button. The work is in
    fs.escalation.engine and fs.escalation.actions."""

    _inherit = "helpdesk.ticket"

    escalation_level = fields.Selection(
        ESCALATION_LEVELS,
        default="city",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # A new ticket is due for a look at once (the sweep finds what applies to
    # it); afterwards the engine stores the next time a step may fire, or
    # nothing when only an event can make one due.
    escalation_next_check = fields.Datetime(
        string="Next escalation check",
        default=fields.Datetime.now,
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    escalation_requested_date = fields.Datetime(
        string="Escalation requested", copy=False, readonly=True
    )
    escalation_fired_ids = fields.One2many(
        "fs.escalation.fired", "ticket_id", string="Escalation history", copy=False
    )
    escalation_fired_count = fields.Integer(compute="_compute_escalation_fired_count")

    @api.depends("escalation_fired_ids")
    def _compute_escalation_fired_count(self):
        for ticket in self:
            ticket.escalation_fired_count = len(ticket.escalation_fired_ids)

    @api.model_create_multi
    def create(self, vals_list):
        # new tickets are due by their default: the clock sync need not mark
        # them again (one UPDATE less per created batch)
        tickets = super(
            HelpdeskTicket, self.with_context(fs_escalation_new=True)
        ).create(vals_list)
        return tickets.with_env(self.env)

    def _fs_severity_changed(self, old_severities):
        result = super()._fs_severity_changed(old_severities)
        self.env["fs.escalation.engine"]._mark(self.ids)
        return result

    def action_request_province_escalation(self):
        """The city asks the province to take the ticket over: the ladders'
        "escalation requested" steps do it now."""
        if not self._sla_user_can_dispatch():
            raise UserError(self.env._("Only a dispatcher may request an escalation."))
        open_tickets = self.filtered(
            lambda t: not t.closed and t.escalation_level == "city"
        )
        if not open_tickets:
            raise UserError(
                self.env._(
                    "Only an open ticket still handled by the city can be escalated."
                )
            )
        now = fields.Datetime.now()
        open_tickets.sudo().with_context(fs_sla_no_sync=True).write(
            {"escalation_requested_date": now}
        )
        fired = self.env["fs.escalation.engine"]._escalate_now(open_tickets, now)
        missing = (
            open_tickets - fired.filtered(lambda f: f.trigger == "manual").ticket_id
        )
        if missing:
            raise UserError(
                self.env._(
                    "No active escalation ladder handles a request from the city "
                    "for %s: ask an SLA administrator to set one up.",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        return True
