from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaOutcome(SlaCase):
    """Each clock's stored assessment, whichever path wrote the clock: the
    engine's own INSERT, the ORM, the breach sweep's UPDATE."""

    def outcomes(self, ticket):
        ticket.sla_clock_ids.invalidate_recordset()
        return {
            c.kind: (c.sla_outcome, c.on_time_count, c.missed_count, c.on_time_rate)
            for c in ticket.sla_clock_ids
        }

    def test_a_clock_created_reached_in_time_is_on_time(self):
        ticket = self._ticket(
            sh(2026, 3, 2, 10, 0), first_contact_date=sh(2026, 3, 2, 10, 5)
        )
        outcomes = self.outcomes(ticket)
        self.assertEqual(outcomes["contact"], ("on_time", 1, 0, 100.0))
        self.assertEqual(outcomes["restored"], ("open", 0, 0, 0.0))

    def test_the_sweep_makes_a_breach_missed(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        self.assertEqual(self.outcomes(ticket)["contact"], ("missed", 0, 1, 0.0))
        # reached later, the breach still counts
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            ticket.action_sla_contacted()
        self.assertEqual(self.outcomes(ticket)["contact"][0], "missed")

    def test_a_waived_breach_is_on_time(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        waiver = self.env["fs.sla.breach.waiver"].create(
            {
                "ticket_id": ticket.id,
                "clock_id": self.clock(ticket, "contact").id,
                "reason": "Customer gave a wrong number",
            }
        )
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            waiver.action_waive()
        self.assertEqual(self.outcomes(ticket)["contact"][0], "on_time")

    def test_a_closed_ticket_never_reached_is_missed_not_paused(self):
        ticket = self._ticket(
            sh(2026, 3, 2, 10, 0), first_contact_date=sh(2026, 3, 2, 10, 5)
        )
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            ticket.stage_id = self.stage_done
        restored = self.clock(ticket, "restored")
        self.assertEqual(restored.state, "paused")
        self.assertEqual(self.outcomes(ticket)["restored"], ("missed", 0, 1, 0.0))
        self.assertEqual(self.outcomes(ticket)["contact"][0], "on_time")
        # reopened, it is not judged yet
        with freeze_time(sh(2026, 3, 2, 11, 30)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self.outcomes(ticket)["restored"][0], "open")

    def test_the_fault_report_due_after_the_close_is_not_judged_yet(self):
        self.policy_aaa.milestone_ids = [
            (
                0,
                0,
                {
                    "sequence": 9,
                    "kind": "report",
                    "target_hours": 48,
                    "start_event": "close",
                },
            )
        ]
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 13, 0)):
            ticket.write(
                {
                    "first_contact_date": sh(2026, 3, 2, 10, 5),
                    "restored_date": sh(2026, 3, 2, 12, 0),
                }
            )
            ticket.stage_id = self.stage_done
        self.assertEqual(self.clock(ticket, "report").state, "running")
        outcomes = self.outcomes(ticket)
        self.assertEqual(outcomes["report"][0], "open")
        self.assertEqual(outcomes["restored"][0], "on_time")

    def test_the_pivot_averages_to_the_on_time_rate_over_assessed_clocks(self):
        on_time = self._ticket(
            sh(2026, 3, 2, 10, 0), first_contact_date=sh(2026, 3, 2, 10, 5)
        )
        late = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        [(rate, count)] = self.env["fs.sla.clock"]._read_group(
            [
                ("ticket_id", "in", (on_time | late).ids),
                ("kind", "=", "contact"),
                ("sla_outcome", "in", ("on_time", "missed")),
            ],
            [],
            ["on_time_rate:avg", "__count"],
        )
        self.assertEqual((rate, count), (50.0, 2))
        # the ticket's groupings are readable on the clock
        [(tier, month, n)] = self.env["fs.sla.clock"]._read_group(
            [("ticket_id", "in", on_time.ids)],
            ["ticket_tier_id", "ticket_reported_date:month"],
            ["__count"],
        )
        self.assertEqual((tier, n), (self.diamond, 3))
        self.assertEqual((month.year, month.month), (2026, 3))
