from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# A fault's severity (DOMAIN.md "Severity and escalation"), lowest first.
SEVERITIES = [("general", "General"), ("major", "Major"), ("severe", "Severe")]
SEVERITY_RANK = {code: rank for rank, (code, _label) in enumerate(SEVERITIES)}
# How far a fault reaches, as the dispatcher assesses it on the ticket.
IMPACT_SCOPES = [
    ("one_direction_down", "Fully down in one direction"),
    ("link_down_city", "Uplink or downlink fully down in a city"),
    ("gateway_unreachable", "Customer cannot reach the gateway"),
    ("all_apn_terminals", "All APN terminals of the local network down"),
    ("no_site_reachable", "Cannot reach any site"),
    ("service_unusable", "Service unusable"),
    ("all_users_city", "All users in a city cannot use the service"),
    ("partial", "Partial: some users or sites"),
]
SEVERITY_FIELDS = {"severity", "severity_excluded"}
# the dispatcher's assessment: technicians may not change it
SEVERITY_DISPATCH_FIELDS = SEVERITY_FIELDS | {"impact_scope"}
# what the outage rules read: changing it assesses the ticket again
ASSESS_FIELDS = {
    "impact_scope",
    "service_line_id",
    "partner_id",
    "reported_date",
    "restored_date",
    "stage_id",
    "company_id",
}
# what places a report among the complaints: changing it counts it again
AGGREGATE_FIELDS = {"service_line_id", "partner_id", "reported_date", "company_id"}


