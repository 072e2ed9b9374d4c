from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core.escalation import (
    HELD_FOREVER,
    LadderSpec,
    Milestone,
    TicketFacts,
    evaluate,
)
from .helpdesk_ticket_severity import SEVERITY_RANK

# a batch is one transaction: its tickets stay locked (about half a second
# for 1,000 on two cores) and its recipients get one digest per channel
DEFAULT_BATCH = 1000


class FsEscalationEngine(models.AbstractModel):
    """The escalation sweep: takes the tickets whose next escalation check has
    come (one index range scan), asks the core which steps are due, records
    them and has fs.escalation.actions do them, a batch at a time.

    Exactly once: the fired steps are inserted with ON CONFLICT DO NOTHING
    under UNIQUE(ticket, step, occurrence) and only the rows inserted are
    acted on, in the same transaction, committed per batch. Two workers never
    take the same ticket (FOR UPDATE SKIP LOCKED); a worker killed halfway
    loses its batch's rows and actions together, and the next sweep finds
    the same tickets still due."""

    _name = "fs.escalation.engine"
    _description = "Escalation engine"

    # ------------------------------------------------------------------
    # the sweep
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self):
        return self._sweep()

    @api.model
    def _batch_size(self):
        return self.env["ir.config_parameter"]._fs_int(
            "field_service_sla.escalation_batch_size", DEFAULT_BATCH, 1
        )

    @api.model
    def _sweep(self, now=None, batch_size=None):
        """Process every ticket due at ``now``, a batch per transaction, with
        the cron's progress API (which commits). Returns the tickets looked
        at."""
        now = now or fields.Datetime.now()
        size = batch_size or self._batch_size()
        Cron = self.env["ir.cron"]
        ladders, done = None, 0
        # committed (as after each batch): the first batch's transaction then
        # begins with its own statements, not at the job's start, and the
        # tickets users changed meanwhile are locked as they are now instead
        # of failing the lock (REPEATABLE READ)
        Cron._commit_progress(0)
        while True:
            self._apply_marks()
            ticket_ids = self._take_due(now, size)
            if not ticket_ids:
                break
            ladders = ladders or self._ladders()
            self._process(ticket_ids, now, ladders)
            done += len(ticket_ids)
            left = self._count_due(now) if len(ticket_ids) == size else 0
            if Cron._commit_progress(len(ticket_ids), remaining=left) <= 0:
                break
        return done

    @api.model
    def _take_due(self, now, size):
        """The next batch of due tickets, locked (the tickets and their next
        check); those another worker or a user holds are skipped (it is
        processing or changing them)."""
        self.env.cr.execute(
            """
            SELECT c.ticket_id
              FROM fs_escalation_check c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
             WHERE c.next_check <= %s
          ORDER BY c.next_check
             LIMIT %s
               FOR UPDATE OF c, t SKIP LOCKED
            """,
            (now, size),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _count_due(self, now):
        self.env.cr.execute(
            "SELECT count(*) FROM fs_escalation_check WHERE next_check <= %s",
            (now,),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _escalate_now(self, tickets, now=None):
        """Process ``tickets`` at once (a dispatcher's request), waiting for a
        sweep that holds them. Returns the steps fired."""
        now = now or fields.Datetime.now()
        tickets.flush_recordset()
        self.env.cr.execute(
            "SELECT id FROM helpdesk_ticket WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            (tickets.ids,),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        inserted = self._process(ids, now, self._ladders())
        return (
            self.env["fs.escalation.fired"].sudo().browse([row[0] for row in inserted])
        )

    # ------------------------------------------------------------------
    # one batch
    # ------------------------------------------------------------------
    @api.model
    def _ladders(self):
        """The active ladders, as the core sees them, in their order."""
        ladders = self.env["fs.escalation.ladder"].sudo().search([])
        return [
            LadderSpec(
                ladder.id,
                tuple(step._spec() for step in ladder.step_ids),
                company_id=ladder.company_id.id or None,
                policy_ids=frozenset(ladder.policy_ids.ids),
                min_severity=SEVERITY_RANK.get(ladder.min_severity)
                if ladder.min_severity
                else None,
                tier_ids=frozenset(ladder.tier_ids.ids),
                level_ids=frozenset(ladder.level_ids.ids),
                cross_city=ladder.cross_city,
                cross_province=ladder.cross_province,
                city_level_only=ladder.city_level_only,
            )
            for ladder in ladders
        ]

    @api.model
    def _process(self, ticket_ids, now, ladders):
        """Evaluate, record and act on one batch of locked tickets. Returns
        the fired rows inserted: (id, ticket id, step id, occurrence)."""
        if not ticket_ids:
            return []
        facts = self._facts(ticket_ids, now)
        fired = self._fired(ticket_ids)
        due, next_checks = [], []
        for ticket_id in ticket_ids:
            result = evaluate(ladders, facts[ticket_id], fired.get(ticket_id, {}), now)
            next_checks.append(result.next_check)
            due += [(ticket_id, step_id, occ) for step_id, occ in result.due]
        self._store_next_checks(ticket_ids, next_checks)
        # a step that cannot fire is set aside, the rest goes on (see
        # fs_escalation_isolation)
        failures = {}
        due = self._hold_broken(due, failures)
        rows = (
            self._fire_isolated(
                due, failures, lambda part: self._fire(part, now, ladders, facts)
            )
            if due
            else []
        )
        self._set_aside(failures, now)
        return rows

    @api.model
    def _fire(self, due, now, ladders, facts):
        """Record and do the steps ``due``, (ticket id, step id, occurrence):
        the tickets escalated and retitled, what to do planned, the steps
        recorded with their history, then done. A step another transaction
        recorded since this one began is neither recorded nor done again.
        Returns the fired rows inserted."""
        Actions = self.env["fs.escalation.actions"]._for_batch()
        fired = Actions._fired_steps(due)
        said, batch = Actions._change_tickets(fired)
        plan = Actions._plan(fired, said, batch, now)
        rows = self._record(plan, now, ladders, facts)
        if len(rows) < len(due):
            kept = {tuple(row[1:]) for row in rows}
            fired = [row for row in fired if row[0] in kept]
            plan = Actions._plan(fired, said, batch, now)
            self._store(rows, plan)
        Actions._do(plan, {tuple(row[1:]): row[0] for row in rows})
        return rows

    @api.model
    def _facts(self, ticket_ids, now=None):
        """{ticket id: TicketFacts} at ``now``, in two queries."""
        self.env["helpdesk.ticket"].flush_model()
        self.env["fs.sla.clock"].flush_model()
        cr = self.env.cr
        cr.execute(
            """
            SELECT ticket_id, kind, start_date, deadline, target_hours,
                   reached_date, start_event = 'close'
              FROM fs_sla_clock WHERE ticket_id = ANY(%s)
            """,
            (ticket_ids,),
        )
        milestones = {}
        for ticket_id, kind, start, deadline, target, reached, after in cr.fetchall():
            milestones.setdefault(ticket_id, {})[kind] = Milestone(
                start=start,
                deadline=deadline,
                target=timedelta(hours=target or 0),
                reached=reached,
                after_close=after,
            )
        cr.execute(
            """
            SELECT t.id, t.company_id, t.sla_policy_id, t.severity,
                   t.customer_tier_id, t.assurance_level_id,
                   t.escalation_level = 'province', t.escalation_requested_date,
                   CASE WHEN s.closed
                        THEN coalesce(t.closed_date, t.resolved_date,
                                      t.write_date) END,
                   coalesce(l.cross_city, FALSE), coalesce(l.cross_province, FALSE),
                   t.planned_outcome = 'planned', w.window_settled, w.date_end
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
         LEFT JOIN fs_service_line l ON l.id = t.service_line_id
         LEFT JOIN fs_planned_work w ON w.id = t.planned_work_id
             WHERE t.id = ANY(%s)
            """,
            (ticket_ids,),
        )
        now = now or fields.Datetime.now()
        return {
            row[0]: TicketFacts(
                milestones=milestones.get(row[0], {}),
                company_id=row[1],
                policy_id=row[2],
                severity=SEVERITY_RANK.get(row[3], 0),
                tier_id=row[4],
                level_id=row[5],
                escalated=row[6],
                requested_at=row[7],
                closed_at=row[8],
                cross_city=row[9],
                cross_province=row[10],
                held_until=self._held_until(row[11], row[12], row[13], now),
            )
            for row in cr.fetchall()
        }

    @api.model
    def _held_until(self, planned, settled, window_end, now):
        """A ticket raised during planned work escalates nothing while its
        window runs and until the window is settled (looked at again each
        minute meanwhile), and never once settled as planned; settled as a
        fault, it escalates as any ticket."""
        if not planned:
            return None
        if settled:
            return HELD_FOREVER
        return max(window_end, now + timedelta(minutes=1))

    @api.model
    def _fired(self, ticket_ids):
        self.env.cr.execute(
            """
            SELECT ticket_id, step_id, occurrence, fired_at
              FROM fs_escalation_fired WHERE ticket_id = ANY(%s)
            """,
            (ticket_ids,),
        )
        fired = {}
        for ticket_id, step_id, occurrence, at in self.env.cr.fetchall():
            fired.setdefault(ticket_id, {})[(step_id, occurrence)] = at
        return fired

    @api.model
    def _store_next_checks(self, ticket_ids, next_checks):
        self.env.cr.execute(
            """
            INSERT INTO fs_escalation_check AS c (ticket_id, next_check)
            SELECT * FROM unnest(%s::int[], %s::timestamp[])
            ON CONFLICT (ticket_id) DO UPDATE SET next_check = excluded.next_check
             WHERE c.next_check IS DISTINCT FROM excluded.next_check
            """,
            (ticket_ids, next_checks),
        )
        self.env["helpdesk.ticket"].browse(ticket_ids).invalidate_recordset(
            ["escalation_next_check"]
        )

    @api.model
    def _record(self, plan, now, ladders, facts):
        """Record the planned steps with their history in one INSERT; returns
        the rows actually inserted, (id, ticket id, step id, occurrence): a
        row another worker or an earlier run recorded is not returned, so it
        is not acted on again."""
        ladder_of = {s.id: lad.id for lad in ladders for s in lad.steps}
        trigger_of = {s.id: s.trigger for lad in ladders for s in lad.steps}
        keys = list(plan.outcome)
        outcomes = [plan.outcome[key] for key in keys]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO fs_escalation_fired
                       (ticket_id, step_id, occurrence, fired_at, ladder_id,
                        company_id, "trigger", actions, recipients,
                        activity_count, mail_count, sms_count, digest)
                SELECT v.t, v.s, v.o, %s, v.l, v.c, v.tr, v.a, v.r, v.ac, v.mc,
                       v.sc, v.d
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[],
                              %s::int[], %s::varchar[], %s::text[], %s::text[],
                              %s::int[], %s::int[], %s::int[], %s::bool[])
                       AS v(t, s, o, l, c, tr, a, r, ac, mc, sc, d)
                ON CONFLICT (ticket_id, step_id, occurrence) DO NOTHING
             RETURNING id, ticket_id, step_id, occurrence
                """,
                now,
                [t for t, _s, _o in keys],
                [s for _t, s, _o in keys],
                [o for _t, _s, o in keys],
                [ladder_of[s] for _t, s, _o in keys],
                [facts[t].company_id for t, _s, _o in keys],
                [trigger_of[s] for _t, s, _o in keys],
                *_history(outcomes),
            )
        )
        rows = self.env.cr.fetchall()
        tickets = self.env["helpdesk.ticket"].browse({row[1] for row in rows})
        tickets.invalidate_recordset(["escalation_fired_ids"])
        return rows

    @api.model
    def _store(self, rows, plan):
        """The history of ``rows`` as ``plan`` has it (a plan made again for
        the rows recorded, when some were not)."""
        outcomes = [plan.outcome[tuple(row[1:])] for row in rows]
        self.env.cr.execute(
            SQL(
                """
                UPDATE fs_escalation_fired f
                   SET actions = v.a, recipients = v.r, activity_count = v.ac,
                       mail_count = v.mc, sms_count = v.sc, digest = v.d
                  FROM unnest(%s::int[], %s::text[], %s::text[], %s::int[],
                              %s::int[], %s::int[], %s::bool[])
                       AS v(id, a, r, ac, mc, sc, d)
                 WHERE f.id = v.id
                """,
                [row[0] for row in rows],
                *_history(outcomes),
            )
        )
        self.env["fs.escalation.fired"].browse(
            [row[0] for row in rows]
        ).invalidate_recordset()


def _history(outcomes):
    """The history columns of fired steps: actions, recipients, counts of
    activities, e-mails and SMS, digest."""
    return (
        ["\n".join(o.actions) for o in outcomes],
        ["\n".join(o.told) for o in outcomes],
        [o.activities for o in outcomes],
        [o.mails for o in outcomes],
        [o.sms for o in outcomes],
        [o.digest for o in outcomes],
    )
