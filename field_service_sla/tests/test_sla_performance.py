from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from ..models.bulk_insert import insert_alike
from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaCreationQueries(SlaCase):
    """What the SLA engine adds to creating tickets is a fixed number of
    queries per create() call, whatever the number of tickets, also for a
    normal user with the chatter on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            login="sla_perf_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )

    def _create_counting(self, count):
        """Create ``count`` tickets as the dispatcher: (tickets, queries run
        by the engine's sync)."""
        Engine = type(self.env["fs.sla.engine"])
        sync, counted = Engine._sync, []

        def counting_sync(engine, *args, **kwargs):
            before = engine.env.cr.sql_log_count
            result = sync(engine, *args, **kwargs)
            counted.append(engine.env.cr.sql_log_count - before)
            return result

        env = self.env(user=self.dispatcher, context={})  # chatter on
        with patch.object(Engine, "_sync", counting_sync):
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Line down {n}",
                        "description": "Alarm",
                        "team_id": self.team.id,
                        "service_line_id": self.line_aaa.id,
                    }
                    for n in range(count)
                ]
            )
        return tickets, sum(counted)

    def test_engine_queries_do_not_grow_with_the_tickets(self):
        # 3 and 180 clocks: the ORM would insert the latter in two statements
        # and update them after each. The first create reads the policies.
        self._create_counting(1)
        _few, few_queries = self._create_counting(1)
        many, many_queries = self._create_counting(60)
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(len(many.sla_clock_ids), 3 * len(many))

    def test_clocks_created_in_bulk_are_complete(self):
        tickets, _queries = self._create_counting(2)
        clocks = tickets.sla_clock_ids
        self.assertEqual(clocks.ticket_id, tickets)
        self.assertEqual(clocks.company_id, tickets.company_id)
        self.assertEqual(clocks.policy_id, tickets.sla_policy_id)
        self.assertEqual(set(clocks.mapped("breach_count")), {0})
        self.assertEqual(set(clocks.mapped("state")), {"running"})
        self.assertEqual(
            set(clocks.mapped("kind")), {"contact", "restored", "resolved"}
        )
        self.assertTrue(all(tickets.mapped("sla_deadline")))
        self.assertEqual(set(tickets.mapped("sla_state")), {"running"})
        # the dispatcher reads them through the record rules
        self.assertEqual(
            self.env(user=self.dispatcher)["fs.sla.clock"].search(
                [("ticket_id", "in", tickets.ids)]
            ),
            clocks,
        )


@tagged("post_install", "-at_install")
class TestSlaSummaryOfNewTickets(SlaCase):
    """A new ticket's SLA status is worked out with its clocks and written in
    the ORM's one UPDATE of the new row (its computed fields), not by a
    second UPDATE: and it is what the SQL derivation from the clocks gives."""

    def _ticket_updates(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables "
            "WHERE relname = 'helpdesk_ticket'"
        )
        return self.env.cr.fetchone()[0]

    def _create(self, vals_list):
        before = self._ticket_updates()
        tickets = self.env["helpdesk.ticket"].create(vals_list)
        return tickets, self._ticket_updates() - before

    def test_summary_of_new_tickets_in_one_update_and_as_sql_says(self):
        now = fields.Datetime.now()
        policy = self.env["fs.sla.policy"].create(
            {
                "name": "Test report",
                "segment": "enterprise",
                "team_ids": [Command.set(self.team.ids)],
                "level_ids": [Command.set(self.level_std.ids)],
                "milestone_ids": [
                    Command.create({"kind": "contact", "target_hours": 1}),
                    Command.create(
                        {"kind": "report", "target_hours": 48, "start_event": "close"}
                    ),
                ],
            }
        )
        line_std = self.line_aa.copy(
            {"circuit_ref": "T-STD-1", "assurance_level_id": self.level_std.id}
        )
        base = {"name": "Line down", "description": "Alarm", "team_id": self.team.id}
        tickets, updates = self._create(
            [
                {**base, "service_line_id": self.line_aaa.id},  # running
                {  # contact 15 min, reported an hour ago: breached at once
                    **base,
                    "service_line_id": self.line_aaa.id,
                    "reported_date": now - timedelta(hours=1),
                },
                {  # office hours: maybe paused or pending, whatever the time
                    **base,
                    "service_line_id": self.line_aa.id,
                },
                {  # created closed: the fault report is what runs
                    **base,
                    "service_line_id": line_std.id,
                    "stage_id": self.stage_done.id,
                    # reported at the same instant: the default (now) would
                    # fall a second later when the clock ticks meanwhile
                    "reported_date": now,
                    "first_contact_date": now,
                },
                {**base, "team_id": False},  # no policy: no SLA
            ]
        )
        # one UPDATE per new row: the ORM's, for its computed fields
        self.assertEqual(updates, len(tickets))
        self.assertEqual(tickets[3].sla_policy_id, policy)
        states = tickets.mapped("sla_state")
        self.assertEqual(states[:2], ["running", "breached"])
        self.assertEqual(states[3:], ["report_due", "none"])
        summary = [(t.sla_state, t.sla_deadline) for t in tickets]
        # the SQL derivation from the clocks finds nothing to change
        before = self._ticket_updates()
        self.env["fs.sla.engine"]._refresh_summary(tickets.ids)
        self.assertEqual(self._ticket_updates(), before)
        tickets.invalidate_recordset()
        self.assertEqual([(t.sla_state, t.sla_deadline) for t in tickets], summary)

    def test_a_sync_of_existing_tickets_still_derives_in_sql(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Line down",
                "description": "Alarm",
                "team_id": self.team.id,
                "service_line_id": self.line_aaa.id,
            }
        )
        self.env.flush_all()
        # the stored status goes stale behind the ORM's back; a sync of the
        # ticket (it has clocks: not summarised in Python) puts it right
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET sla_state = 'met' WHERE id = %s", [ticket.id]
        )
        ticket.invalidate_recordset(["sla_state"])
        self.env["fs.sla.engine"]._sync(ticket)
        ticket.invalidate_recordset(["sla_state"])
        self.assertEqual(ticket.sla_state, "running")


