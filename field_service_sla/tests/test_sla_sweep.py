from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaSweep(SlaCase):
    def test_sweep_marks_overdue_clocks_in_a_fixed_number_of_queries(self):
        tickets = self.env["helpdesk.ticket"]
        for n in (2, 30):
            with freeze_time(sh(2026, 3, 2, 10, 0)):
                batch = self.env["helpdesk.ticket"].create(
                    [
                        {
                            "name": f"T{i}",
                            "description": "x",
                            "team_id": self.team.id,
                            "service_line_id": self.line_aaa.id,
                            "reported_date": sh(2026, 3, 2, 10, 0),
                        }
                        for i in range(n)
                    ]
                )
            tickets |= batch
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            with freeze_time(sh(2026, 3, 2, 10, 16)):
                self.env["fs.sla.clock"]._cron_mark_breaches()
            queries = self.env.cr.sql_log_count - before
            self.assertLessEqual(queries, 3, f"{n} tickets: {queries} queries")
        self.assertEqual(set(tickets.mapped("sla_state")), {"breached"})
        contacts = tickets.sla_clock_ids.filtered(lambda c: c.kind == "contact")
        self.assertEqual(set(contacts.mapped("state")), {"breached"})
        # the restore clocks are not due yet and stay running
        restored = tickets.sla_clock_ids.filtered(lambda c: c.kind == "restored")
        self.assertEqual(set(restored.mapped("state")), {"running"})
        self.assertEqual(tickets[0].sla_deadline, sh(2026, 3, 2, 14, 0))

    def test_sweep_with_nothing_due_changes_nothing(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self.assertEqual(self.env["fs.sla.clock"]._cron_mark_breaches(), 0)
        self.assertEqual(ticket.sla_state, "running")

    def test_sweep_uses_the_running_deadline_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'fs_sla_clock'"
        )
        definitions = " ".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("(deadline) WHERE ((state)::text = 'running'::text)", definitions)

    def test_cron_is_registered(self):
        cron = self.env.ref("field_service_sla.ir_cron_mark_breaches")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "minutes")
