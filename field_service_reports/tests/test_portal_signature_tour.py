import hashlib
from unittest.mock import patch

from odoo.tests import tagged

from ..reports_core import documents as core
from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalSignatureTour(PortalCase):
    """A customer signs a confirmation in the portal, on a phone, in Chinese,
    in Chromium."""

    browser_size = "390x844"
    touch_enabled = True

    def test_the_customer_signs_a_confirmation_in_the_portal(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "field_service_sla", "field_service_reports"],
            ["zh_CN"],
        )
        contact = self.portal_a.partner_id
        # a diamond customer, the contact's mobile known: the code texted to
        # it confirms the signature
        self.env.ref("field_service_sla.tier_diamond").fs_sign_code = True
        contact.write(
            {
                "name": "王芳",
                "email": "wang.fang@water.example.com",
                "phone": "+86 138 0000 1111",
                "lang": "zh_CN",
            }
        )
        self.portal_a.lang = "zh_CN"
        document = self._confirmation_to_sign(self.order_a)
        shown = core.content_hash(document._fs_content())
        with patch(
            "odoo.addons.field_service_reports.reports_core.sign_codes.new_code",
            return_value="246810",
        ):
            self.start_tour(
                "/my",
                "field_service_reports_portal_signature_tour",
                login=self.portal_a.login,
            )
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signed_by, "王芳")
        self.assertEqual(document.signer_partner_id, contact)
        self.assertFalse(document.signed_on_site)
        self.assertEqual(document.signed_ip, "127.0.0.1")
        self.assertEqual(document.content_hash, shown)
        self.assertTrue(document.signature)
        self.assertTrue(document.signed_with_code)
        sms = self.env["sms.sms"].search([("number", "=", "+8613800001111")])
        self.assertIn("246810", sms.filtered(lambda s: "246810" in s.body).body)
        archive = document.pdf_attachment_id
        self.assertTrue(archive.raw.startswith(b"%PDF"))
        self.assertEqual(document.pdf_hash, hashlib.sha256(archive.raw).hexdigest())

    def test_a_link_declines_with_the_code_texted_to_decline(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "field_service_sla", "field_service_reports"],
            ["zh_CN"],
        )
        self.env.ref("field_service_sla.tier_diamond").fs_sign_code = True
        self.portal_a.partner_id.write(
            {"name": "王芳", "phone": "+86 138 0000 1111", "lang": "zh_CN"}
        )
        document = self._confirmation_to_sign(self.order_a)
        with patch(
            "odoo.addons.field_service_reports.reports_core.sign_codes.new_code",
            return_value="135790",
        ):
            self.start_tour(
                document.get_portal_url(),
                "field_service_reports_portal_decline_tour",
            )
        self.assertEqual(document.state, "declined")
        self.assertEqual(document.declined_reason, "业务仍有丢包")
        self.assertEqual(document.declined_partner_id, self.portal_a.partner_id)
        code = self.env["fs.document.sign.code"].search(
            [("document_id", "=", document.id)]
        )
        self.assertEqual(code.purpose, "decline")
        self.assertTrue(code.used_on)
