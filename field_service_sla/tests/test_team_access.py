"""Dispatchers see the field orders (and inspections) of the teams they
dispatch for, of teams nobody is listed on, and those assigned to them; SLA
administrators, account managers and Field Service managers see all."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestDispatcherTeams(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "field_service_sla.group_fs_dispatcher"
        cls.disp_a = new_test_user(cls.env, login="tm_disp_a", groups=group)
        cls.disp_b = new_test_user(cls.env, login="tm_disp_b", groups=group)
        cls.disp_none = new_test_user(cls.env, login="tm_disp_none", groups=group)
        cls.technician = new_test_user(
            cls.env, login="tm_tech", groups="field_service_sla.group_fs_technician"
        )
        cls.sla_admin = new_test_user(
            cls.env, login="tm_admin", groups="field_service_sla.group_fs_sla_admin"
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="tm_am",
            groups="field_service_sla.group_fs_account_manager",
        )
        cls.fsm_manager = new_test_user(
            cls.env,
            login="tm_fsm_mgr",
            groups=f"{group},fieldservice.group_fsm_manager",
        )
        Team = cls.env["fsm.team"]
        cls.team_a = Team.create({"name": "TM north", "dispatcher_ids": cls.disp_a.ids})
        cls.team_b = Team.create({"name": "TM south", "dispatcher_ids": cls.disp_b.ids})
        cls.team_open = Team.create({"name": "TM nobody listed"})
        location = cls.env["fsm.location"].create(
            {"name": "TM cabinet", "owner_id": cls.customer.id}
        )
        Person = cls.env["fsm.person"]
        cls.tech_person = Person.create({"partner_id": cls.technician.partner_id.id})
        disp_a_person = Person.create({"partner_id": cls.disp_a.partner_id.id})

        def order(team, **values):
            return cls.env["fsm.order"].create(
                {"location_id": location.id, "team_id": team.id, **values}
            )

        cls.order_a = order(cls.team_a)
        cls.order_b = order(cls.team_b, person_id=cls.tech_person.id)
        cls.order_open = order(cls.team_open)
        cls.order_b_mine = order(cls.team_b, person_id=disp_a_person.id)
        cls.orders = cls.order_a | cls.order_b | cls.order_open | cls.order_b_mine

        template = cls.env.ref("field_service_sla.inspection_template_enterprise")

        def inspection(order=None):
            return cls.env["fs.inspection"].create(
                {
                    "template_id": template.id,
                    "location_id": location.id,
                    "fsm_order_id": order.id if order else False,
                    "user_id": cls.technician.id,
                }
            )

        cls.insp_a = inspection(cls.order_a)
        cls.insp_b = inspection(cls.order_b)
        cls.insp_loose = inspection()
        cls.inspections = cls.insp_a | cls.insp_b | cls.insp_loose

    def _seen(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_dispatcher_sees_their_team_open_teams_and_their_own(self):
        self.assertEqual(
            self._seen(self.disp_a, self.orders),
            self.order_a | self.order_open | self.order_b_mine,
        )
        self.assertEqual(
            self._seen(self.disp_b, self.orders),
            self.order_b | self.order_open | self.order_b_mine,
        )
        self.order_a.with_user(self.disp_a).description = "Cabinet door jammed"

    def test_other_team_order_is_refused_by_id(self):
        # what opening /odoo/action-.../<id> does: read and write by ID
        foreign = self.env["fsm.order"].with_user(self.disp_a).browse(self.order_b.id)
        with self.assertRaises(AccessError):
            foreign.read(["name"])
        with self.assertRaises(AccessError):
            foreign.write({"description": "not my team"})
        with self.assertRaises(AccessError):
            foreign.unlink()

    def test_dispatcher_listed_nowhere_sees_only_open_teams(self):
        self.assertEqual(self._seen(self.disp_none, self.orders), self.order_open)

    def test_team_without_dispatchers_is_seen_by_every_dispatcher(self):
        self.team_b.dispatcher_ids = False
        self.assertEqual(
            self._seen(self.disp_a, self.orders),
            self.order_a | self.order_b | self.order_open | self.order_b_mine,
        )

    def test_admins_account_managers_and_fsm_managers_see_all(self):
        for user in (self.sla_admin, self.account_manager, self.fsm_manager):
            self.assertEqual(self._seen(user, self.orders), self.orders, user.login)
        self.order_b.with_user(self.sla_admin).description = "checked"

    def test_technician_rule_is_unchanged(self):
        self.assertEqual(self._seen(self.technician, self.orders), self.order_b)

    def test_inspections_follow_the_order(self):
        self.assertEqual(
            self._seen(self.disp_a, self.inspections), self.insp_a | self.insp_loose
        )
        self.assertEqual(
            self._seen(self.disp_b, self.inspections), self.insp_b | self.insp_loose
        )
        foreign = (
            self.env["fs.inspection"].with_user(self.disp_a).browse(self.insp_b.id)
        )
        with self.assertRaises(AccessError):
            foreign.read(["name"])
        with self.assertRaises(AccessError):
            foreign.note = "not my team"
        reading = self.insp_b.reading_ids[:1].with_user(self.disp_a)
        with self.assertRaises(AccessError):
            reading.value = 220
        Reading = self.env["fs.inspection.reading"]
        self.assertFalse(
            Reading.with_user(self.disp_a).search(
                [("inspection_id", "=", self.insp_b.id)]
            )
        )
        self.assertTrue(
            Reading.with_user(self.disp_a).search(
                [("inspection_id", "=", self.insp_a.id)]
            )
        )
        self.assertEqual(self._seen(self.sla_admin, self.inspections), self.inspections)

    def test_new_order_lands_on_the_dispatchers_team(self):
        location = self.env["fsm.location"].create(
            {"name": "TM new cabinet", "owner_id": self.customer.id}
        )
        order = (
            self.env["fsm.order"]
            .with_user(self.disp_b)
            .create({"location_id": location.id})
        )
        self.assertEqual(order.team_id, self.team_b)
        listed_nowhere = (
            self.env["fsm.order"]
            .with_user(self.disp_none)
            .create({"location_id": location.id})
        )
        self.assertFalse(listed_nowhere.team_id.dispatcher_ids)
        self.assertEqual(order.with_user(self.disp_b).read(["name"])[0]["id"], order.id)
        # another team's dispatcher cannot create in a team that is not theirs
        with self.assertRaises(AccessError):
            self.env["fsm.order"].with_user(self.disp_a).create(
                {"location_id": location.id, "team_id": self.team_b.id}
            )

    def test_dispatchers_cannot_put_themselves_on_a_team(self):
        with self.assertRaises(AccessError):
            self.team_b.with_user(self.disp_a).dispatcher_ids = self.disp_a

    def test_demo_dispatcher_dispatches_for_the_demo_team(self):
        demo = self.env.ref("field_service_sla.demo_user_dispatcher", False)
        if not demo:
            self.skipTest("no demo data")
        team = self.env.ref("fieldservice.fsm_team_default")
        self.assertIn(demo, team.dispatcher_ids)
        orders = self.env["fsm.order"].search([("team_id", "=", team.id)])
        self.assertEqual(self._seen(demo, orders), orders)

    def test_appointments_calendar_shows_each_role_its_orders(self):
        """Field Service > Operations > Appointments: the orders by their
        appointment window, opened by a technician and a dispatcher without
        an administrator; each sees the orders the rules give them."""
        start = self.env.cr.now().replace(microsecond=0)
        self.orders.write(
            {
                "fs_appointment_start": start,
                "fs_appointment_end": start + timedelta(hours=1),
            }
        )
        action = self.env.ref("field_service_sla.fsm_order_appointment_action")
        view = self.env.ref("field_service_sla.fsm_order_view_calendar_appointments")
        menu = self.env.ref("field_service_sla.menu_fsm_order_appointments")
        self.order_open.fs_appointment_start = False
        for user, expected in (
            (self.technician, self.order_b),
            (self.disp_a, self.order_a | self.order_b_mine),
        ):
            Order = self.env["fsm.order"].with_user(user)
            self.assertIn(menu, self.env["ir.ui.menu"].with_user(user).search([]))
            views = Order.get_views([(view.id, "calendar")])["views"]
            self.assertIn("fs_appointment_start", views["calendar"]["arch"])
            found = Order.search_read(
                [*safe_eval(action.domain), ("id", "in", self.orders.ids)], ["name"]
            )
            self.assertEqual({r["id"] for r in found}, set(expected.ids), user.login)
