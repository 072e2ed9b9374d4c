from markupsafe import Markup

from odoo import api, fields, models

from ..sla_core import summary


class HelpdeskTicket(models.Model):
    """What people read about a ticket's SLA at a glance: which milestone is
    late or next on cards and lists, and before saving a new ticket, the
    policy and deadlines it will get."""

    _inherit = "helpdesk.ticket"

    sla_summary = fields.Char(
        string="SLA",
        compute="_compute_sla_summary",
        help="The breached milestone and how long it is overdue, or the next "
        "milestone and the time left.",
    )
    sla_preview_policy_id = fields.Many2one(
        "fs.sla.policy",
        string="Expected SLA policy",
        compute="_compute_sla_preview",
        help="The policy the ticket will get when saved.",
    )
    sla_preview = fields.Html(
        string="Expected deadlines",
        compute="_compute_sla_preview",
        sanitize=False,
    )

    @api.depends(
        "sla_state",
        "stage_id",
        "closed_date",
        "resolved_date",
        "last_stage_update",
        "sla_clock_ids.state",
        "sla_clock_ids.deadline",
        "sla_clock_ids.reached_date",
    )
    def _compute_sla_summary(self):
        now = fields.Datetime.now()
        kinds = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        _ = self.env._
        for ticket in self:
            what, kind, duration, late_kind = summary.ticket_headline(
                ticket.sla_clock_ids._sla_verdict_inputs(), now
            )
            if ticket.sla_state == "config_error" or what == summary.CONFIG_ERROR:
                text = _("SLA configuration error")
            elif what == summary.OVERDUE:
                text = _(
                    "%(milestone)s: overdue by %(duration)s",
                    milestone=kinds[kind],
                    duration=self._sla_duration(duration),
                )
            elif what == summary.LEFT:
                text = _(
                    "%(milestone)s: %(duration)s left",
                    milestone=kinds[kind],
                    duration=self._sla_duration(duration),
                )
                if late_kind:  # reached late: the card is red, say why
                    text = _(
                        "%(next)s; %(milestone)s breached",
                        next=text,
                        milestone=kinds[late_kind],
                    )
            elif what == summary.LATE:
                text = _(
                    "%(milestone)s breached by %(duration)s",
                    milestone=kinds[kind],
                    duration=self._sla_duration(duration),
                )
            elif what == summary.PAUSED:
                text = _("SLA paused")
            elif what == summary.ON_TIME:
                text = _("SLA met")
            else:
                text = False
            ticket.sla_summary = text

    def _sla_closed_at(self):
        """When the ticket closed, for a closed ticket: the instant its
        clocks stopped. None while it is open. helpdesk_mgmt stamps
        closed_date only when a ticket moves to a closed stage; resolved_date
        and the last stage change cover a ticket created closed. (Only the
        ticket's own fields: customers read this in the portal.)"""
        self.ensure_one()
        if not self.closed:
            return None
        return self.closed_date or self.resolved_date or self.last_stage_update

    @api.model
    def _sla_duration(self, delta):
        """A wall-clock duration as people write it, in the reader's
        language: 15 min, 1 h 20 min, 2 d 3 h."""
        return summary.format_duration(delta, self.env.lang)

    @api.depends(
        "service_line_id",
        "partner_id",
        "assurance_level_id",
        "priority",
        "team_id",
        "category_id",
        "company_id",
        "reported_date",
    )
    def _compute_sla_preview(self):
        engine = self.env["fs.sla.engine"]
        new = self.filtered(lambda t: not t._origin.id)
        (self - new).sla_preview_policy_id = False
        (self - new).sla_preview = False
        for ticket in new:
            policy, rows = engine._preview(ticket)
            ticket.sla_preview_policy_id = policy
            if not policy:
                ticket.sla_preview = Markup('<p class="text-muted">%s</p>') % (
                    self.env._("No SLA policy applies to this ticket.")
                )
                continue
            ticket.sla_preview = Markup(
                '<table class="table table-sm o_fs_sla_preview">'
                "<thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody>"
                "</table>"
            ) % (
                self.env._("Milestone"),
                self.env._("Deadline"),
                Markup("").join(
                    Markup("<tr><td>%s</td><td>%s</td></tr>") % row for row in rows
                ),
            )
