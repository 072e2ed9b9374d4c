from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from ..sla_core import is_fault
from .common import SlaCase, sh

NOW = sh(2026, 6, 30, 12, 0)
D = timedelta(days=1)


@tagged("post_install", "-at_install")
class TestFaultDefinition(SlaCase):
    """One definition of a fault (on a line, active, not excluded, not
    maintenance work) and of a repeated fault, stored on the ticket and read
    by the rates, the visit trigger and the field order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env["fs.customer.tier"].create(
            {
                "name": "Fault test tier",
                "code": "TFAULT",
                "rate_window_days": 90,
                "repeat_window_days": 30,
                "fault_rate_threshold": 1.0,
            }
        )
        cls.customer.customer_tier_id = cls.tier
        cls.maintenance = cls.env.ref("field_service_sla.ticket_category_maintenance")

    @staticmethod
    def exclude(ticket):
        ticket.with_context(fs_severity_reason="Customer's power").write(
            {"severity_excluded": True}
        )

    def figures(self):
        stats, _window, reason = self.env["res.partner"]._fs_fault_figures_for(
            [self.customer.id], NOW
        )[self.customer.id]
        return stats, reason

    def test_the_core_rule(self):
        self.assertTrue(is_fault(on_line=True))
        self.assertFalse(is_fault(on_line=False))
        self.assertFalse(is_fault(on_line=True, excluded=True))
        self.assertFalse(is_fault(on_line=True, maintenance=True))
        self.assertFalse(is_fault(on_line=True, active=False))

    def test_a_repeated_fault_is_flagged_on_the_ticket(self):
        first = self._ticket(NOW - 40 * D)
        second = self._ticket(NOW - 20 * D)  # 20 days after: a repeat
        third = self._ticket(NOW - 20 * D + timedelta(hours=1))  # a repeat too
        other_line = self._ticket(NOW - 19 * D, line=self.line_aa)
        late = self._ticket(NOW)  # 20 days after the last: a repeat
        self.assertEqual(
            [t.fs_repeated_fault for t in (first, second, third, other_line, late)],
            [False, True, True, False, True],
        )
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(
            Ticket.search(
                [("fs_repeated_fault", "=", True), ("team_id", "=", self.team.id)]
            ),
            second | third | late,
        )
        # the window is the tier's
        self.tier.repeat_window_days = 10
        self.assertEqual(
            [t.fs_repeated_fault for t in (first, second, third, late)],
            [False, False, True, False],
        )

    def test_the_flag_follows_changes_of_the_earlier_fault(self):
        first = self._ticket(NOW - 10 * D)
        second = self._ticket(NOW - 5 * D)
        self.assertTrue(second.fs_repeated_fault)
        # the earlier one excluded from assessment: no longer a fault
        self.exclude(first)
        self.assertFalse(first.fs_is_fault)
        self.assertFalse(second.fs_repeated_fault)
        first.with_context(fs_severity_reason="Ours after all").write(
            {"severity_excluded": False}
        )
        self.assertTrue(second.fs_repeated_fault)
        # moved to another line, then archived, then back and deleted
        first.service_line_id = self.line_aa
        self.assertFalse(second.fs_repeated_fault)
        first.service_line_id = self.line_aaa
        self.assertTrue(second.fs_repeated_fault)
        first.active = False
        self.assertFalse(second.fs_repeated_fault)
        first.active = True
        self.assertTrue(second.fs_repeated_fault)
        first.unlink()
        self.assertFalse(second.fs_repeated_fault)
        # a fault recorded afterwards but reported before makes it a repeat
        backdated = self._ticket(NOW - 6 * D)
        self.assertFalse(backdated.fs_repeated_fault)
        self.assertTrue(second.fs_repeated_fault)

    def test_one_query_for_the_flags_of_a_batch(self):
        self._ticket(NOW - 10 * D)
        Ticket = self.env["helpdesk.ticket"]
        field = Ticket._fields["fs_repeated_fault"]
        counts = []
        for size in (1, 30):
            with freeze_time(NOW):
                tickets = Ticket.create(
                    [
                        {
                            "name": f"Down {n}",
                            "description": "x",
                            "team_id": self.team.id,
                            "service_line_id": self.line_aaa.id,
                            "reported_date": NOW - timedelta(hours=n + 1),
                        }
                        for n in range(size)
                    ]
                )
            self.env.flush_all()
            self.env.add_to_compute(field, tickets)
            before = self.env.cr.sql_log_count
            tickets._recompute_field(field)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertTrue(all(tickets.mapped("fs_repeated_fault")))
        self.assertEqual(counts, [1, 1])

    def test_excluded_and_maintenance_tickets_are_not_faults_in_the_rates(self):
        self._ticket(NOW - 10 * D)
        self._ticket(NOW - 5 * D)
        stats, reason = self.figures()
        self.assertEqual((stats.faults, stats.repeats, stats.lines), (2, 1, 2))
        self.assertIsNone(reason)  # 1 fault a line: not above 1.0
        excluded = self._ticket(NOW - 4 * D)
        maintenance = self._ticket(NOW - 3 * D, category_id=self.maintenance.id)
        stats, reason = self.figures()
        self.assertEqual((stats.faults, stats.repeats), (3, 2))
        self.assertEqual(reason, "fault_rate")
        self.exclude(excluded)
        stats, reason = self.figures()
        self.assertEqual((stats.faults, stats.repeats), (2, 1))
        self.assertIsNone(reason)
        self.assertFalse(maintenance.fs_is_fault)
        self.assertFalse(maintenance.fs_repeated_fault)
        # the customer's Service level tab reads the same figures
        with freeze_time(NOW):
            self.customer.invalidate_recordset()
            self.assertEqual(self.customer.fs_fault_count, 2)
            self.assertFalse(self.customer.fs_rate_alert)
        # nor does the visit planning call for a visit
        with freeze_time(NOW):
            visits = self.env["fs.visit"]._plan_visits(today=NOW.date(), now=NOW)
        self.assertFalse(visits.filtered(lambda v: v.partner_id == self.customer))

    def test_an_inspection_finding_raises_maintenance_work(self):
        """The follow-up ticket of a finding is maintenance: its category, the
        shipped lenient policy (no 15-min contact of an AAA fault), no fault
        in the rates and no repeat for the next real fault."""
        fault = self._ticket(NOW - 10 * D)
        location = self.env["fsm.location"].create(
            {"name": "Fault test room", "owner_id": self.customer.id}
        )
        self.line_aaa.location_id = location
        inspection = self.env["fs.inspection"].create(
            {
                "template_id": self.env.ref(
                    "field_service_sla.inspection_template_enterprise"
                ).id,
                "location_id": location.id,
                "service_line_id": self.line_aaa.id,
            }
        )
        for reading in inspection.reading_ids:
            reading.value = reading.min_value or 0.0
            if reading.name == "Grounding resistance":
                reading.value = 6.2
        inspection.item_ids.result = "pass"
        with freeze_time(NOW - 5 * D):
            inspection.action_start()
            inspection.action_done()
        ticket = inspection.finding_ids.ticket_id
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.category_id, self.maintenance)
        self.assertEqual(
            ticket.sla_policy_id, self.env.ref("field_service_sla.policy_maintenance")
        )
        self.assertEqual(ticket.sla_clock_ids.mapped("kind"), ["resolved"])
        self.assertEqual(ticket.sla_clock_ids.target_hours, 168)
        self.assertFalse(ticket.fs_is_fault)
        self.assertFalse(ticket.fs_repeated_fault)
        later = self._ticket(NOW - 1 * D, line=self.line_aa)
        stats, _reason = self.figures()
        self.assertEqual((stats.faults, stats.repeats), (2, 0))
        # a fault after the finding repeats the earlier fault, not the finding
        again = self._ticket(NOW - 2 * D)
        self.assertTrue(again.fs_repeated_fault)
        self.exclude(fault)
        self.assertFalse(again.fs_repeated_fault)
        self.assertFalse(later.fs_repeated_fault)

    def test_the_field_order_reads_the_ticket_flag(self):
        self._ticket(NOW - 10 * D)
        second = self._ticket(NOW - 5 * D)
        order = self.env["fsm.order"].create(
            {
                "ticket_id": second.id,
                "location_id": self.env["fsm.location"]
                .create({"name": "Order room", "owner_id": self.customer.id})
                .id,
            }
        )
        order.write({"fs_work_result": "restored"})
        self.assertTrue(order.fs_repeated_fault)

    def test_the_dispatcher_filters_and_groups_by_it(self):
        self._ticket(NOW - 10 * D)
        self._ticket(NOW - 5 * D)
        groups = self.env["helpdesk.ticket"]._read_group(
            [("team_id", "=", self.team.id)], ["fs_repeated_fault"], ["__count"]
        )
        self.assertEqual(dict(groups), {True: 1, False: 1})
        search = self.env.ref(
            "field_service_sla.helpdesk_ticket_view_search_fs_repeated"
        )
        self.assertIn('name="fs_repeated_fault"', search.arch)
        form = Form(self.env["helpdesk.ticket"])
        self.assertIn("fs_repeated_fault", form._view["fields"])

    def test_a_category_becoming_maintenance_takes_its_tickets_out(self):
        category = self.env["helpdesk.ticket.category"].create({"name": "Checks"})
        first = self._ticket(NOW - 10 * D, category_id=category.id)
        second = self._ticket(NOW - 5 * D)
        self.assertTrue(second.fs_repeated_fault)
        category.fs_maintenance = True
        self.assertFalse(first.fs_is_fault)
        self.assertFalse(second.fs_repeated_fault)
        category.fs_maintenance = False
        self.assertTrue(second.fs_repeated_fault)

    def test_the_set_based_pass_agrees_with_the_incremental_flags(self):
        tickets = self.env["helpdesk.ticket"]
        for days, line in ((40, None), (25, None), (24, self.line_aa), (3, None),
                           (2, self.line_aa), (1, self.line_aa)):  # fmt: skip
            tickets |= self._ticket(NOW - days * D, line=line)
        expected = tickets.mapped("fs_repeated_fault")
        # a 30-day window: -25 repeats -40, -3 repeats -25, -2 repeats -24
        self.assertEqual(expected, [False, True, False, True, True, True])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET fs_repeated_fault = NULL WHERE id = ANY(%s)",
            [tickets.ids],
        )
        self.env.invalidate_all()
        Ticket = self.env["helpdesk.ticket"]
        self.assertGreaterEqual(Ticket._fs_recompute_all_repeats(), 2)
        self.assertEqual(tickets.mapped("fs_repeated_fault"), expected)
        self.assertEqual(Ticket._fs_recompute_all_repeats(), 0)
