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
