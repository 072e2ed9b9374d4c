from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFieldworkPhoneTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_technician_phone_flow(self):
        technician = new_test_user(
            self.env,
            login="tour_fw_technician",
            groups="field_service_sla.group_fs_technician",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour home customer", "customer_segment": "home"}
        )
        line = self.env["fs.service.line"].create(
            {
                "circuit_ref": "TOUR-FTTH-1",
                "partner_id": customer.id,
                "service_type_id": self.env.ref(
                    "field_service_sla.service_type_home_broadband"
                ).id,
                "assurance_level_id": self.env.ref(
                    "field_service_sla.level_standard"
                ).id,
            }
        )
        now = fields.Datetime.now()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: no internet",
                "description": "x",
                "service_line_id": line.id,
                "user_id": technician.id,
                "reported_date": now - timedelta(hours=1),
            }
        )
        order = self.env["fsm.order"].create(
            {
                "ticket_id": ticket.id,
                "location_id": self.env["fsm.location"]
                .create({"name": "Tour home", "owner_id": customer.id})
                .id,
                "person_id": self.env["fsm.person"]
                .create({"partner_id": technician.partner_id.id})
                .id,
                "fs_dispatch_date": now - timedelta(minutes=50),
                "fs_appointment_start": now + timedelta(minutes=7),
            }
        )
        self.start_tour(
            f"/odoo/fsm.order/{order.id}",
            "field_service_sla_fieldwork_tour",
            login="tour_fw_technician",
        )
        self.assertEqual(order.fs_check_in_verdict, "on_time")
        self.assertEqual(order.fs_work_result, "restored")
        self.assertTrue(ticket.restored_date)
        self.assertTrue(
            order.fs_check_tested and order.fs_check_fixed and order.fs_check_explained
        )


@tagged("post_install", "-at_install")
class TestFieldworkDialogTours(HttpCase):
    """Issue 15, item 12: "Change appointment" and "Customer absent" crashed
    on save in the browser (KeyError: 'order_id')."""

    def _order(self, name, worker_user, **values):
        customer = self.env["res.partner"].create(
            {"name": f"{name} customer", "customer_segment": "home"}
        )
        return self.env["fsm.order"].create(
            {
                "name": name,
                "location_id": self.env["fsm.location"]
                .create({"name": f"{name} home", "owner_id": customer.id})
                .id,
                "person_id": self.env["fsm.person"]
                .create({"partner_id": worker_user.partner_id.id})
                .id,
                **values,
            }
        )

    def test_dispatcher_changes_the_appointment(self):
        dispatcher = new_test_user(
            self.env,
            login="tour_fw_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        now = fields.Datetime.now()
        order = self._order(
            "TOUR-DLG-1",
            dispatcher,
            fs_dispatch_date=now - timedelta(minutes=30),
            fs_appointment_start=now + timedelta(days=1),
        )
        order.team_id.dispatcher_ids |= dispatcher
        self.start_tour(
            f"/odoo/fsm.order/{order.id}",
            "field_service_sla_reschedule_tour",
            login="tour_fw_dispatcher",
        )
        change = order.fs_change_ids
        self.assertEqual(len(change), 1)
        self.assertEqual(change.user_id, dispatcher)
        self.assertEqual(change.caused_by, "company")
        self.assertEqual(change.reason, "Crew held up on a severe fault")
        self.assertEqual(order.fs_appointment_start, change.new_start)
        self.assertEqual(change.new_start.year, 2030)

    def test_technician_records_the_customer_absent_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        technician = new_test_user(
            self.env,
            login="tour_fw_absent",
            groups="field_service_sla.group_fs_technician",
        )
        now = fields.Datetime.now()
        order = self._order(
            "TOUR-DLG-2",
            technician,
            fs_dispatch_date=now - timedelta(hours=1),
            fs_appointment_start=now - timedelta(minutes=30),
            fs_arrival_date=now - timedelta(minutes=40),
        )
        self.start_tour(
            f"/odoo/fsm.order/{order.id}",
            "field_service_sla_absent_tour",
            login="tour_fw_absent",
        )
        visit = order.fs_visit_note_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, technician)
        self.assertEqual(visit.contact_name, "Li Wei")
        self.assertTrue(order.fs_priority_appointment)
        self.assertFalse(order.fs_arrival_date)
        self.assertEqual(order.fs_appointment_start.year, 2030)
