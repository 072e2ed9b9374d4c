from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SlaCase, sh

ROLES = {
    "technician": "field_service_sla.group_fs_technician",
    "dispatcher": "field_service_sla.group_fs_dispatcher",
    "account_manager": "field_service_sla.group_fs_account_manager",
    "sla_admin": "field_service_sla.group_fs_sla_admin",
}


@tagged("post_install", "-at_install")
class TestRoles(SlaCase):
    """Each role can do its job, and only its job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(cls.env, login=f"role_{role}", groups=group)
            for role, group in ROLES.items()
        }
        cls.team.user_ids = cls.users["technician"] | cls.users["dispatcher"]
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Down",
                "description": "x",
                "team_id": cls.team.id,
                "service_line_id": cls.line_aaa.id,
                "reported_date": sh(2026, 3, 2, 10, 0),
                "user_id": False,
            }
        )

    def as_(self, role, model):
        return self.env(user=self.users[role])[model]

    def reaches(self, role, menu_xmlid):
        """Whether the role sees the menu and every menu above it."""
        visible = self.env(user=self.users[role])["ir.ui.menu"]._visible_menu_ids()
        menu = self.env.ref(menu_xmlid)
        while menu:
            if menu.id not in visible:
                return False
            menu = menu.parent_id
        return True

    # account managers ---------------------------------------------------
    def test_account_manager_sets_the_service_level_of_a_customer(self):
        customer = self.as_("account_manager", "res.partner").browse(self.customer.id)
        customer.write(
            {
                "customer_tier_id": self.gold.id,
                "customer_segment": "enterprise",
                "account_manager_id": self.users["account_manager"].id,
                "network_manager_id": self.users["dispatcher"].id,
            }
        )
        self.assertEqual(self.customer.customer_tier_id, self.gold)
        self.assertEqual(
            self.customer.account_manager_id, self.users["account_manager"]
        )

    def test_account_manager_adds_and_edits_lines_from_the_customer(self):
        customer = self.as_("account_manager", "res.partner").browse(self.customer.id)
        customer.write(
            {
                "service_line_ids": [
                    (
                        0,
                        0,
                        {
                            "circuit_ref": "AM-NEW-1",
                            "service_type_id": self.internet.id,
                            "assurance_level_id": self.aa.id,
                        },
                    ),
                    (1, self.line_aa.id, {"bandwidth": "1G"}),
                ]
            }
        )
        self.assertIn("AM-NEW-1", self.customer.service_line_ids.mapped("circuit_ref"))
        self.assertEqual(self.line_aa.bandwidth, "1G")

    def test_account_manager_cannot_edit_other_contact_fields(self):
        customer = self.as_("account_manager", "res.partner").browse(self.customer.id)
        with self.assertRefused(AccessError, r"only the service-level data.*Phone"):
            customer.write({"customer_tier_id": self.gold.id, "phone": "110"})
        self.assertEqual(self.customer.customer_tier_id, self.diamond)
        with self.assertRaises(AccessError):
            self.as_("account_manager", "res.partner").create({"name": "New"})
        with self.assertRaises(AccessError):
            self.as_("technician", "res.partner").browse(self.customer.id).write(
                {"customer_tier_id": self.gold.id}
            )

    def test_account_manager_form_leaves_only_the_service_level_editable(self):
        arch = self.as_("account_manager", "res.partner").get_view(view_type="form")[
            "arch"
        ]
        for name in ("name", "phone", "email", "street", "child_ids"):
            self.assertRegex(arch, rf'<field\b[^>]*\sname="{name}"[^>]*readonly="1"')
        for name in ("customer_tier_id", "customer_segment", "service_line_ids"):
            self.assertNotRegex(arch, rf'<field\b[^>]*\sname="{name}"[^>]*readonly="1"')
        self.assertRegex(arch, r'<field name="circuit_ref"(?![^>]*readonly="1")')
        admin_arch = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertNotRegex(admin_arch, r'<field\b[^>]*\sname="phone"[^>]*readonly="1"')

    # SLA administrators -------------------------------------------------
    def test_sla_admin_manages_calendars_and_public_holidays(self):
        Calendar = self.as_("sla_admin", "resource.calendar")
        calendar = Calendar.create(
            {
                "name": "Night shift",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (5, 0, 0),
                    (
                        0,
                        0,
                        {
                            "name": "Monday night",
                            "dayofweek": "0",
                            "hour_from": 20,
                            "hour_to": 23,
                        },
                    ),
                ],
            }
        )
        calendar.attendance_ids.hour_to = 23.5
        office = Calendar.browse(self.office.id)
        office.name = "Monitoring hall"
        holiday = self.as_("sla_admin", "resource.calendar.leaves").create(
            {
                "name": "Spring festival",
                "calendar_id": office.id,
                "date_from": sh(2027, 2, 6, 0, 0),
                "date_to": sh(2027, 2, 12, 23, 59),
            }
        )
        holiday.name = "Spring festival (extended)"
        holiday.unlink()
        for xmlid in ("menu_sla_calendars", "menu_sla_public_holidays"):
            self.assertTrue(self.reaches("sla_admin", f"field_service_sla.{xmlid}"))
        self.assertFalse(
            self.reaches("dispatcher", "field_service_sla.menu_sla_public_holidays")
        )

    def test_only_the_sla_admin_edits_calendars_and_holidays(self):
        with self.assertRaises(AccessError):
            calendar = self.as_("dispatcher", "resource.calendar")
            calendar.browse(self.office.id).name = "x"
        with self.assertRaises(AccessError):
            self.as_("dispatcher", "resource.calendar.leaves").create(
                {
                    "name": "Holiday",
                    "calendar_id": self.office.id,
                    "date_from": sh(2027, 2, 6, 0, 0),
                    "date_to": sh(2027, 2, 7, 0, 0),
                }
            )

    # technicians and dispatchers ----------------------------------------
    def test_technician_cannot_reclassify_or_reassign(self):
        ticket = self.as_("technician", "helpdesk.ticket").browse(self.ticket.id)
        self.assertFalse(ticket.sla_can_dispatch)
        refusals = {
            "service_line_id": self.line_aa.id,
            "assurance_level_id": self.aa.id,
            "priority": "3",
            "team_id": self.env["helpdesk.ticket.team"].create({"name": "Other"}).id,
            "category_id": self.env["helpdesk.ticket.category"]
            .create({"name": "Cable cut"})
            .id,
            "user_id": self.users["dispatcher"].id,
        }
        for name, value in refusals.items():
            with self.subTest(field=name):
                with self.assertRefused(AccessError, "Only a dispatcher"):
                    ticket.write({name: value})
        self.assertEqual(self.ticket.service_line_id, self.line_aaa)
        self.assertFalse(self.ticket.user_id)
        # working the ticket stays theirs: take it, record the contact
        ticket.assign_to_me()
        self.assertEqual(self.ticket.user_id, self.users["technician"])
        ticket.write({"priority": ticket.priority, "name": "Down since 10:00"})
        ticket.action_sla_contacted()
        # the assignee hands over only within the ticket's team
        with self.assertRefused(AccessError, "Only a dispatcher"):
            ticket.user_id = self.users["account_manager"]
        ticket.user_id = self.users["dispatcher"]
        self.assertEqual(self.ticket.user_id, self.users["dispatcher"])
        # and once it is someone else's, it is no longer his to move
        with self.assertRefused(AccessError, "Only a dispatcher"):
            ticket.user_id = self.users["technician"]

    def test_account_manager_follows_but_does_not_reclassify(self):
        ticket = self.as_("account_manager", "helpdesk.ticket").browse(self.ticket.id)
        with self.assertRefused(AccessError, "Only a dispatcher"):
            ticket.service_line_id = self.line_aa

    def test_dispatcher_reclassifies_and_reassigns(self):
        ticket = self.as_("dispatcher", "helpdesk.ticket").browse(self.ticket.id)
        self.assertTrue(ticket.sla_can_dispatch)
        ticket.write(
            {"service_line_id": self.line_aa.id, "user_id": self.users["technician"].id}
        )
        self.assertEqual(self.ticket.sla_policy_id, self.policy_aa)

    def test_technician_form_shows_dispatch_fields_read_only(self):
        arch = self.as_("technician", "helpdesk.ticket").get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        for name in (
            "service_line_id",
            "user_id",
            "team_id",
            "priority",
            "partner_id",
        ):
            self.assertRegex(
                arch, rf'name="{name}"[^>]*readonly="id and not sla_can_dispatch"'
            )
        Ticket = self.as_("technician", "helpdesk.ticket")
        # what only the engines write shows read-only to every user
        described = Ticket.fields_get(["report_date", "escalation_level"], ["readonly"])
        self.assertTrue(all(f["readonly"] for f in described.values()))
        for view_type in ("list", "kanban"):
            arch = Ticket.get_views([(False, view_type)])["views"][view_type]["arch"]
            for name in ("user_id", "priority"):
                self.assertRegex(
                    arch, rf'name="{name}"[^>]*readonly="not sla_can_dispatch"'
                )

    def test_dispatcher_and_sla_admin_reach_the_sla_report(self):
        report = "field_service_sla.menu_sla_milestones_report"
        self.assertTrue(self.reaches("dispatcher", report))
        self.assertTrue(self.reaches("sla_admin", report))
        self.assertFalse(self.reaches("technician", report))


@tagged("post_install", "-at_install")
class TestRolesTour(HttpCase):
    def test_account_manager_adds_a_line_on_the_customer(self):
        new_test_user(
            self.env,
            login="tour_account_manager",
            groups="field_service_sla.group_fs_account_manager",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour gold customer", "is_company": True}
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "field_service_sla_account_manager_tour",
            login="tour_account_manager",
        )
        self.assertEqual(customer.customer_tier_id.name, "Gold")
        self.assertEqual(customer.service_line_ids.circuit_ref, "TOUR-AM-1")
        self.assertEqual(customer.service_line_ids.assurance_level_id.name, "AA")

    def test_sla_admin_records_a_holiday_and_edits_the_shipped_calendar(self):
        new_test_user(
            self.env,
            login="tour_sla_admin",
            groups="field_service_sla.group_fs_sla_admin",
        )
        office = self.env.ref("field_service_sla.calendar_office")
        self.start_tour(
            "/odoo/action-field_service_sla.resource_calendar_leaves_action_sla",
            "field_service_sla_public_holiday_tour",
            login="tour_sla_admin",
        )
        holiday = self.env["resource.calendar.leaves"].search(
            [("name", "=", "Spring festival")]
        )
        self.assertEqual(holiday.calendar_id, office)
        self.assertFalse(holiday.resource_id)
        self.start_tour(
            f"/odoo/action-field_service_sla.resource_calendar_action_sla/{office.id}",
            "field_service_sla_calendar_tour",
            login="tour_sla_admin",
        )
        self.assertEqual(office.name, "Monitoring hall")
