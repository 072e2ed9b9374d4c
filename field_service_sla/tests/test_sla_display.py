from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaDisplay(SlaCase):
    """What dispatchers and technicians read about a ticket's SLA."""

    def _summary(self, ticket, at):
        with freeze_time(at):
            ticket.invalidate_recordset(["sla_summary"])
            return ticket.sla_summary

    def _pause(self, ticket, note=False):
        return (
            self.env["fs.sla.pause.wizard"]
            .with_context(active_ids=ticket.ids)
            .create({"reason_id": self.wait_customer.id, "note": note})
            .action_pause()
        )

    def test_cards_and_lists_name_the_late_or_next_milestone(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 10, 5)), "First contact: 10 min left"
        )
        # overdue before and after the sweep: named, never the next deadline
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 10, 40)),
            "First contact: overdue by 25 min",
        )
        with freeze_time(sh(2026, 3, 2, 10, 40)):  # red before the sweep too
            ticket.invalidate_recordset(["sla_urgency"])
            self.assertEqual(ticket.sla_urgency, "late")
        with freeze_time(sh(2026, 3, 2, 10, 40)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        self.assertEqual(ticket.sla_state, "breached")
        self.assertEqual(ticket.sla_deadline, sh(2026, 3, 2, 14, 0))  # restore
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 11, 45)),
            "First contact: overdue by 1 h 30 min",
        )
        with freeze_time(sh(2026, 3, 2, 11, 50)):
            ticket.action_sla_contacted()
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 12, 0)),
            "Service restored: 2 h left; First contact breached",
        )
        with freeze_time(sh(2026, 3, 2, 12, 0)):
            ticket.action_sla_restored()
            ticket.stage_id = self.stage_done
        # closed: the final verdict, by how much it was late when reached
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 12, 5)),
            "First contact breached by 1 h 35 min",
        )
        for view in ("kanban", "list"):
            arch = self.env["helpdesk.ticket"].get_views([(False, view)])["views"][
                view
            ]["arch"]
            self.assertIn('name="sla_summary"', arch, view)

    def test_a_closed_ticket_shows_its_final_verdict_frozen_at_close(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))  # contact due 10:15
        with freeze_time(sh(2026, 3, 2, 10, 40)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        with freeze_time(sh(2026, 3, 2, 12, 0)):  # closed, never contacted
            ticket.stage_id = self.stage_done
        contact = self.clock(ticket, "contact")
        restored = self.clock(ticket, "restored")  # due 14:00: not late
        seen = []
        for at in (sh(2026, 3, 2, 12, 5), sh(2026, 4, 21, 12, 0)):  # 50 days on
            with freeze_time(at):
                ticket.invalidate_recordset(["sla_summary"])
                ticket.sla_clock_ids.invalidate_recordset(
                    ["verdict", "remaining_hours"]
                )
                seen.append(
                    (
                        ticket.sla_summary,
                        contact.verdict,
                        restored.verdict,
                        contact.remaining_hours,
                    )
                )
        self.assertEqual(
            seen[0],
            (
                "First contact breached by 1 h 45 min",
                "Breached by 1 h 45 min",
                "Not reached at close",
                -1.75,
            ),
        )
        self.assertEqual(seen[1], seen[0])

    def test_pause_is_offered_only_when_not_paused_and_is_logged(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        arch = self.env["helpdesk.ticket"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertRegex(
            arch, r'name="action_sla_pause"[^>]*invisible="[^"]*sla_paused'
        )
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self._pause(ticket, note="Machine room locked")
        self.assertIn(
            "SLA clocks paused: Waiting for customer (Machine room locked)",
            ticket.message_ids[0].body,
        )
        with self.assertRefused(UserError, "Already paused"):
            self._pause(ticket)
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        with freeze_time(sh(2026, 3, 2, 11, 35)):
            ticket.action_sla_resume()
        self.assertIn(
            "SLA clocks resumed after 1 h 30 min (Waiting for customer)",
            ticket.message_ids[0].body,
        )

    def test_pause_is_refused_on_a_ticket_paused_by_its_stage(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            ticket.stage_id = self.stage_awaiting
        self.assertTrue(ticket.sla_paused)
        self.assertFalse(ticket.sla_paused_by_hand)  # so Resume is not offered
        with self.assertRefused(UserError, "Already paused"):
            self._pause(ticket)
        self.assertEqual(ticket.sla_pause_ids.origin, "stage")

    def test_closed_ticket_waiting_only_for_its_report_says_report_due(self):
        self.env["fs.sla.milestone"].create(
            {
                "policy_id": self.policy_aaa.id,
                "kind": "report",
                "target_hours": 48,
                "start_event": "close",
            }
        )
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 10)):
            ticket.action_sla_contacted()
            ticket.action_sla_restored()
            self.assertEqual(ticket.sla_state, "running")
            ticket.stage_id = self.stage_done
        self.assertEqual(self.clock(ticket, "report").state, "running")
        self.assertEqual(ticket.sla_state, "report_due")
        labels = dict(ticket._fields["sla_state"]._description_selection(self.env))
        self.assertEqual(labels["report_due"], "Report due")
        self.assertEqual(
            self._summary(ticket, sh(2026, 3, 2, 11, 10)),
            "Fault report submitted: 1 d 23 h left",
        )

    def test_new_ticket_shows_its_policy_and_deadlines_before_saving(self):
        clocks = self.env["fs.sla.clock"].search_count([])
        tickets = self.env["helpdesk.ticket"].search_count([])
        with freeze_time(sh(2026, 3, 2, 10, 0)):
            form = Form(self.env["helpdesk.ticket"])
            form.team_id = self.team
            form.service_line_id = self.line_aaa
            self.assertEqual(form.sla_preview_policy_id, self.policy_aaa)
            preview = str(form.sla_preview)
        self.assertIn("First contact", preview)
        self.assertIn("2026-03-02 10:15", preview)  # Shanghai time
        self.assertIn("2026-03-02 14:00", preview)
        self.assertEqual(self.env["fs.sla.clock"].search_count([]), clocks)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets)

    def test_tickets_without_sla_group_under_no_sla(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "x", "team_id": self.team.id}
        )
        self.assertFalse(ticket.sla_policy_id)
        self.assertEqual(ticket.sla_state, "none")
        groups = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("id", "=", ticket.id)], ["sla_state"], ["__count"]
            )
        )
        self.assertEqual(groups, {"none": 1})
        labels = dict(ticket._fields["sla_state"]._description_selection(self.env))
        self.assertEqual(labels["none"], "No SLA")
