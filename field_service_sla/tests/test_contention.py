"""Rows that concurrent users and the sweeps fought over
(tests/benchmarks/bench_concurrency.py): a transaction leaves alone what it
does not change."""

from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .common import SlaCase, sh
from .escalation_common import EscalationCase

ONE_MIN = timedelta(minutes=1)


@tagged("post_install", "-at_install")
class TestCustomerRowLeftAlone(SlaCase):
    def test_posting_on_a_customers_ticket_does_not_rewrite_the_customer(self):
        self.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
        dispatcher = self.env["res.users"].create(
            {
                "name": "Contention Dispatcher",
                "login": "contention_dispatcher",
                "group_ids": [
                    Command.set(
                        [self.env.ref("field_service_sla.group_fs_dispatcher").id]
                    )
                ],
            }
        )
        ticket = self._ticket(self.env.cr.now(), partner_id=self.customer.id)
        self.customer.write({"signup_type": False, "email": "water@example.com"})
        ticket.message_subscribe(self.customer.ids)
        # the first message prepares the customer's portal link: written
        ticket.with_user(dispatcher).message_post(
            body="Technician on the way",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        self.assertEqual(self.customer.signup_type, "signup")
        self.env.cr.execute(
            "UPDATE res_partner SET write_uid = %s WHERE id = %s",
            (self.env.ref("base.user_root").id, self.customer.id),
        )
        self.customer.invalidate_recordset()
        # the next ones find it prepared: the customer's row is not updated
        ticket.with_user(dispatcher).message_post(
            body="Fibre spliced",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.write_uid, self.env.ref("base.user_root"))


@tagged("post_install", "-at_install")
class TestMarksNeverConflict(TransactionCase):
    """A user's change marks its ticket for the escalation sweep by appending
    a row, never by updating the ticket's next check, which the sweep
    rewrites: a user whose transaction began before the sweep committed
    that row used to fail on it (REPEATABLE READ)."""

    def test_marking_a_ticket_the_sweep_just_rewrote_does_not_fail(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT ticket_id, next_check FROM fs_escalation_check LIMIT 1")
            ticket_id, before = cr.fetchone()
        user_cr = self.registry.cursor()
        try:
            # the user's transaction has its snapshot
            user_cr.execute("SELECT count(*) FROM fs_escalation_check")
            with self.registry.cursor() as sweep_cr:
                sweep_cr.execute(
                    "UPDATE fs_escalation_check"
                    " SET next_check = now() + interval '1 day' WHERE ticket_id = %s",
                    (ticket_id,),
                )
            user_env = api.Environment(user_cr, SUPERUSER_ID, {})
            user_env["fs.escalation.engine"]._mark([ticket_id])
            user_env.flush_all()
        finally:
            user_cr.rollback()
            user_cr.close()
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE fs_escalation_check SET next_check = %s"
                    " WHERE ticket_id = %s",
                    (before, ticket_id),
                )


@tagged("post_install", "-at_install")
class TestMarksAreFoldedIn(EscalationCase):
    def test_a_mark_brings_the_check_forward_and_is_consumed(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aaa)
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 0))
        with self.at(sh(2026, 3, 2, 10, 0)):
            self.engine._mark(ticket.ids)
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 10, 0))
        Ticket = self.env["helpdesk.ticket"]
        due = [("escalation_next_check", "<=", sh(2026, 3, 2, 10, 0))]
        self.assertIn(ticket, Ticket.search(due))
        self.sweep(sh(2026, 3, 2, 10, 0))
        self.env.cr.execute(
            "SELECT count(*) FROM fs_escalation_mark WHERE ticket_id = %s", ticket.ids
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 0))