@tagged("post_install", "-at_install")
class TestSlaBatchEqualsSingles(SlaCase):
    """The engine works out the clocks of a batch's alike tickets once
    (fs.sla.engine._new_clock): whatever the mix of a batch, each ticket gets
    exactly the clocks it would get created alone."""

    CLOCK_FIELDS = (
        "kind",
        "policy_id",
        "milestone_id",
        "calendar_id",
        "company_id",
        "start_date",
        "deadline",
        "reached_date",
        "state",
        "breached_at",
        "breach_count",
        "sla_outcome",
        "severity_excluded",
    )

    def _clocks(self, ticket):
        return [
            tuple(
                value.id if hasattr(value, "_name") else value
                for value in (clock[name] for name in self.CLOCK_FIELDS)
            )
            for clock in ticket.sla_clock_ids.sorted("kind")
        ]

    def test_a_mixed_batch_gets_each_ticket_its_own_clocks(self):
        now = fields.Datetime.now().replace(microsecond=0)
        base = {"name": "Line down", "description": "Alarm", "team_id": self.team.id}
        vals_list = [
            {**base, "service_line_id": self.line_aaa.id, "reported_date": now},
            {**base, "service_line_id": self.line_aaa.id, "reported_date": now},
            {  # same line and time, contact already made
                **base,
                "service_line_id": self.line_aaa.id,
                "reported_date": now,
                "first_contact_date": now,
            },
            {  # same line, reported earlier: breached at once
                **base,
                "service_line_id": self.line_aaa.id,
                "reported_date": now - timedelta(hours=3),
            },
            {**base, "service_line_id": self.line_aa.id, "reported_date": now},
            {  # created closed
                **base,
                "service_line_id": self.line_aa.id,
                "reported_date": now,
                "first_contact_date": now,
                "stage_id": self.stage_done.id,
            },
        ]
        Ticket = self.env["helpdesk.ticket"]
        batch = Ticket.create([dict(vals) for vals in vals_list])
        singles = Ticket.browse()
        for vals in vals_list:
            singles |= Ticket.create(dict(vals))
        self.env.flush_all()
        (batch | singles).invalidate_recordset()
        for together, alone in zip(batch, singles, strict=True):
            self.assertTrue(together.sla_clock_ids)
            self.assertEqual(self._clocks(together), self._clocks(alone))
            self.assertEqual(
                (together.sla_state, together.sla_deadline),
                (alone.sla_state, alone.sla_deadline),
            )
        # the variants differ from one another: the batch did not copy one
        # ticket's clocks onto another's
        self.assertNotEqual(self._clocks(batch[0]), self._clocks(batch[2]))
        self.assertNotEqual(self._clocks(batch[0]), self._clocks(batch[3]))
        self.assertNotEqual(self._clocks(batch[4]), self._clocks(batch[5]))


@tagged("post_install", "-at_install")
class TestInsertAlike(SlaCase):
    """insert_alike sends each distinct set of shared values once and joins
    it to its rows in the server: every row must still come out with its own
    values and the shared ones it was given, and the log-access columns
    stamped."""

    def test_rows_get_their_shared_and_own_values(self):
        now = fields.Datetime.now().replace(microsecond=0)
        first = self._ticket(now)
        second = self._ticket(now)
        Pause = self.env["fs.sla.pause"]
        waiting = {
            "reason_id": self.wait_customer.id,
            "origin": "manual",
            "start_date": now - timedelta(hours=2),
            "end_date": now - timedelta(hours=1),
            "note": "Customer away",
            "company_id": self.company.id,
        }
        booked = {
            "reason_id": self.appointment.id,
            "origin": "stage",
            "start_date": now - timedelta(minutes=30),
            "end_date": False,
            "note": False,
            "company_id": self.company.id,
        }
        before = Pause.search([]).ids
        insert_alike(
            Pause,
            [
                (waiting, {"ticket_id": first.id, "user_id": self.env.uid}),
                (booked, {"ticket_id": first.id, "user_id": self.env.uid}),
                (waiting, {"ticket_id": second.id, "user_id": self.env.uid}),
            ],
            chunk=2,  # the shared values go with every chunk
        )
        Pause.invalidate_model()
        pauses = Pause.search([("id", "not in", before)])
        got = sorted(
            (p.ticket_id.id, p.reason_id.id, p.origin, p.note or False, p.end_date)
            for p in pauses
        )
        self.assertEqual(
            got,
            sorted(
                [
                    (
                        first.id,
                        self.wait_customer.id,
                        "manual",
                        "Customer away",
                        waiting["end_date"],
                    ),
                    (first.id, self.appointment.id, "stage", False, False),
                    (
                        second.id,
                        self.wait_customer.id,
                        "manual",
                        "Customer away",
                        waiting["end_date"],
                    ),
                ]
            ),
        )
        self.assertEqual(pauses.create_uid, self.env.user)
        self.assertTrue(all(p.create_date and p.write_date for p in pauses))
        with self.assertRaises(ValueError):
            insert_alike(Pause, [(waiting, {"note": "both"})])
