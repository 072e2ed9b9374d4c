from odoo import api, fields, models

from ..sla_core import BREACHED, RUNNING, WorkClock, summary
from .fs_sla_milestone import MILESTONE_KINDS, START_EVENTS
from .resource_calendar import ScheduleCache

CLOCK_STATES = [
    ("pending", "Not started"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("config_error", "Configuration error"),
]
# a clock whose calendar has no working time left: the ticket is still
# logged; the SLA administrators are told to fix the calendar
CONFIG_ERROR = "config_error"


def hours(delta):
    return delta.total_seconds() / 3600 if delta is not None else 0.0


class FsSlaClock(models.Model):
    """One milestone of one ticket, as computed by the SLA core at the last
    event. The stored deadline and state let the breach sweep and the "due
    soon" filters run as single indexed queries."""

    _name = "fs.sla.clock"
    _description = "SLA Milestone Clock"
    _order = "ticket_id, sequence, id"
    # The engine's bookkeeping, written only by the engine: who and when are
    # the ticket's (and a waiver's own fields). Without them a new clock has
    # two columns and two foreign-key checks less: a new ticket inserts three
    # to five clocks, and those checks were a fifth of the cost of inserting.
    _log_access = False

    # no index of its own: UNIQUE(ticket_id, kind) leads with it, and one
    # index less is one less to maintain for each of the clocks created
    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    # not indexed either: a company's clocks are most of the table
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    policy_id = fields.Many2one("fs.sla.policy", ondelete="set null", readonly=True)
    milestone_id = fields.Many2one(
        "fs.sla.milestone",
        string="Policy milestone",
        ondelete="set null",
        readonly=True,
    )
    sequence = fields.Integer(readonly=True)
    kind = fields.Selection(
        MILESTONE_KINDS, string="Milestone", required=True, readonly=True
    )
    start_event = fields.Selection(START_EVENTS, readonly=True)
    target_hours = fields.Float(string="Target", readonly=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        readonly=True,
        help="Empty: around the clock.",
    )
    start_date = fields.Datetime(string="Started", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached at", readonly=True)
    state = fields.Selection(
        CLOCK_STATES, required=True, default="pending", readonly=True
    )
    paused_hours = fields.Float(string="Paused", readonly=True)
    # A breach that happened stays on record: corrections of the ticket's
    # times may change the verdict, never erase the breach; only an SLA
    # administrator's waiver (with a reason) takes it out of the counts.
    breached_at = fields.Datetime(
        string="Was breached at",
        readonly=True,
        copy=False,
        help="When this milestone first went past its deadline (by the sweep or "
        "by a late reach). Kept when the ticket's times are corrected.",
    )
    breach_waived = fields.Boolean(string="Breach waived", readonly=True, copy=False)
    waiver_reason = fields.Text(string="Waiver reason", readonly=True, copy=False)
    waived_by_id = fields.Many2one("res.users", string="Waived by", readonly=True)
    waived_date = fields.Datetime(string="Waived on", readonly=True)
    breach_count = fields.Integer(
        string="Breaches",
        compute="_compute_breach_count",
        store=True,
        help="1 for a milestone that was breached and whose breach was not "
        "waived: the measure the reports count.",
    )
    margin_hours = fields.Float(
        readonly=True,
        help="Working time left at the last computation (negative when late).",
    )
    remaining_hours = fields.Float(
        string="Time left",
        compute="_compute_remaining_hours",
        help="Working time left until the deadline, now; negative when overdue.",
    )

    verdict = fields.Char(
        string="Timeliness",
        compute="_compute_verdict",
        help="Met, breached and by how much, or the time left. Once reached, "
        "or once the ticket is closed, the verdict is final: frozen at the "
        "reach or the close.",
    )

    _ticket_kind_uniq = models.Constraint(
        "UNIQUE(ticket_id, kind)", "A ticket has one clock per milestone kind."
    )
    # the breach sweep and the "due within" filters scan running clocks by deadline
    _running_deadline_idx = models.Index("(deadline) WHERE state = 'running'")

    @api.depends("kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for clock in self:
            clock.display_name = kinds.get(clock.kind, "")

    @api.depends("breached_at", "breach_waived")
    def _compute_breach_count(self):
        for clock in self:
            counted = clock.breached_at and not clock.breach_waived
            clock.breach_count = 1 if counted else 0

    def _closed_at(self):
        """When this clock stopped with its ticket's close; None while the
        ticket is open, and for a clock that starts at the close (the fault
        report's goes on after it)."""
        self.ensure_one()
        if self.start_event == "close":
            return None
        return self.ticket_id._sla_closed_at()

    def _sla_verdict_inputs(self):
        """The clocks as the core's ticket_headline takes them."""
        return [
            (c.kind, c.state, c.deadline, c.reached_date, c._closed_at()) for c in self
        ]

    @api.depends(
        "state",
        "deadline",
        "reached_date",
        "ticket_id.stage_id",
        "ticket_id.closed_date",
        "ticket_id.resolved_date",
    )
    def _compute_verdict(self):
        now = fields.Datetime.now()
        states = dict(self._fields["state"]._description_selection(self.env))
        duration = self.env["helpdesk.ticket"]._sla_duration
        _ = self.env._
        for clock in self:
            verdict, delta = summary.milestone_verdict(
                clock.state, clock.deadline, now, clock.reached_date, clock._closed_at()
            )
            if verdict == summary.ON_TIME:
                text = _("Met")
            elif verdict == summary.LATE:
                text = _("Breached by %s", duration(delta))
            elif verdict == summary.NOT_REACHED:
                text = _("Not reached at close")
            elif verdict == summary.OVERDUE:
                text = _("Overdue by %s", duration(delta))
            elif verdict == summary.LEFT:
                text = _("%s left", duration(delta))
            else:
                text = states.get(verdict, "")
            clock.verdict = text

    def _compute_remaining_hours(self):
        now = fields.Datetime.now()
        schedules = ScheduleCache(self.env)
        for clock in self:
            live = clock.deadline and (
                clock.state == RUNNING
                or (clock.state == BREACHED and not clock.reached_date)
            )
            if not live:
                clock.remaining_hours = clock.margin_hours
                continue
            # a closed ticket's clocks stopped at its close
            at = clock._closed_at() or now
            pauses = self.env["fs.sla.engine"]._pause_periods(
                clock.ticket_id, clock.milestone_id
            )
            work = WorkClock(
                schedules.get(clock.calendar_id.id), [(s, e or at) for s, e in pauses]
            )
            clock.remaining_hours = hours(work.between(at, clock.deadline))

    @api.model
    def _cron_mark_breaches(self, now=None):
        """Mark every running clock whose deadline has passed as breached, in
        one indexed UPDATE, then refresh the summaries of the tickets touched.

        The clocks of a ticket a user's transaction holds (its ticket or the
        clock locked) are left to that transaction, whose own sync reads them
        breached, or to the next sweep a minute later: the sweep neither
        waits for users nor, once they commit, fails on the rows they changed
        (REPEATABLE READ), and the ticket rows it locks are those it then
        updates."""
        now = now or fields.Datetime.now()
        self.env.flush_all()
        # The engine keeps a clock with an unwaived breach in the breached
        # state, so every running clock found here breaches anew: a counted
        # breach, a missed milestone (fs_sla_clock_outcome).
        self.env.cr.execute(
            """
            WITH due AS (
                SELECT c.id
                  FROM fs_sla_clock c
                  JOIN helpdesk_ticket t ON t.id = c.ticket_id
                 WHERE c.state = 'running' AND c.deadline < %s
                   FOR UPDATE OF c, t SKIP LOCKED
            )
            UPDATE fs_sla_clock
               SET state = 'breached', breached_at = deadline,
                   breach_waived = FALSE, breach_count = 1,
                   sla_outcome = 'missed', on_time_count = 0, missed_count = 1,
                   on_time_rate = 0
             WHERE id IN (SELECT id FROM due)
         RETURNING ticket_id
            """,
            (now,),
        )
        ticket_ids = list({row[0] for row in self.env.cr.fetchall()})
        if ticket_ids:
            self.invalidate_model(
                [
                    "state",
                    "breached_at",
                    "breach_waived",
                    "breach_count",
                    "sla_outcome",
                    "on_time_count",
                    "missed_count",
                    "on_time_rate",
                ]
            )
            self.env["fs.sla.engine"]._refresh_summary(ticket_ids)
        return len(ticket_ids)