@tagged("post_install", "-at_install")
class TestBreachSweepSkipsWhatUsersHold(TransactionCase):
    """The breach sweep leaves the clocks of a ticket a user's transaction
    holds to that transaction, instead of waiting for it and then failing
    on what it changed."""

    def test_a_ticket_held_by_a_user_is_skipped_not_waited_for(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT c.ticket_id, array_agg(c.id), min(c.deadline)
                  FROM fs_sla_clock c
                 WHERE c.state = 'running' AND c.deadline IS NOT NULL
              GROUP BY c.ticket_id LIMIT 1
                """
            )
            row = cr.fetchone()
        if not row:
            self.skipTest("no running clock in this database")
        ticket_id, clock_ids, deadline = row
        user_cr = self.registry.cursor()
        try:
            user_cr.execute(
                "SELECT id FROM helpdesk_ticket WHERE id = %s FOR UPDATE",
                (ticket_id,),
            )
            with self.registry.cursor() as sweep_cr:
                sweep_cr.execute("SET LOCAL lock_timeout = '2s'")
                env = api.Environment(sweep_cr, SUPERUSER_ID, {})
                env["fs.sla.clock"]._cron_mark_breaches(now=deadline + ONE_MIN)
                sweep_cr.execute(
                    "SELECT count(*) FROM fs_sla_clock WHERE id = ANY(%s)"
                    " AND state = 'breached' AND deadline = %s",
                    (clock_ids, deadline),
                )
                self.assertEqual(sweep_cr.fetchone()[0], 0)
                sweep_cr.rollback()
        finally:
            user_cr.rollback()
            user_cr.close()


@tagged("post_install", "-at_install")
class TestEscalationSweepFreshSnapshot(TransactionCase):
    """The escalation sweep's first batch locks the due tickets as they are
    when it starts, not as they were when its job's transaction began: a
    ticket a user changed meanwhile is taken, not failed on."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            cr.execute("SELECT ticket_id FROM fs_escalation_check LIMIT 1")
            self.ticket_id = cr.fetchone()[0]
            cr.execute("SELECT ticket_id, next_check FROM fs_escalation_check")
            self.parked = cr.fetchall()
            cr.execute("DELETE FROM fs_escalation_mark RETURNING ticket_id, marked_at")
            self.marks = cr.fetchall()
            cr.execute(
                "UPDATE fs_escalation_check SET next_check = CASE"
                " WHEN ticket_id = %s"
                " THEN now() at time zone 'UTC' - interval '1 hour' END",
                (self.ticket_id,),
            )
        self.addCleanup(self._unpark)

    def _unpark(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                UPDATE fs_escalation_check c SET next_check = v.at
                  FROM unnest(%s::int[], %s::timestamp[]) AS v(id, at)
                 WHERE c.ticket_id = v.id
                """,
                ([r[0] for r in self.parked], [r[1] for r in self.parked]),
            )
            cr.execute("DELETE FROM fs_escalation_mark")
            cr.execute(
                """
                INSERT INTO fs_escalation_mark (ticket_id, marked_at)
                SELECT * FROM unnest(%s::int[], %s::timestamp[])
                """,
                ([r[0] for r in self.marks], [r[1] for r in self.marks]),
            )

    def test_a_ticket_changed_after_the_job_began_is_taken(self):
        taken = []
        engine_class = type(self.env["fs.escalation.engine"])

        def process(engine, ids, now, ladders):
            # taken, and looked at again in a day: nothing else is done
            taken.extend(ids)
            engine._store_next_checks(ids, [now + timedelta(days=1)] * len(ids))
            return []

        with (
            self.registry.cursor() as job_cr,
            patch.object(engine_class, "_process", process),
        ):
            # the job's transaction has its snapshot
            job_cr.execute("SELECT count(*) FROM helpdesk_ticket")
            with self.registry.cursor() as user_cr:
                user_cr.execute(
                    "UPDATE helpdesk_ticket SET write_date = write_date WHERE id = %s",
                    (self.ticket_id,),
                )
            env = api.Environment(job_cr, SUPERUSER_ID, {})
            env["fs.escalation.engine"]._sweep()
        self.assertEqual(taken, [self.ticket_id])
