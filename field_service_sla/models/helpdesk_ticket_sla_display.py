from markupsafe import Markup

from odoo import api, fields, models

from .fs_sla_clock import hours


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
        "sla_clock_ids.state",
        "sla_clock_ids.deadline",
        "sla_clock_ids.reached_date",
    )
    def _compute_sla_summary(self):
        now = fields.Datetime.now()
        kinds = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        for ticket in self:
            clocks = ticket.sla_clock_ids
            # a running clock past its deadline is overdue before the sweep
            # marks it
            overdue = clocks.filtered(
                lambda c: (
                    c.deadline
                    and not c.reached_date
                    and (
                        c.state == "breached"
                        or c.state == "running"
                        and c.deadline < now
                    )
                )
            ).sorted("deadline")
            running = clocks.filtered(
                lambda c: c.state == "running" and c.deadline and c.deadline >= now
            ).sorted("deadline")
            if ticket.sla_state == "config_error":
                summary = self.env._("SLA configuration error")
            elif overdue:
                summary = self.env._(
                    "%(milestone)s: overdue by %(duration)s",
                    milestone=kinds[overdue[0].kind],
                    duration=self._sla_duration(now - overdue[0].deadline),
                )
            elif running:
                summary = self.env._(
                    "%(milestone)s: %(duration)s left",
                    milestone=kinds[running[0].kind],
                    duration=self._sla_duration(running[0].deadline - now),
                )
                late = clocks.filtered(lambda c: c.state == "breached")[:1]
                if late:  # reached late: the card is red, say why
                    summary = self.env._(
                        "%(next)s; %(milestone)s breached",
                        next=summary,
                        milestone=kinds[late.kind],
                    )
            elif ticket.sla_state == "breached":
                late = clocks.filtered(lambda c: c.state == "breached")[:1]
                summary = self.env._("%s breached", kinds[late.kind])
            elif ticket.sla_state == "paused":
                summary = self.env._("SLA paused")
            else:
                summary = False
            ticket.sla_summary = summary

    @api.model
    def _sla_duration(self, delta):
        """A compact wall-clock duration: 25 min, 1 h 20 min, 2 d 3 h."""
        minutes = max(0, round(hours(delta) * 60))
        days, minutes = divmod(minutes, 24 * 60)
        hrs, minutes = divmod(minutes, 60)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hrs)
        if hrs:
            return self.env._("%(hours)s h %(minutes)s min", hours=hrs, minutes=minutes)
        return self.env._("%s min", minutes)

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