class HelpdeskTicket(models.Model):
    """The ticket's severity: what the classification rules, the complaint
    aggregation and the dispatcher decide, and what escalation ladders read.
    The rules themselves run in fs.severity.engine; the ticket logs every
    change (fs.severity.change) and tells the hook."""

    _inherit = "helpdesk.ticket"

    # not copied: a copy is a new fault, assessed anew (and logged)
    severity = fields.Selection(
        SEVERITIES,
        default="general",
        required=True,
        tracking=True,
        copy=False,
    )
    severity_excluded = fields.Boolean(
        string="Excluded from assessment",
        readonly=True,
        copy=False,
        tracking=True,
        help="Not our fault: the ticket stays visible but leaves the monthly figures.",
    )
    impact_scope = fields.Selection(
        IMPACT_SCOPES,
        string="Impact",
        tracking=True,
        copy=False,
        help="How far the fault reaches, as the dispatcher assessed it: with the "
        "service type, the customer and the line it decides which severity rule "
        "applies.",
    )
    severity_rule_id = fields.Many2one(
        "fs.severity.rule",
        string="Severity rule",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The outage rule that matches the ticket now.",
    )
    severity_pending = fields.Selection(
        SEVERITIES,
        string="Severity due",
        readonly=True,
        copy=False,
        help="The severity the matching rule gives the ticket at the due time "
        "unless service is restored first.",
    )
    # the minute cron's one indexed range scan reads this
    severity_due_date = fields.Datetime(
        string="Severity due at", readonly=True, copy=False, index="btree_not_null"
    )
    fs_city = fields.Char(
        string="City",
        compute="_compute_fs_city",
        store=True,
        help="The city of the service line's site, else of the customer: reports "
        "of one city count together.",
    )
    incident_id = fields.Many2one(
        "fs.incident",
        string="Incident",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The incident the complaint aggregation linked this report to.",
    )
    severity_change_ids = fields.One2many(
        "fs.severity.change", "ticket_id", string="Severity changes", copy=False
    )

    # the complaint aggregation looks the other reports of a batch's service
    # types and cities up around their time: index probes, not a table scan
    _fs_complaint_idx = models.Index(
        "(service_type_id, fs_city, reported_date) WHERE fs_city IS NOT NULL"
    )
    # Most tickets are general and counted: an index of every row would be
    # maintained on each new ticket (twice: its INSERT and the UPDATE of its
    # computed fields) and never chosen for those values. These hold only the
    # rare values the filters look for.
    _fs_severity_raised_idx = models.Index(
        "(severity) WHERE severity IN ('major', 'severe')"
    )
    _fs_severity_excluded_idx = models.Index("(id) WHERE severity_excluded")

    @api.depends(
        "service_line_id.location_id.city",
        "partner_id.commercial_partner_id.city",
    )
    def _compute_fs_city(self):
        for ticket in self:
            city = ticket.service_line_id.location_id.city or (
                ticket.partner_id.commercial_partner_id.city
            )
            ticket.fs_city = (city or "").strip() or False

    # ------------------------------------------------------------------
    # CRUD: every change of severity is checked, logged and told
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        raised = [
            v
            for v in vals_list
            if v.get("severity", "general") != "general" or v.get("severity_excluded")
        ]
        if raised or any(v.get("impact_scope") for v in vals_list):
            self._fs_check_severity_change(raised)
        tickets = super().create(vals_list)
        if raised:
            before = {
                t.id: ("general", False)
                for t in tickets
                if t.severity != "general" or t.severity_excluded
            }
            tickets.browse(list(before))._fs_log_severity(before)
        engine = self.env["fs.severity.engine"]
        engine._assess(tickets)
        engine._aggregate(tickets)
        return tickets

    def write(self, vals):
        touched = SEVERITY_FIELDS & set(vals)
        if self._fs_changes_any(SEVERITY_DISPATCH_FIELDS & set(vals), vals):
            self._fs_check_severity_change([vals])
        before = (
            {t.id: (t.severity, t.severity_excluded) for t in self} if touched else None
        )
        result = super().write(vals)
        if before:
            self._fs_log_severity(before)
        engine = self.env["fs.severity.engine"]
        assess = ASSESS_FIELDS & set(vals)
        if assess == {"stage_id"}:
            # closing drops what is pending, reopening may bring it back:
            # only tickets a rule matched can be concerned
            engine._assess(self.filtered("severity_rule_id"))
        elif assess:
            engine._assess(self)
        if AGGREGATE_FIELDS & set(vals):
            engine._aggregate(self.filtered(lambda t: not t.incident_id))
        return result

    def _fs_changes_any(self, names, vals):
        """Whether writing ``vals`` changes one of ``names`` on some ticket (a
        form saves unchanged values too)."""
        for name in names:
            new = vals[name]
            for ticket in self:
                if (ticket[name] or False) != (new or False):
                    return True
        return False

    def _fs_check_severity_change(self, vals_list):
        """Severity and exclusion are the dispatchers' call, with a reason;
        the engine (as superuser) and dispatchers may change them."""
        if not self._sla_user_can_dispatch():
            raise AccessError(
                self.env._(
                    "Only a dispatcher or a helpdesk manager may change the "
                    "severity of a ticket, its impact or its exclusion from "
                    "assessment. Ask a dispatcher."
                )
            )
        reason = (self.env.context.get("fs_severity_reason") or "").strip()
        for vals in vals_list:
            if vals.get("severity_excluded") and not reason:
                raise UserError(
                    self.env._(
                        "Give the reason why the ticket is excluded from "
                        "assessment: it leaves the monthly figures."
                    )
                )
            if "severity" in vals and not self.env.su:
                closed = self.filtered(
                    lambda t, new=vals["severity"]: t.closed and t.severity != new
                )
                if closed:
                    raise UserError(
                        self.env._(
                            "Ticket %(tickets)s is closed: its severity is final. "
                            "Reopen it to change the severity (its exclusion from "
                            "assessment can still change).",
                            tickets=", ".join(closed.mapped("display_name")),
                        )
                    )

    def _fs_log_severity(self, before):
        """Log the changes of severity and exclusion against ``before``
        ({id: (severity, excluded)}), in one create, and call the hook for
        the tickets whose severity changed."""
        context = self.env.context
        # only the engine (superuser) may say where a change comes from
        source = context.get("fs_severity_source") if self.env.su else None
        reason = (context.get("fs_severity_reason") or "").strip() or False
        rows, changed = [], {}
        for ticket in self:
            old, was_excluded = before[ticket.id]
            if ticket.severity != old:
                changed[ticket.id] = old
            elif ticket.severity_excluded == was_excluded:
                continue
            if ticket.severity_excluded != was_excluded:
                origin = "exclusion" if ticket.severity_excluded else "inclusion"
            else:
                origin = source or "dispatcher"
            rows.append(
                {
                    "ticket_id": ticket.id,
                    "source": origin,
                    "old_severity": old,
                    "new_severity": ticket.severity,
                    "excluded": ticket.severity_excluded,
                    "reason": reason,
                    "user_id": self.env.uid,
                    "rule_id": context.get("fs_severity_rule_id") if source else False,
                    "incident_id": (
                        context.get("fs_severity_incident_id") if source else False
                    ),
                }
            )
        if not rows:
            return
        self.env["fs.severity.change"].sudo().create(rows)
        if reason:
            note = Markup("<p>%s</p>") % self.env._("Severity: %s", reason)
            self.browse([r["ticket_id"] for r in rows])._message_log_batch(
                bodies=dict.fromkeys([r["ticket_id"] for r in rows], note)
            )
        if changed:
            self.browse(list(changed))._fs_severity_changed(changed)

    def _fs_severity_changed(self, old_severities):
        """Hook called once the severity of these tickets has changed, with
        {ticket id: previous severity}. Escalation extends it."""
        return True

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------
    def _fs_severity_wizard(self, action, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "fs.severity.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_ticket_ids": self.ids,
                "default_action": action,
            },
        }

    def action_fs_severity_raise(self):
        return self._fs_severity_wizard(
            "raise", self.env._("Raise to severe (cause unknown)")
        )

    def action_fs_severity_change(self):
        return self._fs_severity_wizard("set", self.env._("Change severity"))

    def action_fs_severity_exclude(self):
        return self._fs_severity_wizard(
            "exclude", self.env._("Exclude from assessment")
        )

    def action_fs_severity_include(self):
        return self._fs_severity_wizard("include", self.env._("Count again"))
