from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaClocks(SlaCase):
    def test_service_line_fills_customer_tier_level_and_policy(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.partner_name, "Test Water Group")
        self.assertEqual(ticket.customer_tier_id, self.diamond)
        self.assertEqual(ticket.assurance_level_id, self.aaa)
        self.assertEqual(ticket.customer_segment, "enterprise")
        self.assertEqual(ticket.sla_policy_id, self.policy_aaa)
        self.assertEqual(
            sorted(ticket.sla_clock_ids.mapped("kind")),
            ["contact", "resolved", "restored"],
        )

    def test_deadline_stored_in_utc_for_shanghai_company(self):
        # 10:00 in Shanghai is 02:00 UTC; 15 minutes around the clock.
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        contact = self.clock(ticket, "contact")
        self.assertEqual(contact.start_date, sh(2026, 3, 2, 10, 0))
        self.assertEqual(contact.deadline.hour, 2)
        self.assertEqual(contact.deadline, sh(2026, 3, 2, 10, 15))
        self.assertEqual(contact.state, "running")
        self.assertEqual(ticket.sla_deadline, contact.deadline)
        self.assertEqual(ticket.sla_state, "running")

    def test_friday_1650_on_office_calendar_rolls_to_monday(self):
        # Friday 6 March 2026, 16:50 in Shanghai: the office closes at 17:00 on
        # Fridays, so 10 of the 30 minutes pass on Friday and 20 on Monday.
        ticket = self._ticket(sh(2026, 3, 6, 16, 50), line=self.line_aa)
        self.assertEqual(ticket.sla_policy_id, self.policy_aa)
        contact = self.clock(ticket, "contact")
        self.assertEqual(contact.deadline, sh(2026, 3, 9, 8, 50))
        # the around-the-clock restore milestone is not affected by the calendar
        self.assertEqual(self.clock(ticket, "restored").deadline, sh(2026, 3, 7, 0, 50))

    def test_public_holiday_is_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Qingming",
                "calendar_id": self.office.id,
                "date_from": sh(2026, 4, 6, 0, 0),
                "date_to": sh(2026, 4, 6, 23, 59, 59),
            }
        )
        # Friday 3 April 17:00 is closing time; Monday 6 April is a holiday.
        ticket = self._ticket(sh(2026, 4, 3, 16, 50), line=self.line_aa)
        self.assertEqual(self.clock(ticket, "contact").deadline, sh(2026, 4, 7, 8, 50))

    def test_reaching_a_milestone_in_time_and_late(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 10)):
            ticket.action_sla_contacted()
        contact = self.clock(ticket, "contact")
        self.assertEqual(
            (contact.state, contact.reached_date), ("met", sh(2026, 3, 2, 10, 10))
        )
        with freeze_time(sh(2026, 3, 2, 14, 30)):
            ticket.action_sla_restored()
        self.assertEqual(self.clock(ticket, "restored").state, "breached")
        self.assertEqual(ticket.sla_state, "breached")

    def test_remaining_time_is_live(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        contact = self.clock(ticket, "contact")
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            contact.invalidate_recordset(["remaining_hours"])
            self.assertAlmostEqual(contact.remaining_hours, 10 / 60)
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            contact.invalidate_recordset(["remaining_hours"])
            self.assertAlmostEqual(contact.remaining_hours, -5 / 60)

    def test_pause_and_resume_move_only_the_paused_milestones(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self.env["fs.sla.pause.wizard"].with_context(active_ids=ticket.ids).create(
                {"reason_id": self.wait_customer.id, "note": "Machine room locked"}
            ).action_pause()
        restored = self.clock(ticket, "restored")
        self.assertEqual((restored.state, restored.deadline), ("paused", False))
        self.assertTrue(ticket.sla_paused)
        self.assertIn(
            ticket, self.env["helpdesk.ticket"].search([("sla_paused", "=", True)])
        )
        # the contact milestone does not pause for this reason
        self.assertEqual(self.clock(ticket, "contact").state, "running")
        with freeze_time(sh(2026, 3, 2, 12, 5)):
            ticket.action_sla_resume()
        self.assertFalse(ticket.sla_paused)
        self.assertEqual(restored.state, "running")
        self.assertEqual(restored.deadline, sh(2026, 3, 2, 16, 0))  # 14:00 + 2 h paused
        self.assertAlmostEqual(restored.paused_hours, 2.0)

    def test_pausing_stage_pauses_and_leaving_it_resumes(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            ticket.stage_id = self.stage_awaiting
        self.assertEqual(self.clock(ticket, "restored").state, "paused")
        with freeze_time(sh(2026, 3, 2, 11, 30)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self.clock(ticket, "restored").deadline, sh(2026, 3, 2, 15, 0))
        self.assertEqual(ticket.sla_pause_ids.origin, "stage")

    def test_restore_duration_excludes_paused_time(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            ticket.stage_id = self.stage_awaiting
        with freeze_time(sh(2026, 3, 2, 11, 30)):
            ticket.stage_id = self.stage_progress
        with freeze_time(sh(2026, 3, 2, 13, 0)):
            ticket.action_sla_restored()
        self.assertAlmostEqual(ticket.restore_duration_hours, 2.0)
        self.assertEqual(self.clock(ticket, "restored").state, "met")

    def test_reclassification_recomputes_open_milestones_from_original_start(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0), line=self.line_aa)  # Monday
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            ticket.action_sla_contacted()  # met under AA (30 min)
        contact_before = self.clock(ticket, "contact")
        messages = len(ticket.message_ids)
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            ticket.assurance_level_id = self.aaa
        self.assertEqual(ticket.sla_policy_id, self.policy_aaa)
        contact = self.clock(ticket, "contact")
        # reached milestones keep their reach time and verdict (20 min > AAA's 15)
        self.assertEqual(contact, contact_before)
        self.assertEqual(
            (contact.state, contact.reached_date), ("met", sh(2026, 3, 2, 10, 20))
        )
        # the open ones count from the original report under the new targets
        self.assertEqual(self.clock(ticket, "restored").deadline, sh(2026, 3, 2, 14, 0))
        self.assertTrue(self.clock(ticket, "resolved"))
        self.assertGreater(len(ticket.message_ids), messages)
        self.assertIn("Test AAA", ticket.message_ids[0].body)

    def test_priority_change_posts_recomputation_in_chatter(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        self.policy_aaa.copy(
            {"name": "Test AAA urgent", "priority": "3"}
        ).milestone_ids.filtered(lambda m: m.kind == "restored").target_hours = 2
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            ticket.priority = "3"
        self.assertEqual(ticket.sla_policy_id.name, "Test AAA urgent")
        self.assertEqual(self.clock(ticket, "restored").deadline, sh(2026, 3, 2, 12, 0))
        self.assertIn("Test AAA urgent", ticket.message_ids[0].body)

    def test_reopened_ticket_resumes_its_clocks(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            ticket.stage_id = self.stage_done
        resolved = self.clock(ticket, "resolved")
        self.assertEqual(
            (resolved.state, resolved.reached_date), ("met", sh(2026, 3, 2, 11, 0))
        )
        self.assertEqual(
            self.clock(ticket, "restored").state, "paused"
        )  # never restored
        with freeze_time(sh(2026, 3, 2, 15, 0)):
            ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.resolved_date)
        self.assertEqual(resolved.state, "running")
        self.assertFalse(resolved.reached_date)
        # 1 h used before closing, 4 h closed: 7 h left from 15:00
        self.assertEqual(resolved.deadline, sh(2026, 3, 2, 22, 0))
        self.assertEqual(self.clock(ticket, "restored").deadline, sh(2026, 3, 2, 18, 0))
        self.assertIn("reopened", ticket.message_ids[0].body)

    def test_cancelled_ticket_is_not_resolved(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            ticket.stage_id = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
            )
        self.assertFalse(ticket.resolved_date)
        resolved = self.clock(ticket, "resolved")
        self.assertEqual((resolved.state, resolved.reached_date), ("paused", False))

    def test_due_soon_and_breached_filters(self):
        soon = self._ticket(sh(2026, 3, 2, 10, 0))
        later = self._ticket(sh(2026, 3, 2, 10, 0), line=self.line_aa)
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(sh(2026, 3, 2, 10, 0)):
            due = Ticket.search(
                [("sla_due_soon", "=", True), ("team_id", "=", self.team.id)]
            )
        self.assertIn(soon, due)
        self.assertIn(later, due)  # AA contact due 10:30
        with freeze_time(sh(2026, 3, 2, 10, 40)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
            breached = Ticket.search(
                [("sla_state", "=", "breached"), ("team_id", "=", self.team.id)]
            )
        self.assertEqual(breached, soon | later)
        self.assertEqual(soon.sla_urgency, "late")

    def test_no_matching_policy_means_no_clock(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "How do I?", "team_id": self.team.id}
        )
        self.assertFalse(ticket.sla_policy_id)
        self.assertFalse(ticket.sla_clock_ids)
        self.assertEqual(ticket.sla_state, "none")

    def _create_cost(self, n=20):
        vals = [
            {
                "name": f"T{i}",
                "description": "x",
                "team_id": self.team.id,
                "service_line_id": (self.line_aaa if i % 2 else self.line_aa).id,
            }
            for i in range(n)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["helpdesk.ticket"].create(vals)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_create_queries_do_not_grow_with_policies(self):
        self._create_cost()  # warm the caches
        few_policies = self._create_cost()
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Other"})
        for n in range(40):
            self.policy_aaa.copy(
                {
                    "name": f"Other {n}",
                    "team_ids": [(6, 0, other_team.ids)],
                    "sequence": 100 + n,
                }
            )
        many_policies = self._create_cost()
        self.assertLessEqual(
            many_policies, few_policies + 4, (few_policies, many_policies)
        )

    def test_create_queries_grow_slower_than_tickets(self):
        self._create_cost()
        twenty, forty = self._create_cost(20), self._create_cost(40)
        # what grows per ticket is helpdesk_mgmt's own work (numbering, mail);
        # the SLA part is a fixed number of batched queries
        self.assertLess(forty - twenty, twenty, (twenty, forty))
