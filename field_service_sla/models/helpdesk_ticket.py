from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core import NoWorkingTime, ReachedBeforeStart, duration_excluding, read_clock
from .fs_customer_tier import SEGMENTS
from .fs_sla_clock import CLOCK_STATES, hours
from .resource_calendar import ScheduleCache

# changing these re-selects the policy and recomputes the open milestones
RECLASSIFY_FIELDS = {
    "service_line_id",
    "assurance_level_id",
    "priority",
    "team_id",
    "category_id",
    "partner_id",
    "company_id",
}
# changing these moves a clock's start or reach
EVENT_FIELDS = {
    "reported_date",
    "user_id",
    "assigned_date",
    "stage_id",
    "fault_confirmed_date",
    "first_contact_date",
    "diagnosis_date",
    "on_site_date",
    "restored_date",
    "resolved_date",
    "report_date",
}
TICKET_SLA_STATES = [("pending", "Not started"), *CLOCK_STATES[1:]]


def _differs(record, values):
    """Whether writing ``values`` would change ``record`` (ids for relations,
    False and None alike)."""
    for name, value in values.items():
        current = record[name]
        if isinstance(current, models.BaseModel):
            current = current.id
        if (current or None) != (value or None):
            return True
    return False


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        index="btree_not_null",
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    service_type_id = fields.Many2one(
        related="service_line_id.service_type_id", store=True, string="Service type"
    )
    customer_segment = fields.Selection(
        SEGMENTS, string="Segment", compute="_compute_customer", store=True
    )
    customer_tier_id = fields.Many2one(
        "fs.customer.tier",
        string="Customer tier",
        compute="_compute_customer",
        store=True,
        index="btree_not_null",
    )
    assurance_level_id = fields.Many2one(
        "fs.assurance.level",
        string="Assurance level",
        compute="_compute_assurance_level_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
    )
    reported_date = fields.Datetime(
        "Reported at",
        default=fields.Datetime.now,
        copy=False,
        tracking=True,
        help="When the customer reported the fault or the first alarm came in: "
        "the clocks started by the report count from here.",
    )
    fault_confirmed_date = fields.Datetime("Fault confirmed", copy=False, tracking=True)
    first_contact_date = fields.Datetime("First contact", copy=False, tracking=True)
    diagnosis_date = fields.Datetime("Preliminary diagnosis", copy=False, tracking=True)
    on_site_date = fields.Datetime("Arrived on site", copy=False, tracking=True)
    restored_date = fields.Datetime("Service restored", copy=False, tracking=True)
    resolved_date = fields.Datetime("Resolved", copy=False, tracking=True)
    report_date = fields.Datetime("Fault report submitted", copy=False, tracking=True)
    sla_policy_id = fields.Many2one(
        "fs.sla.policy", string="SLA policy", readonly=True, copy=False, index=True
    )
    sla_clock_ids = fields.One2many(
        "fs.sla.clock", "ticket_id", string="SLA milestones", copy=False
    )
    sla_pause_ids = fields.One2many(
        "fs.sla.pause", "ticket_id", string="SLA pauses", copy=False
    )
    # Both maintained in SQL from the clocks (see _sla_refresh_summary), so the
    # breach sweep can update them set-based.
    sla_state = fields.Selection(
        TICKET_SLA_STATES, string="SLA status", readonly=True, copy=False, index=True
    )
    sla_deadline = fields.Datetime(
        string="Next SLA deadline", readonly=True, copy=False, index=True
    )
    sla_paused = fields.Boolean(
        string="SLA paused", compute="_compute_sla_paused", search="_search_sla_paused"
    )
    sla_paused_by_hand = fields.Boolean(
        string="SLA paused by hand",
        compute="_compute_sla_paused",
        help="A pause opened with the Pause button is running: Resume ends it. "
        "A stage's pause ends when the ticket leaves the stage.",
    )
    sla_due_soon = fields.Boolean(
        string="SLA due within 1 h",
        compute="_compute_sla_due_soon",
        search="_search_sla_due_soon",
    )
    sla_urgency = fields.Selection(
        [("ok", "On track"), ("soon", "Due soon"), ("late", "Late")],
        compute="_compute_sla_due_soon",
    )
    restore_duration_hours = fields.Float(
        string="Restore duration",
        compute="_compute_restore_duration_hours",
        store=True,
        help="From the report to service restored, paused time excluded.",
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "service_line_id")
    def _compute_customer(self):
        for ticket in self:
            customer = (
                ticket.service_line_id.partner_id or ticket.partner_id
            ).commercial_partner_id
            ticket.customer_segment = customer.customer_segment or (
                customer.customer_tier_id.segment
            )
            ticket.customer_tier_id = customer.customer_tier_id

    @api.depends("service_line_id")
    def _compute_assurance_level_id(self):
        for ticket in self:
            ticket.assurance_level_id = (
                ticket.service_line_id.assurance_level_id or ticket.assurance_level_id
            )

    @api.depends("sla_pause_ids.end_date", "sla_pause_ids.origin")
    def _compute_sla_paused(self):
        for ticket in self:
            running = ticket.sla_pause_ids.filtered(lambda p: not p.end_date)
            ticket.sla_paused = bool(running)
            ticket.sla_paused_by_hand = any(p.origin == "manual" for p in running)

    def _search_sla_paused(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA paused."))
        domain = [("sla_pause_ids", "any", [("end_date", "=", False)])]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("sla_deadline", "sla_state")
    def _compute_sla_due_soon(self):
        soon = fields.Datetime.now() + timedelta(hours=1)
        for ticket in self:
            ticket.sla_due_soon = bool(
                ticket.sla_deadline and ticket.sla_deadline <= soon
            )
            if ticket.sla_state == "breached":
                ticket.sla_urgency = "late"
            elif ticket.sla_due_soon:
                ticket.sla_urgency = "soon"
            else:
                ticket.sla_urgency = "ok"

    def _search_sla_due_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA due soon."))
        soon = fields.Datetime.now() + timedelta(hours=1)
        domain = [("sla_deadline", "!=", False), ("sla_deadline", "<=", soon)]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends(
        "reported_date",
        "create_date",
        "restored_date",
        "sla_pause_ids.start_date",
        "sla_pause_ids.end_date",
        "sla_pause_ids.origin",
    )
    def _compute_restore_duration_hours(self):
        for ticket in self:
            pauses = [
                (p.start_date, p.end_date)
                for p in ticket.sla_pause_ids
                if p.origin != "closed"
            ]
            ticket.restore_duration_hours = hours(
                duration_excluding(
                    ticket.reported_date or ticket.create_date,
                    ticket.restored_date,
                    pauses,
                )
            )

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("service_line_id", "company_id")
    def _check_service_line_company(self):
        for ticket in self:
            line = ticket.service_line_id
            if line and line.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Service line %(line)s belongs to %(line_company)s, not to "
                        "the ticket's company %(company)s.",
                        line=line.display_name,
                        line_company=line.company_id.name,
                        company=ticket.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.onchange("service_line_id")
    def _onchange_service_line_id(self):
        if self.service_line_id:
            self.update(self._customer_values(self.service_line_id.partner_id))

    @api.model
    def _customer_values(self, partner):
        """What helpdesk_mgmt's partner onchange fills, for the line's customer."""
        return {
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
        }

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["fs.service.line"].browse(
            [v["service_line_id"] for v in vals_list if v.get("service_line_id")]
        )
        customer_of_line = {line.id: line.partner_id for line in lines}
        for vals in vals_list:
            if vals.get("service_line_id") and not vals.get("partner_id"):
                vals.update(
                    self._customer_values(customer_of_line[vals["service_line_id"]])
                )
        tickets = super().create(vals_list)
        now = fields.Datetime.now()
        tickets._sla_follow_stage(dict.fromkeys(tickets.ids, False), now)
        tickets._sla_sync(now, reselect=True)
        return tickets

    def write(self, vals):
        if self.env.context.get("fs_sla_no_sync"):
            return super().write(vals)
        if vals.get("service_line_id") and "partner_id" not in vals:
            line = self.env["fs.service.line"].browse(vals["service_line_id"])
            vals = {**self._customer_values(line.partner_id), **vals}
        was_closed = {t.id: t.closed for t in self} if "stage_id" in vals else None
        before = self.sudo()._sla_snapshot() if RECLASSIFY_FIELDS & set(vals) else None
        result = super().write(vals)
        now = fields.Datetime.now()
        if was_closed is not None:
            self._sla_follow_stage(was_closed, now)
        if (RECLASSIFY_FIELDS | EVENT_FIELDS) & set(vals):
            self._sla_sync(now, before=before, reselect=before is not None)
        return result

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------
    def _sla_stamp(self, field):
        now = fields.Datetime.now()
        self.filtered(lambda t: not t[field]).write({field: now})

    def action_sla_contacted(self):
        self._sla_stamp("first_contact_date")

    def action_sla_confirm_fault(self):
        self._sla_stamp("fault_confirmed_date")

    def action_sla_on_site(self):
        self._sla_stamp("on_site_date")

    def action_sla_restored(self):
        self._sla_stamp("restored_date")

    def action_sla_pause(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause SLA clocks"),
            "res_model": "fs.sla.pause.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_sla_resume(self):
        self.sla_pause_ids.filtered(
            lambda p: not p.end_date and p.origin == "manual"
        ).sudo().write({"end_date": fields.Datetime.now()})
        self._sla_sync()

    def _sla_pause(self, reason, note=False):
        now = fields.Datetime.now()
        self.env["fs.sla.pause"].sudo().create(
            [
                {
                    "ticket_id": t.id,
                    "reason_id": reason.id,
                    "note": note,
                    "start_date": now,
                }
                for t in self
            ]
        )
        self._sla_sync(now)

    # ------------------------------------------------------------------
    # SLA engine: turns records into core inputs and stores the answers
    # ------------------------------------------------------------------
    def _sla_facts(self):
        return {
            "segment": self.customer_segment,
            "tier": self.customer_tier_id.id,
            "level": self.assurance_level_id.id,
            "service_type": self.service_type_id.id,
            "team": self.team_id.id,
            "category": self.category_id.id,
            "priority": self.priority,
        }

    def _sla_snapshot(self):
        return {
            t.id: {
                "policy": t.sla_policy_id,
                "deadlines": {c.kind: c.deadline for c in t.sla_clock_ids},
            }
            for t in self
        }

    def _sla_pause_periods(self, milestone):
        """The pauses that stop ``milestone``'s clock on this ticket."""
        reasons = milestone.pause_reason_ids
        return [
            (p.start_date, p.end_date or None)
            for p in self.sla_pause_ids
            if p.reason_id in reasons
            or (p.reason_id.stops_all_clocks and milestone.start_event != "close")
        ]

    def _sla_start(self, event):
        if event == "create":
            return self.reported_date or self.create_date
        if event == "assign":
            return self.assigned_date
        if event == "confirm":
            return self.fault_confirmed_date
        # helpdesk_mgmt stamps closed_date only when a ticket moves to a closed
        # stage, not when it is created closed; resolved_date covers both.
        return (self.closed_date or self.resolved_date) if self.closed else None

    def _sla_reached(self, milestone, clock, now):
        if milestone.reach_type == "field":
            return self[milestone.reach_field]
        if clock and clock.reached_date:
            return clock.reached_date
        return now if self.stage_id in milestone.reach_stage_ids else None

    def _sla_sync(self, now=None, before=None, reselect=False):
        """Bring the tickets' clocks up to date, for a whole batch at once: one
        policy search, one calendar fetch per calendar and chunk, one create
        for all new clocks, one summary UPDATE.

        A ticket's policy is chosen when it is created and when it is
        reclassified (``reselect``); other events keep the policy it has, so
        an administrator's change of conditions never switches an open ticket
        behind its users' backs.
        """
        now = now or fields.Datetime.now()
        tickets = self.sudo().with_context(fs_sla_no_sync=True, tracking_disable=True)
        policies = reselect and self.env["fs.sla.policy"]._sla_policy_set()
        schedules = ScheduleCache(self.env)
        clocks = self.env["fs.sla.clock"].sudo()
        new_clocks, obsolete, policy_changes = [], clocks, {}
        for ticket in tickets:
            policy = (
                policies.match(ticket.company_id.id, ticket._sla_facts())
                if reselect
                else ticket.sla_policy_id
            )
            if policy != ticket.sla_policy_id:
                policy_changes.setdefault(policy.id if policy else False, []).append(
                    ticket.id
                )
            existing = {c.kind: c for c in ticket.sla_clock_ids}
            for milestone in policy.milestone_ids if policy else ():
                clock = existing.pop(milestone.kind, None)
                reached = ticket._sla_reached(milestone, clock, now)
                if clock and clock.reached_date and clock.reached_date == reached:
                    continue  # a reached milestone keeps its verdict
                values = ticket._sla_clock_values(milestone, reached, schedules, now)
                if clock is None:
                    new_clocks.append(values)
                elif _differs(clock, values):
                    clock.write(values)
            obsolete |= clocks.concat(
                *(c for c in existing.values() if not c.reached_date)
            )
        obsolete.unlink()
        clocks.create(new_clocks)
        for policy_id, ids in policy_changes.items():
            tickets.browse(ids).write({"sla_policy_id": policy_id})
        self._sla_refresh_summary(self.ids)
        if before:
            tickets._sla_post_recompute(before)

    def _sla_clock_values(self, milestone, reached, schedules, now):
        start = self._sla_start(milestone.start_event)
        try:
            reading = read_clock(
                schedules.get(milestone.calendar_id.id),
                start,
                milestone.target,
                now,
                self._sla_pause_periods(milestone),
                reached if start else None,
            )
        except ReachedBeforeStart as error:
            raise ValidationError(
                self.env._(
                    "Ticket %(ticket)s: milestone %(milestone)s cannot be reached at "
                    "%(reached)s, before its clock started at %(start)s.",
                    ticket=self.display_name,
                    milestone=milestone.display_name,
                    reached=reached,
                    start=start,
                )
            ) from error
        except NoWorkingTime as error:
            raise UserError(
                self.env._(
                    "Calendar %s has no working time left: the SLA deadline would "
                    "never come.",
                    milestone.calendar_id.display_name,
                )
            ) from error
        return {
            "ticket_id": self.id,
            "policy_id": milestone.policy_id.id,
            "milestone_id": milestone.id,
            "sequence": milestone.sequence,
            "kind": milestone.kind,
            "start_event": milestone.start_event,
            "target_hours": milestone.target_hours,
            "calendar_id": milestone.calendar_id.id,
            "start_date": start,
            "reached_date": reached if start else None,
            "deadline": reading.deadline,
            "state": reading.state,
            "paused_hours": hours(reading.paused),
            "margin_hours": hours(reading.remaining),
        }

    @api.model
    def _sla_refresh_summary(self, ticket_ids):
        """Ticket SLA status and next deadline, derived from the clocks in one
        set-based UPDATE (used after every sync and by the breach sweep)."""
        if not ticket_ids:
            return
        self.env["fs.sla.clock"].flush_model()
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t
               SET sla_state = s.state, sla_deadline = s.next_deadline
              FROM (
                SELECT tk.id,
                       MIN(c.deadline) FILTER (WHERE c.state = 'running')
                           AS next_deadline,
                       CASE WHEN bool_or(c.state = 'breached') THEN 'breached'
                            WHEN bool_or(c.state = 'running') THEN 'running'
                            WHEN bool_or(c.state = 'paused') THEN 'paused'
                            WHEN bool_or(c.state = 'met') THEN 'met'
                            WHEN bool_or(c.state = 'pending') THEN 'pending'
                       END AS state
                  FROM helpdesk_ticket tk
             LEFT JOIN fs_sla_clock c ON c.ticket_id = tk.id
                 WHERE tk.id = ANY(%s)
              GROUP BY tk.id
              ) s
             WHERE t.id = s.id
               AND (t.sla_state IS DISTINCT FROM s.state
                    OR t.sla_deadline IS DISTINCT FROM s.next_deadline)
            """,
            (list(ticket_ids),),
        )
        self.browse(ticket_ids).invalidate_recordset(["sla_state", "sla_deadline"])

    def _sla_follow_stage(self, was_closed, now):
        """Open and close the pauses that stages imply: a pausing stage pauses
        with its reason; closing pauses every clock; reopening resumes them and
        un-reaches what the closing had reached."""
        Pause = self.env["fs.sla.pause"].sudo()
        closed_reason = self.env.ref("field_service_sla.pause_reason_ticket_closed")
        to_open, to_end, reopened = [], Pause, self.browse()
        for ticket in self.sudo():
            open_pauses = ticket.sla_pause_ids.filtered(lambda p: not p.end_date)
            stage_pauses = open_pauses.filtered(lambda p: p.origin == "stage")
            stage_reason = ticket.stage_id.sla_pause_reason_id
            to_end |= stage_pauses.filtered(lambda p, r=stage_reason: p.reason_id != r)
            if stage_reason and stage_reason not in stage_pauses.reason_id:
                to_open.append((ticket, stage_reason, "stage"))
            if ticket.closed and not was_closed.get(ticket.id):
                to_open.append((ticket, closed_reason, "closed"))
            elif not ticket.closed and was_closed.get(ticket.id):
                closing = open_pauses.filtered(lambda p: p.origin == "closed")
                to_end |= closing
                reopened |= ticket
                since = min(closing.mapped("start_date"), default=ticket.closed_date)
                ticket.sla_clock_ids.filtered(
                    lambda c, since=since: (
                        c.reached_date
                        and since
                        and c.reached_date >= since
                        and c.milestone_id.reach_type == "stage"
                    )
                ).write({"reached_date": False})
        to_end.write({"end_date": now})
        Pause.create(
            [
                {
                    "ticket_id": t.id,
                    "reason_id": r.id,
                    "origin": o,
                    "start_date": now,
                    "user_id": self.env.uid,
                }
                for t, r, o in to_open
            ]
        )
        resolving = self.filtered(
            lambda t: (
                t.closed
                and not was_closed.get(t.id)
                and t.stage_id.sla_resolves
                and not t.resolved_date
            )
        )
        resolving.with_context(fs_sla_no_sync=True).write({"resolved_date": now})
        reopened.with_context(fs_sla_no_sync=True).write({"resolved_date": False})
        for ticket in reopened:
            ticket._message_log(
                body=self.env._(
                    "Ticket reopened: its SLA clocks resume where they stopped."
                )
            )

    def _sla_post_recompute(self, before):
        labels = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        for ticket in self:
            old = before.get(ticket.id)
            if not old:
                continue
            rows = []
            for clock in ticket.sla_clock_ids:
                previous = old["deadlines"].get(clock.kind)
                if previous != clock.deadline:
                    rows.append(
                        Markup("<li>%s: %s → %s</li>")
                        % (
                            labels.get(clock.kind),
                            self._sla_fmt(previous),
                            self._sla_fmt(clock.deadline),
                        )
                    )
            if old["policy"] == ticket.sla_policy_id and not rows:
                continue
            body = Markup("<p>%s</p>") % self.env._(
                "Ticket reclassified: SLA policy %(old)s → %(new)s; open milestones "
                "recomputed from their original start.",
                old=old["policy"].display_name or "-",
                new=ticket.sla_policy_id.display_name or "-",
            )
            if rows:
                body += Markup("<ul>%s</ul>") % Markup("").join(rows)
            ticket._message_log(body=body)

    def _sla_fmt(self, value):
        if not value:
            return "-"
        return escape(
            fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")
        )
