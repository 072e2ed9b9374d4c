from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerSignatureTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_the_customer_signs_on_the_technicians_phone(self):
        technician = new_test_user(
            self.env,
            login="tour_doc_technician",
            name="Li Lei",
            groups="field_service_sla.group_fs_technician",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Water Group", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": customer.id}
        )
        location = self.env["fsm.location"].create(
            {
                "name": "Tour machine room",
                "owner_id": customer.id,
                "contact_id": contact.id,
            }
        )
        order = self.env["fsm.order"].create(
            {
                "location_id": location.id,
                "person_id": self.env["fsm.person"]
                .create({"partner_id": technician.partner_id.id})
                .id,
                "fs_arrival_date": fields.Datetime.now(),
                "fs_fault_found": "Fibre cut in the stairwell",
                "fs_cause_category": "transmission",
                "fs_work_result": "observation",
            }
        )
        self.start_tour(
            f"/odoo/fsm.order/{order.id}",
            "field_service_reports_customer_signature_tour",
            login="tour_doc_technician",
        )
        document = order.fs_document_ids
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_partner_id, contact)
        self.assertEqual(document.witness_user_id, technician)
        self.assertTrue(document.pdf_attachment_id.raw.startswith(b"%PDF"))
