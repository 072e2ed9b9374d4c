from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

CODE = "246810"


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
            {
                "name": "Tour Water Group",
                "is_company": True,
                "customer_tier_id": self.env.ref("field_service_sla.tier_diamond").id,
            }
        )
        self.env.ref("field_service_sla.tier_diamond").fs_sign_code = True
        # the contact's mobile is known: the code texted to it confirms
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": customer.id, "phone": "13800001111"}
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
        # the code the SMS carries (the SMS itself is only queued)
        with patch(
            "odoo.addons.field_service_reports.reports_core.sign_codes.new_code",
            return_value=CODE,
        ):
            self.start_tour(
                f"/odoo/fsm.order/{order.id}",
                "field_service_reports_customer_signature_tour",
                login="tour_doc_technician",
            )
        document = order.fs_document_ids
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_partner_id, contact)
        self.assertEqual(document.witness_user_id, technician)
        self.assertTrue(document.signed_with_code)
        sms = self.env["sms.sms"].search([("number", "=", "+8613800001111")])
        self.assertIn(CODE, sms.body)
        self.assertTrue(document.pdf_attachment_id.raw.startswith(b"%PDF"))
