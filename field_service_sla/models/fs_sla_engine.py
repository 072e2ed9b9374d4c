from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import (
    BREACHED,
    NoWorkingTime,
    ReachedBeforeStart,
    read_clock,
    ticket_summary,
)
from .bulk_insert import insert_alike
from .fs_sla_clock import CONFIG_ERROR, hours
from .resource_calendar import ScheduleCache

# context key: the tickets whose summary the running sync has just set
SUMMARY_SET = "fs_sla_summary_set"


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


class SyncCache(ScheduleCache):
    """What one sync works out once for its whole batch: each calendar's
    schedule (ScheduleCache), each milestone's fixed clock values and each
    distinct clock reading. The tickets of a batch created together mostly
    share their start (the same second), their policy and their calendars:
    a thousand new tickets are a handful of distinct readings."""

    def __init__(self, env):
        super().__init__(env)
        self._readings = {}
        self._milestones = {}

    def milestone_values(self, milestone, copy=True):
        """The clock values that come from the milestone alone (a copy unless
        told otherwise: then not to be changed)."""
        values = self._milestones.get(milestone.id)
        if values is None:
            values = self._milestones[milestone.id] = {
                "policy_id": milestone.policy_id.id,
                "milestone_id": milestone.id,
                "sequence": milestone.sequence,
                "kind": milestone.kind,
                "start_event": milestone.start_event,
                "target_hours": milestone.target_hours,
                "calendar_id": milestone.calendar_id.id,
            }
        return dict(values) if copy else values

    def read_clock(self, calendar_id, start, target, now, pauses, reached):
        """The core's read_clock on the calendar's schedule, once per distinct
        set of arguments (a calendar without working time raises each time)."""
        key = (calendar_id, start, target, now, tuple(pauses), reached or None)
        reading = self._readings.get(key)
        if reading is None:
            try:
                reading = read_clock(
                    self.get(calendar_id), start, target, now, pauses, reached
                )
            except NoWorkingTime as error:
                reading = error
            self._readings[key] = reading
        if isinstance(reading, NoWorkingTime):
            raise NoWorkingTime(*reading.args)
        return reading


