from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..sla_core import fault_stats
from .common import SlaCase, sh

NOW = sh(2026, 6, 30, 12, 0)
TODAY = date(2026, 6, 30)
D = timedelta(days=1)


@tagged("post_install", "-at_install")
class TestVisits(SlaCase):
    """Fault rate, repeat-fault rate and periodic visits on a small fixture:
    customer A has lines L1, L2 and a withdrawn line L3; B one quiet line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env["fs.customer.tier"].create(
            {
                "name": "Visit test tier",
                "code": "TVISIT",
                "visit_interval_days": 30,
                "rate_window_days": 90,
                "repeat_window_days": 30,
                "fault_rate_threshold": 1.0,
                "repeat_rate_threshold": 0.5,
            }
        )
        groups = {
            "technician": "field_service_sla.group_fs_technician",
            "dispatcher": "field_service_sla.group_fs_dispatcher",
            "account_manager": "field_service_sla.group_fs_account_manager",
            "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user_own",
        }
        cls.users = {
            role: new_test_user(cls.env, login=f"visit_{role}", groups=group)
            for role, group in groups.items()
        }
        cls.customer.write(
            {
                "customer_tier_id": cls.tier.id,
                "account_manager_id": cls.users["account_manager"].id,
                "network_manager_id": cls.users["technician"].id,
            }
        )
        cls.quiet = cls.env["res.partner"].create(
            {"name": "Quiet Logistics", "is_company": True, "customer_tier_id": cls.tier.id}
        )
        cls.line_quiet = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "T-Q-1",
                "partner_id": cls.quiet.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aa.id,
            }
        )
        cls.line_gone = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "T-GONE-1",
                "partner_id": cls.customer.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aa.id,
            }
        )
        l1, l2, l3 = cls.line_aaa, cls.line_aa, cls.line_gone
        cls.faults = [
            (l1, NOW - 100 * D),  # before the window: makes the next a repeat
            (l1, NOW - 80 * D),  # repeat (20 days)
            (l1, NOW - 40 * D),  # 40 days later: not a repeat
            (l2, NOW - 10 * D),
            (l2, NOW - 5 * D),  # repeat
            (l3, NOW - 3 * D),  # on the line withdrawn since
        ]
        cls.tickets = cls.env["helpdesk.ticket"]
        for line, at in cls.faults:
            cls.tickets |= cls._make_ticket(at, service_line_id=line.id)
        # neither is a fault: no service line; archived
        cls.request = cls._make_ticket(NOW - 2 * D, partner_id=cls.customer.id)
        cls._make_ticket(NOW - 2 * D, service_line_id=l2.id).active = False
        l3.active = False

    @classmethod
    def _make_ticket(cls, reported, **values):
        with freeze_time(reported):
            return cls.env["helpdesk.ticket"].create(
                {"name": "Down", "description": "x", "team_id": cls.team.id,
                 "reported_date": reported, **values}
            )

    def _plan(self, today=TODAY):
        visits = self.env["fs.visit"]._plan_visits(today=today, now=NOW)
        return visits.filtered(lambda v: v.partner_id in self.customer | self.quiet)

    def test_rates_of_a_small_fixture(self):
        with freeze_time(NOW):
            self.customer.invalidate_recordset()
            a, b = self.customer, self.quiet
            self.assertEqual(
                (a.fs_fault_count, a.fs_repeat_count, a.fs_fault_line_count), (5, 2, 3)
            )
            self.assertAlmostEqual(a.fs_fault_rate, 5 / 3, places=2)
            self.assertAlmostEqual(a.fs_repeat_rate, 0.4)
            self.assertTrue(a.fs_rate_alert)  # 1.67 faults per line > 1.0
            self.assertEqual((b.fs_fault_count, b.fs_fault_rate, b.fs_rate_alert), (0, 0.0, False))
        # the SQL says what the core says
        core = fault_stats(
            [(line.id, at) for line, at in self.faults],
            {self.line_aaa.id, self.line_aa.id},
            NOW,
            90,
            30,
        )
        stats = self.env["res.partner"]._fs_fault_figures_for([self.customer.id], NOW)
        self.assertEqual(stats[self.customer.id][0], core)

    def test_rates_in_one_query_whatever_the_number_of_customers(self):
        partners = self.env["res.partner"]
        self.env.flush_all()
        with self.assertQueryCount(1):
            partners._fs_fault_figures_for([self.customer.id], NOW)
        with self.assertQueryCount(1):
            partners._fs_fault_figures_for([self.customer.id, self.quiet.id], NOW)

    def test_a_window_change_moves_the_rates(self):
        self.tier.repeat_window_days = 3
        stats = self.env["res.partner"]._fs_fault_figures_for([self.customer.id], NOW)
        self.assertEqual(stats[self.customer.id][0].repeats, 0)
        self.tier.rate_window_days = 7
        stats = self.env["res.partner"]._fs_fault_figures_for([self.customer.id], NOW)
        # L2 at -5 and L3 at -3; L3 counts as a line
        self.assertEqual(stats[self.customer.id][0].faults, 2)
        self.assertEqual(stats[self.customer.id][0].lines, 3)

    def test_due_by_cadence_and_by_threshold(self):
        self.env["fs.visit"].create(
            {"partner_id": self.quiet.id, "planned_date": TODAY - 10 * D, "state": "done"}
        )
        visits = self._plan()
        got = sorted((v.partner_id.name, v.planned_date, v.reason) for v in visits)
        self.assertEqual(
            got,
            [
                ("Quiet Logistics", TODAY + 20 * D, "cadence"),
                ("Test Water Group", TODAY, "fault_rate"),
                ("Test Water Group", TODAY + 30 * D, "cadence"),
            ],
        )
        # the maintainer is the customer's network-service manager
        self.assertEqual(
            visits.filtered(lambda v: v.partner_id == self.customer).user_id,
            self.users["technician"],
        )

    def test_a_repeat_rate_above_threshold_calls_for_a_visit(self):
        self.tier.write({"fault_rate_threshold": 0, "repeat_rate_threshold": 0.3})
        visits = self._plan().filtered(
            lambda v: v.planned_date == TODAY and v.partner_id == self.customer
        )
        self.assertEqual(visits.mapped("reason"), ["repeat_rate"])

    def test_planning_twice_creates_nothing_twice(self):
        first = self._plan()
        self.assertTrue(first)
        self.assertFalse(self.env["fs.visit"]._plan_visits(today=TODAY, now=NOW))
        # nor the next day
        self.assertFalse(self._plan(TODAY + D))

    def test_an_overdue_visit_is_not_planned_again(self):
        self.env["fs.visit"].create(
            {"partner_id": self.quiet.id, "planned_date": TODAY - 40 * D}
        )
        self.assertFalse(self._plan().filtered(lambda v: v.partner_id == self.quiet))

    def test_one_visit_a_day_per_customer(self):
        self.env["fs.visit"].create({"partner_id": self.quiet.id, "planned_date": TODAY})
        with self.assertRefused(ValidationError, "already has a visit"):
            self.env["fs.visit"].create({"partner_id": self.quiet.id, "planned_date": TODAY})
        # a cancelled visit leaves the day free
        self.env["fs.visit"].search([("partner_id", "=", self.quiet.id)]).action_cancel()
        self.env["fs.visit"].create({"partner_id": self.quiet.id, "planned_date": TODAY})

    def test_bad_tier_figures_are_refused(self):
        with self.assertRefused(ValidationError, "between 0 and 1"):
            self.tier.repeat_rate_threshold = 1.5
        with self.assertRefused(ValidationError, "zero or more days"):
            self.tier.visit_interval_days = -7
        with self.assertRaises(UserError):
            self.env["fs.visit"]._plan_visits(today=TODAY, horizon_days=-1)

    def test_the_preparation_pack(self):
        visit = self.env["fs.visit"].create(
            {"partner_id": self.customer.id, "planned_date": TODAY}
        )
        with freeze_time(NOW):
            visit.invalidate_recordset()
            self.assertEqual(visit.service_line_ids, self.line_aaa | self.line_aa)
            # the window's tickets: five faults and the request, not the one
            # 100 days ago nor the archived one
            self.assertEqual(visit.recent_ticket_ids, self.tickets[1:] | self.request)
            self.assertAlmostEqual(visit.fault_rate, 5 / 3, places=2)
            self.assertAlmostEqual(visit.repeat_rate, 0.4)
            self.assertEqual((visit.fault_count, visit.repeat_count), (5, 2))
            self.assertTrue(visit.rate_alert)

    def test_the_outcome(self):
        visit = self.env["fs.visit"].create(
            {"partner_id": self.customer.id, "planned_date": TODAY}
        )
        with freeze_time(NOW):
            with self.assertRefused(UserError, "service quality"):
                visit.action_done()
            visit.quality_told = True
            with self.assertRefused(UserError, "confirm it with the customer"):
                visit.action_done()
            visit.write({"rates_confirmed": True, "new_needs": "A backup line"})
            visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertAlmostEqual(visit.confirmed_fault_rate, 1.67)
        self.assertAlmostEqual(visit.confirmed_repeat_rate, 0.4)
        with self.assertRaises(UserError):
            visit.action_cancel()
        action = visit.action_create_follow_up_ticket()
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(**action["context"])
            .create({"description": "Quote a backup line"})
        )
        self.assertEqual(visit.follow_up_ticket_ids, ticket)
        self.assertEqual(ticket.partner_id, self.customer)

    def test_a_field_order_for_the_visit(self):
        visit = self.env["fs.visit"].create(
            {"partner_id": self.quiet.id, "planned_date": TODAY}
        )
        with self.assertRefused(UserError, "location"):
            visit.action_create_fsm_order()
        location = self.env["fsm.location"].create(
            {"name": "Quiet depot", "owner_id": self.quiet.id}
        )
        self.line_quiet.location_id = location
        visit.action_create_fsm_order()
        self.assertEqual(visit.fsm_order_id.location_id, location)

    def test_access_per_role(self):
        tech, disp, am = (
            self.users["technician"],
            self.users["dispatcher"],
            self.users["account_manager"],
        )
        other = new_test_user(
            self.env, login="visit_other_tech", groups="field_service_sla.group_fs_technician"
        )
        mine = self.env["fs.visit"].create(
            {"partner_id": self.customer.id, "planned_date": TODAY, "user_id": tech.id}
        )
        theirs = self.env["fs.visit"].create(
            {"partner_id": self.quiet.id, "planned_date": TODAY, "user_id": other.id}
        )
        visits = self.env["fs.visit"]
        self.assertEqual(visits.with_user(tech).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(visits.with_user(other).search([("id", "in", (mine | theirs).ids)]), theirs)
        # the account manager of Test Water Group, not of Quiet Logistics
        self.assertEqual(visits.with_user(am).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(
            visits.with_user(disp).search([("id", "in", (mine | theirs).ids)]), mine | theirs
        )
        mine.with_user(tech).write({"quality_told": True})
        with self.assertRaises(AccessError):
            theirs.with_user(tech).write({"quality_told": True})
        with self.assertRaises(AccessError):
            visits.with_user(tech).create({"partner_id": self.customer.id, "planned_date": TODAY})
        visits.with_user(am).create(
            {"partner_id": self.customer.id, "planned_date": TODAY + D}
        )
        with self.assertRaises(AccessError):
            visits.with_user(am).create(
                {"partner_id": self.quiet.id, "planned_date": TODAY + D}
            )
        with self.assertRaises(AccessError):
            visits.with_user(self.users["helpdesk_user"]).search([])
