from markupsafe import Markup, escape

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

# the ticket's SLA status and next deadline, derived from its clocks
SUMMARY_FIELDS = ("sla_state", "sla_deadline")
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
    this one instead of growing inside the ticket."""

    _name = "fs.sla.engine"
    _description = "SLA engine"

    # ------------------------------------------------------------------
    # what the core is told about one ticket
    # ------------------------------------------------------------------
    @api.model
    def _facts(self, ticket):
        """The ticket as policy matching sees it."""
        return {
            "segment": ticket.customer_segment,
            "tier": ticket.customer_tier_id.id,
            "level": ticket.assurance_level_id.id,
            "service_type": ticket.service_type_id.id,
            "team": ticket.team_id.id,
            "category": ticket.category_id.id,
            "priority": ticket.priority,
        }

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
        schedules = SyncCache(self.env)
        clocks = self.env["fs.sla.clock"].sudo()
        new_clocks, obsolete, policy_changes, broken = [], [], {}, {}
        new_values = {}  # the values of new clocks alike (see _new_clock)
        # tickets without clocks before this sync (new tickets): all their
        # clocks are computed here, so is their status (see _set_summary)
        summaries = {}
        for ticket in tickets:
            policy = (
                policies.match(ticket.company_id.id, self._facts(ticket))
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
    def _report_config_errors(self, broken):
        """One activity per policy for the SLA administrators, whatever the
        number of tickets: an open one is completed with the new tickets."""
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        )
        admins = admins.filtered(lambda u: u.active and not u.share)
        Ticket = self.env["helpdesk.ticket"].sudo()
        by_policy = {}
        for milestone, ids in broken.items():
            entry = by_policy.setdefault(milestone.policy_id, [set(), set()])
            entry[0].add(milestone.calendar_id.display_name)
            entry[1].update(ids)
        for policy, (calendars, ids) in by_policy.items():
            policy = policy.sudo()
            names = ", ".join(Ticket.browse(sorted(ids)).mapped("display_name"))
            open_activity = policy.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )[:1]
            user = open_activity.user_id or (
                policy.write_uid if policy.write_uid in admins else admins[:1]
            )
            # in the administrator's language, whoever's write broke the clocks
            env = self.with_context(
                lang=user.lang or policy.company_id.partner_id.lang or "en_US"
            ).env
            note = Markup("<p>%s</p>") % env._(
                "Calendar %(calendars)s has no working time left: the SLA clocks "
                "of these tickets could not be computed and are in configuration "
                "error: %(tickets)s. Give the calendar working time again; the "
                "clocks are then recomputed.",
                calendars=", ".join(sorted(calendars)),
                tickets=names,
            )
            if open_activity:
                open_activity.note = (open_activity.note or Markup("")) + note
                continue
            policy.activity_schedule(
                activity_type_id=activity_type.id,
                summary=env._("SLA clocks in configuration error"),
                note=note,
                user_id=user.id or self.env.uid,
            )

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

    @api.model
    def _set_summary(self, tickets, summaries):
        """Give these tickets the status and next deadline the engine has just
        worked out from their clocks, ``{ticket id: (status, deadline)}``,
        through the ORM's cache: new tickets have their computed fields to
        write anyway, and the status goes in that same UPDATE. Writing it in
        SQL was a second UPDATE of every new ticket: a new row version, one
        entry more in each of the ticket's indexes and its foreign keys
        checked again (a row inserted by the same transaction is re-checked
        on every update). _refresh_summary, run after, leaves them be (the
        sync passes their ids in the context: SUMMARY_SET)."""
        if not tickets:
            return
        names = SUMMARY_FIELDS
        by_value = [{}, {}]  # per field: {value: [ticket ids]}, one write each
        for ticket_id, summary in summaries.items():
            for values, value in zip(by_value, summary, strict=True):
                values.setdefault(value or False, []).append(ticket_id)
        with self.env.protecting([tickets._fields[name] for name in names], tickets):
            for name, values in zip(names, by_value, strict=True):
                for value, ids in values.items():
                    tickets.browse(ids)[name] = value
        tickets.modified(names)

    @api.model
    def _refresh_summary(self, ticket_ids):
        """Ticket SLA status and next deadline, derived from the clocks in one
        set-based UPDATE (used after every sync and by the breach sweep).
        The tickets the running sync has summarised itself (the context's
        SUMMARY_SET, see _set_summary) are left as they are."""
        done = self.env.context.get(SUMMARY_SET)
        if done:
            done = set(done)
            ticket_ids = [id_ for id_ in ticket_ids if id_ not in done]
        if not ticket_ids:
            return
        self.env["fs.sla.clock"].flush_model()
        # what the ORM holds for the tickets goes first (a status _set_summary
        # gave, computed fields of new tickets: one UPDATE), so that the SQL
        # below compares with the rows as they are and its result is not
        # overwritten by a later flush
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t
               SET sla_state = s.state, sla_deadline = s.next_deadline
              FROM (
                SELECT tk.id,
                       MIN(c.deadline) FILTER (WHERE c.state = 'running')
                           AS next_deadline,
                       CASE WHEN count(c.id) = 0 THEN 'none'
                            WHEN bool_or(c.state = 'breached') THEN 'breached'
                            WHEN bool_or(c.state = 'config_error')
                                THEN 'config_error'
                            WHEN bool_and(c.kind = 'report')
                                     FILTER (WHERE c.state = 'running')
                                THEN 'report_due'
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
        self.env["helpdesk.ticket"].browse(ticket_ids).invalidate_recordset(
            ["sla_state", "sla_deadline"]
        )

    # ------------------------------------------------------------------
    # pauses
    # ------------------------------------------------------------------
    @api.model
    def _pause(self, tickets, reason, note=False):
        """Open a pause of ``reason`` on ``tickets``. Pauses are the engine's
        to write (users only read them): it writes them on behalf of a user
        who may work the tickets (the caller passes tickets in the user's
        environment) or of a process that checked its own access (sudo)."""
        tickets.check_access("write")
        now = fields.Datetime.now()
        self.env["fs.sla.pause"].sudo().create(
            [
                {
                    "ticket_id": t.id,
                    "reason_id": reason.id,
                    "note": note,
                    "start_date": now,
                }
                for t in tickets
            ]
        )
        self._sync(tickets, now)
        body = (
            self.env._(
                "SLA clocks paused: %(reason)s (%(note)s)",
                reason=reason.display_name,
                note=note,
            )
            if note
            else self.env._("SLA clocks paused: %s", reason.display_name)
        )
        tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))

    @api.model
    def _resume(self, tickets):
        """End the pauses opened by hand on ``tickets`` (see _pause)."""
        tickets.check_access("write")
        now = fields.Datetime.now()
        pauses = tickets.sla_pause_ids.filtered(
            lambda p: not p.end_date and p.origin == "manual"
        )
        pauses.sudo().write({"end_date": now})
        self._sync(tickets, now)
        bodies = {}
        for ticket in pauses.ticket_id:
            ended = pauses.filtered(lambda p, t=ticket: p.ticket_id == t)
            bodies[ticket.id] = self.env._(
                "SLA clocks resumed after %(duration)s (%(reason)s).",
                duration=tickets._sla_duration(now - min(ended.mapped("start_date"))),
                reason=", ".join(ended.reason_id.mapped("display_name")),
            )
        tickets.browse(list(bodies))._message_log_batch(bodies=bodies)

    @api.model
    def _follow_stage(self, tickets, was_closed, now):
        """Open and close the pauses that stages imply: a pausing stage pauses
        with its reason; closing pauses every clock; reopening resumes them and
        un-reaches what the closing had reached."""
        if not (
            any(was_closed.values())
            or tickets.sudo().sla_pause_ids
            or tickets.stage_id.filtered(lambda s: s.sla_pause_reason_id or s.closed)
        ):
            return  # no pause to open or end: new tickets, mostly
        Pause = self.env["fs.sla.pause"].sudo()
        closed_reason = self.env.ref("field_service_sla.pause_reason_ticket_closed")
        to_open, to_end, reopened = [], Pause, tickets.browse()
        for ticket in tickets.sudo():
            stage_reason = ticket.stage_id.sla_pause_reason_id
            if not (
                stage_reason
                or ticket.sla_pause_ids
                or ticket.closed
                or was_closed.get(ticket.id)
            ):
                continue  # no pause to open or end for this one
            open_pauses = ticket.sla_pause_ids.filtered(lambda p: not p.end_date)
            stage_pauses = open_pauses.filtered(lambda p: p.origin == "stage")
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
        resolving = tickets.filtered(
            lambda t: (
                t.closed
                and not was_closed.get(t.id)
                and t.stage_id.sla_resolves
                and not t.resolved_date
            )
        )
        resolving.sudo().with_context(fs_sla_no_sync=True).write({"resolved_date": now})
        reopened.sudo().with_context(fs_sla_no_sync=True).write(
            {"resolved_date": False}
        )
        for ticket in reopened:
            ticket._message_log(
                body=self.env._(
                    "Ticket reopened: its SLA clocks resume where they stopped."
                )
            )

    # ------------------------------------------------------------------
    # chatter
    # ------------------------------------------------------------------
    @api.model
    def _log_recompute(self, tickets, before):
        labels = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        for ticket in tickets:
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
                            self._fmt(previous),
                            self._fmt(clock.deadline),
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

    @api.model
    def _fmt(self, value):
        if not value:
            return "-"
        return escape(
            fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")
        )