class FsSlaEngine(models.AbstractModel):
    """The SLA engine: turns tickets, their policy and their pauses into the
    core's inputs and stores the core's answers on the clocks, for whole
    batches of tickets at once. The ticket only calls it from its hooks and
    actions, so that other engines (escalation, field work) can stand beside
    this one instead of growing inside the ticket.

    This file computes the clocks of a batch; the engine's other parts extend
    it: the ticket's stored summary (fs_sla_engine_summary), pauses and
    stages (fs_sla_engine_pauses), what it tells people
    (fs_sla_engine_chatter)."""

    _name = "fs.sla.engine"
    _description = "SLA engine"

    # ------------------------------------------------------------------
    # what the core is told about one ticket
    # ------------------------------------------------------------------
    @api.model
    def _facts(self, ticket, assurance=None):
        """The ticket as policy matching sees it. ``assurance``: {ticket id:
        assurance policy ids} of the batch (_assurance); without it, read for
        this ticket alone."""
        if assurance is None:
            assurance = self._assurance(ticket)
        return {
            "assurance": assurance.get(ticket.id, frozenset()),
            "segment": ticket.customer_segment,
            "tier": ticket.customer_tier_id.id,
            "level": ticket.assurance_level_id.id,
            "service_type": ticket.service_type_id.id,
            "team": ticket.team_id.id,
            "category": ticket.category_id.id,
            "priority": ticket.priority,
        }

    @api.model
    def _assurance(self, tickets):
        """{ticket id: ids of the assurance policies of the declared assurance
        periods holding its report on its line}: one query for the batch."""
        tickets = list(tickets)  # an unsaved ticket (preview) has no id yet
        found = self.env["fs.assurance.period"]._policies_at(
            (i, t.service_line_id.id, t.reported_date or t.create_date)
            for i, t in enumerate(tickets)
        )
        return {tickets[i].id: ids for i, ids in found.items()}

    @api.model
    def _pause_periods(self, ticket, milestone):
        """The pauses that stop ``milestone``'s clock on ``ticket``."""
        if not ticket.sla_pause_ids:
            return []
        reasons = milestone.pause_reason_ids
        return [
            (p.start_date, p.end_date or None)
            for p in ticket.sla_pause_ids
            if p.reason_id in reasons
            or (p.reason_id.stops_all_clocks and milestone.start_event != "close")
        ]

    @api.model
    def _start(self, ticket, event):
        if event == "create":
            return ticket.reported_date or ticket.create_date
        if event == "assign":
            return ticket.assigned_date
        if event == "confirm":
            return ticket.fault_confirmed_date
        # helpdesk_mgmt stamps closed_date only when a ticket moves to a closed
        # stage, not when it is created closed; resolved_date covers both.
        closing = ticket.closed_date or ticket.resolved_date
        return closing if closing and ticket.closed else None

    @api.model
    def _reached(self, ticket, milestone, clock, now):
        if milestone.reach_type == "field":
            return ticket[milestone.reach_field]
        if clock and clock.reached_date:
            return clock.reached_date
        return now if ticket.stage_id in milestone.reach_stage_ids else None

    @api.model
    def _snapshot(self, tickets):
        return {
            t.id: {
                "policy": t.sla_policy_id,
                "deadlines": {c.kind: c.deadline for c in t.sla_clock_ids},
            }
            for t in tickets
        }

    # ------------------------------------------------------------------
    # bringing clocks up to date
    # ------------------------------------------------------------------
    @api.model
    def _sync(self, tickets, now=None, before=None, reselect=False, recompute=None):
        """Bring the tickets' clocks up to date, for a whole batch at once: one
        policy search, one calendar fetch per calendar and chunk, one create
        for all new clocks, one summary UPDATE.

        A ticket's policy is chosen when it is created and when it is
        reclassified (``reselect``); other events keep the policy it has, so
        an administrator's change of conditions never switches an open ticket
        behind its users' backs.

        A reached milestone keeps its verdict unless its start moved (a
        correction of the ticket's times) or it is in ``recompute`` (clocks
        whose breach was just waived).
        """
        now = now or fields.Datetime.now()
        ticket_ids = tickets.ids
        tickets = tickets.sudo().with_context(
            fs_sla_no_sync=True, tracking_disable=True
        )
        policies = reselect and self.env["fs.sla.policy"]._sla_policy_set()
        assurance = reselect and self._assurance(tickets)
        schedules = SyncCache(self.env)
        clocks = self.env["fs.sla.clock"].sudo()
        new_clocks, obsolete, policy_changes, broken = [], [], {}, {}
        new_values = {}  # the values of new clocks alike (see _new_clock)
        # tickets without clocks before this sync (new tickets): all their
        # clocks are computed here, so is their status (see _set_summary)
        summaries = {}
        for ticket in tickets:
            policy = (
                policies.match(ticket.company_id.id, self._facts(ticket, assurance))
                if reselect
                else ticket.sla_policy_id
            )
            if policy != ticket.sla_policy_id:
                policy_changes.setdefault(policy.id if policy else False, []).append(
                    ticket.id
                )
            existing = {c.kind: c for c in ticket.sla_clock_ids}
            fresh = [] if not existing else None
            read = {}  # what _new_clock read of this ticket, for its next clocks
            for milestone in policy.milestone_ids if policy else ():
                clock = existing.pop(milestone.kind, None)
                reached = self._reached(ticket, milestone, clock, now)
                if (
                    clock
                    and clock.reached_date
                    and clock.reached_date == reached
                    and clock.start_date == self._start(ticket, milestone.start_event)
                    and clock.state != CONFIG_ERROR
                    and not (recompute and clock in recompute)
                ):
                    continue  # a reached milestone keeps its verdict
                if clock is None:
                    values = self._new_clock(
                        ticket, milestone, reached, schedules, now, new_values, read
                    )
                    if values["state"] == CONFIG_ERROR:
                        broken.setdefault(milestone, []).append(ticket.id)
                    new_clocks.append((values, {"ticket_id": ticket.id}))
                    if fresh is not None:
                        fresh.append(
                            (values["kind"], values["state"], values["deadline"])
                        )
                    continue
                values = self._clock_values(ticket, milestone, reached, schedules, now)
                if values["state"] == CONFIG_ERROR and clock.state != CONFIG_ERROR:
                    # told once, when the clock goes wrong
                    broken.setdefault(milestone, []).append(ticket.id)
                self._keep_breach(clock, values)
                if _differs(clock, values):
                    clock.write(values)
            if fresh is not None:
                summaries[ticket.id] = ticket_summary(fresh)
            # a milestone the new policy lacks goes, unless it was reached or
            # breached: what happened stays on record
            obsolete += [
                c.id
                for c in existing.values()
                if not c.reached_date and not c.breach_count
            ]
        clocks.browse(obsolete).unlink()
        self._insert_clocks(new_clocks)
        for policy_id, ids in policy_changes.items():
            tickets.browse(ids).write({"sla_policy_id": policy_id})
        self._set_summary(tickets.browse(list(summaries)), summaries)
        self.with_context(**{SUMMARY_SET: tuple(summaries)})._refresh_summary(
            ticket_ids
        )
        if broken:
            self._report_config_errors(broken)
        if before:
            self._log_recompute(tickets, before)

    @api.model
    def _new_clock(self, ticket, milestone, reached, schedules, now, known, read):
        """The values of a new clock of ``ticket`` for ``milestone``.

        The new tickets of a batch mostly share their start, their policy and
        their company: their clocks for a milestone are then alike but for
        the ticket. ``known`` (the sync's) keeps the values once per distinct
        input, so that the clocks of a thousand tickets are worked out a
        handful of times, not built field by field each time: the values
        returned are shared by the alike clocks, without the ticket, and are
        not to be changed. ``read`` keeps what was read of the ticket for its
        other clocks (most milestones start at the same event)."""
        event = schedules.milestone_values(milestone, copy=False)["start_event"]
        if event not in read:
            read[event] = self._start(ticket, event)
        if "ticket" not in read:
            read["ticket"] = (bool(ticket.sla_pause_ids), self._new_clock_key(ticket))
        paused, ticket_key = read["ticket"]
        key = (
            milestone.id,
            read[event],
            reached,
            tuple(self._pause_periods(ticket, milestone)) if paused else (),
            ticket_key,
        )
        values = known.get(key)
        if values is None:
            values = self._clock_values(ticket, milestone, reached, schedules, now)
            self._keep_breach(None, values)
            values = known[key] = self._new_clock_values(ticket, values)
            del values["ticket_id"]
        return values

    @api.model
    def _new_clock_key(self, ticket):
        """What of ``ticket`` a new clock's values depend on besides its
        milestone, start, reach and pauses (see _new_clock_values: an
        override reading more of the ticket extends both)."""
        return (ticket.company_id.id, ticket.severity_excluded)

    @api.model
    def _clock_values(self, ticket, milestone, reached, schedules, now):
        """The values of ``ticket``'s clock for ``milestone``; ``schedules`` is
        the sync's SyncCache."""
        values = schedules.milestone_values(milestone)
        start = self._start(ticket, values["start_event"])
        try:
            reading = schedules.read_clock(
                values["calendar_id"],
                start,
                milestone.target,
                now,
                self._pause_periods(ticket, milestone),
                reached if start else None,
            )
        except ReachedBeforeStart as error:
            raise ValidationError(
                self.env._(
                    "Ticket %(ticket)s: milestone %(milestone)s cannot be reached at "
                    "%(reached)s, before its clock started at %(start)s.",
                    ticket=ticket.display_name,
                    milestone=milestone.display_name,
                    reached=self._fmt(reached),
                    start=self._fmt(start),
                )
            ) from error
        except NoWorkingTime:
            # intake never stops on a broken configuration: the clock is kept
            # in a visible error state and the SLA administrators are told
            reading = None
        values["ticket_id"] = ticket.id
        values["start_date"] = start
        values["reached_date"] = reached if start else None
        if reading is None:
            values.update(
                deadline=None, state=CONFIG_ERROR, paused_hours=0.0, margin_hours=0.0
            )
        else:
            values.update(
                deadline=reading.deadline,
                state=reading.state,
                paused_hours=hours(reading.paused),
                margin_hours=hours(reading.remaining),
            )
        return values

    @api.model
    def _preview(self, ticket):
        """The policy an unsaved ticket would get and each milestone's
        expected deadline, as display rows; nothing is written."""
        policy = (
            self.env["fs.sla.policy"]
            ._sla_policy_set()
            .match(ticket.company_id.id, self._facts(ticket))
        )
        if not policy:
            return policy, []
        kinds = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        events = dict(
            self.env["fs.sla.milestone"]
            ._fields["start_event"]
            ._description_selection(self.env)
        )
        schedules = ScheduleCache(self.env)
        now = fields.Datetime.now()
        rows = []
        for milestone in policy.milestone_ids:
            start = self._start(ticket, milestone.start_event)
            if not start:
                text = self.env._(
                    "starts at: %s", events.get(milestone.start_event, "")
                )
            else:
                try:
                    reading = read_clock(
                        schedules.get(milestone.calendar_id.id),
                        start,
                        milestone.target,
                        now,
                    )
                    text = self._fmt(reading.deadline)
                except NoWorkingTime:
                    text = self.env._("Configuration error: no working time left")
            rows.append((kinds.get(milestone.kind, ""), text))
        return policy, rows

    def _new_clock_values(self, ticket, values):
        """``values`` with the clock's stored computed fields filled in, so that
        creating the clocks of a batch is one INSERT per chunk and no UPDATE
        after it (the ORM would otherwise compute and write them at flush)."""
        values["company_id"] = ticket.company_id.id
        values["severity_excluded"] = ticket.severity_excluded
        values["breach_count"] = int(
            bool(values.get("breached_at")) and not values.get("breach_waived")
        )
        return values

    @api.model
    def _insert_clocks(self, rows):
        """Create the new clocks of a batch, ``(values, {"ticket_id": id})``
        pairs whose values alike clocks share (see _new_clock), with one
        INSERT per thousand.

        Their values are complete (see _new_clock_values) and clocks are the
        engine's own bookkeeping of tickets the caller may already change, so
        the ORM's create (defaults and cache per record, computes, one INSERT
        per hundred rows and an UPDATE after it) buys nothing; it was most of
        what the SLA added to creating tickets. Each distinct set of values is
        sent once (insert_alike)."""
        if not rows:
            return
        insert_alike(self.env["fs.sla.clock"], rows, chunk=1000)
        tickets = self.env["helpdesk.ticket"].browse(
            {own["ticket_id"] for _values, own in rows}
        )
        tickets.invalidate_recordset(["sla_clock_ids"])
        tickets.modified(["sla_clock_ids"])

    @api.model
    def _keep_breach(self, clock, values):
        """A breach that happened is never silently undone: a clock with an
        unwaived breach stays breached whatever the new reading says; a new
        breach is stamped with its deadline. A waiver covers the breach it
        was given for; breaching again at another deadline is a new breach."""
        kept = clock and clock.breached_at
        if values["state"] == BREACHED:
            if not kept or (
                clock.breach_waived and clock.breached_at != values["deadline"]
            ):
                values.update(breached_at=values["deadline"], breach_waived=False)
        elif kept and not clock.breach_waived:
            values["state"] = BREACHED
