"""What fits on the dispatcher's 1440 px and the technician's 390 px: the
views' arch as the web client gets it, and the values they show."""

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import sh
from .test_fieldwork import FieldworkCase


def arch(env, model, view_type, view_id=False):
    views = env[model].get_views([(view_id, view_type)])["views"]
    return etree.fromstring(views[view_type]["arch"])


@tagged("post_install", "-at_install")
class TestLayout(FieldworkCase):
    def test_the_ticket_list_keeps_the_stage_in_view(self):
        tree = arch(self.env, "helpdesk.ticket", "list")
        shown = [
            f.get("name")
            for f in tree.iter("field")
            if f.get("optional") != "hide"
            and f.get("column_invisible") not in ("1", "True")
        ]
        self.assertIn("stage_id", shown)
        self.assertIn("sla_summary", shown)
        for secondary in (
            "fsm_location_id",
            "tag_ids",
            "create_date",
            "last_stage_update",
            "escalation_level",
        ):
            self.assertNotIn(secondary, shown)
        # priority, number, title, customer, assignee, tier, level, SLA,
        # SLA state, severity, stage (and the drag handle); icon-only columns
        # (the repeated-fault mark) take a few characters each
        icons = {
            f.get("name")
            for f in tree.iter("field")
            if f.get("widget") == "boolean_icon"
        }
        self.assertLessEqual(len([n for n in shown if n not in icons]), 12, shown)
        self.assertLessEqual(len(icons & set(shown)), 1, shown)

    def test_the_order_form_puts_the_next_step_and_the_phone_first(self):
        form = arch(self.env, "fsm.order", "form")
        complete = form.xpath("//header/button[@name='action_complete']")
        primary = [b for b in complete if "oe_highlight" in (b.get("class") or "")]
        plain = [b for b in complete if b not in primary]
        self.assertEqual(len(primary), 1)
        self.assertIn("not fs_arrival_date", primary[0].get("invisible"))
        self.assertEqual(len(plain), 1)  # completing a remote fix stays possible
        self.assertIn("or fs_arrival_date", plain[0].get("invisible"))
        check_in = form.xpath("//button[@name='action_fs_check_in']")[0]
        self.assertIn("btn-primary", check_in.get("class"))
        sheet = list(form.xpath("//sheet")[0].iter())
        contact = form.xpath("//div[@name='fs_site_contact']")[0]
        actions = form.xpath("//div[@name='fs_onsite_actions']")[0]
        self.assertLess(sheet.index(contact), sheet.index(actions))
        phone = contact.xpath(".//field[@name='fs_site_phone']")[0]
        self.assertEqual(phone.get("widget"), "phone")
        # the equipment table reads as cards on a phone
        equipment = form.xpath("//field[@name='fs_replaced_equipment_ids']")[0]
        self.assertTrue(equipment.xpath("./kanban"))

    def test_the_calendar_names_appointments_by_customer_and_fault(self):
        calendar = arch(
            self.env,
            "fsm.order",
            "calendar",
            self.env.ref("field_service_sla.fsm_order_view_calendar_appointments").id,
        )
        self.assertEqual(calendar.get("create_name_field"), "fs_appointment_title")
        self.assertEqual(calendar.get("js_class"), "fs_appointment_calendar")
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        order = self._order(ticket, sh(2026, 3, 2, 9, 5))
        self.assertEqual(
            order.fs_appointment_title, f"{self.home.name} · {ticket.name}"
        )
        self.assertEqual(order.fs_site_phone, "13800000000")
        # an order without a ticket (an inspection's): its own name
        with freeze_time(sh(2026, 3, 2, 9, 6)):
            order.ticket_id = False
        self.assertEqual(order.fs_appointment_title, f"{self.home.name} · {order.name}")
