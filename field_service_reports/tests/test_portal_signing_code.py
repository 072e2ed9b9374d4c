"""Signing from a link, over HTTP: who opened it is kept; where the
customer's tier asks for it and the addressee's mobile is known, a code
texted to that mobile confirms the signature, so a visitor the link was
forwarded to cannot sign; where no code can be texted, a name that is not
the addressee's is flagged on the document and in its audit trail."""

import html
import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..reports_core import documents as core
from .common import SIGNATURE, TextedCode
from .portal_common import PortalCase

NUMBER = "+8613800001111"


@tagged("post_install", "-at_install")
class TestPortalSigningCode(TextedCode, PortalCase):
    code_number = NUMBER

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("field_service_sla.tier_diamond").fs_sign_code = True
        sender = new_test_user(
            cls.env,
            login="fs_code_sender",
            groups="field_service_sla.group_fs_sla_admin",
        )
        cls.portal_a.partner_id.write(
            {"name": "王芳", "email": "wang.fang@water.example.com", "phone": NUMBER}
        )
        # B's contact has a fixed line: no code can reach her
        cls.portal_b.partner_id.write(
            {"name": "张强", "email": "zhang.qiang@power.example.com"}
        )
        cls.portal_b.partner_id.phone = "023-6388 1234"
        cls.doc_a = cls._confirmation_to_sign(cls.order_a, sender)
        cls.doc_b = cls._confirmation_to_sign(cls.order_b, sender)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def url(self, document, action="", token=None):
        url = f"/my/service-documents/{document.id}{action}"
        return f"{url}?access_token={token}" if token else url

    def sign(self, document, token=None, **params):
        values = {
            "name": "王芳",
            "signature": SIGNATURE.decode(),
            "shown_hash": core.content_hash(document.sudo()._fs_content()),
            **params,
        }
        return self.json(self.url(document, "/sign", token), **values)

    def ask_code(self, document, token=None):
        return self.json(self.url(document, "/code", token))

    def codes_texted(self, number=NUMBER):
        return (
            self.env["sms.sms"]
            .sudo()
            .search_count([("number", "=", number), ("body", "ilike", "code")])
        )

    def stored_code(self, document):
        return (
            self.env["fs.document.sign.code"]
            .sudo()
            .search([("document_id", "=", document.id)], limit=1)
        )

    def assertUnsigned(self, document):
        document.invalidate_recordset()
        self.assertEqual(document.state, "to_sign")
        self.assertFalse(document.signature or document.content_hash)

    def assertRefused(self, result, pattern):
        self.assertRegex(result.get("error") or "", pattern)
        self.assertNotIn("redirect_url", result)

    def wrong(self, code):
        return f"{(int(code) + 1) % 10**6:06d}"

    # ------------------------------------------------------------------
    # the contact signs with the code
    # ------------------------------------------------------------------
    def test_the_contact_signs_with_the_code_texted_to_her(self):
        self.login(self.portal_a)
        page = self.url_open(self.url(self.doc_a)).text
        self.assertIn("+86 138****1111", page, "the page says where the code goes")
        self.assertRefused(self.sign(self.doc_a), "ask for the code first")
        self.assertUnsigned(self.doc_a)
        answer = self.ask_code(self.doc_a)
        self.assertEqual(answer, {"sent_to": "+86 138****1111"})
        code = self.texted_code()
        result = self.sign(self.doc_a, code=code)
        self.assertTrue(result.get("force_refresh"), result)
        doc = self.doc_a
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertTrue(doc.signed_with_code)
        self.assertFalse(doc.signer_name_differs)
        self.assertEqual(doc.signer_partner_id, self.portal_a.partner_id)
        events = doc.event_ids
        opened = events.filtered(lambda e: e.event == "opened")
        self.assertEqual(opened.user_id, self.portal_a)
        self.assertEqual(opened.partner_id, self.portal_a.partner_id)
        self.assertEqual(opened.ip, "127.0.0.1")
        sent = events.filtered(lambda e: e.event == "code_sent")
        self.assertEqual(sent.note, "+86 138****1111")
        signed = events.filtered(lambda e: e.event == "signed")
        self.assertIn("+86 138****1111", signed.note)
        # the code is in the SMS only: not in the page, the chatter, the table
        page = self.url_open(self.url(doc)).text
        self.assertNotIn(code, page)
        self.assertNotIn(code, " ".join(doc.sudo().message_ids.mapped("body")))
        self.assertNotIn(code, self.stored_code(doc).code_hash)
        # the same request again (a replay) is refused and changes nothing
        self.assertRefused(self.sign(doc, code=code), "already signed")
        # and the code of this document signs no other
        self.assertRefused(
            self.sign(self.doc_b, self.doc_b.access_token, code=code), "."
        )

    # ------------------------------------------------------------------
    # a forwarded link
    # ------------------------------------------------------------------
    @mute_logger("odoo.http")
    def test_a_forwarded_link_cannot_sign_without_the_addressees_phone(self):
        token = self.doc_a.access_token
        # the visitor opens the link: kept, as a visitor, with the address
        page = self.url_open(self.url(self.doc_a, token=token)).text
        self.assertIn("o_fs_portal_document", page)
        opened = self.doc_a.event_ids.filtered(lambda e: e.event == "opened")
        self.assertEqual(len(opened), 1)
        self.assertTrue(opened.user_id._is_public())
        self.assertFalse(opened.partner_id)
        self.assertEqual(opened.ip, "127.0.0.1")
        self.assertIn("not logged in", opened.note)
        result = self.sign(self.doc_a, token, name="Mallory Stranger")
        self.assertRefused(result, "ask for the code first")
        # asking for the code texts it to the addressee, not to the visitor
        answer = self.ask_code(self.doc_a, token)
        self.assertEqual(answer, {"sent_to": "+86 138****1111"})
        code = self.texted_code()
        sms = self.env["sms.sms"].sudo().search([("body", "ilike", code)])
        self.assertEqual(sms.partner_id, self.portal_a.partner_id)
        # guessing: five wrong codes, then even the right one is refused
        for left in (4, 3, 2, 1, 0):
            result = self.sign(
                self.doc_a, token, name="Mallory Stranger", code=self.wrong(code)
            )
            self.assertRefused(result, f"wrong \\({left} attempts left\\)")
        result = self.sign(self.doc_a, token, name="Mallory Stranger", code=code)
        self.assertRefused(result, "wrong too often")
        self.assertUnsigned(self.doc_a)
        self.assertEqual(self.stored_code(self.doc_a).attempts, 5)
        refused = self.doc_a.event_ids.filtered(lambda e: e.event == "code_refused")
        self.assertEqual(len(refused), 5)
        # a new code at once is refused (one a minute)
        self.assertRefused(self.ask_code(self.doc_a, token), "wait")
        self.assertEqual(self.codes_texted(), 1)

    def test_an_expired_code_is_refused(self):
        token = self.doc_a.access_token
        self.ask_code(self.doc_a, token)
        code = self.texted_code()
        self.stored_code(self.doc_a).sent_on = fields.Datetime.now() - timedelta(
            minutes=11
        )
        result = self.sign(self.doc_a, token, code=code)
        self.assertRefused(result, "expired")
        self.assertUnsigned(self.doc_a)

    def test_the_addressee_signs_from_the_link_with_the_code(self):
        token = self.doc_a.access_token
        self.ask_code(self.doc_a, token)
        result = self.sign(self.doc_a, token, code=self.texted_code())
        self.assertTrue(result.get("force_refresh"), result)
        doc = self.doc_a
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertTrue(doc.signed_with_code)
        self.assertEqual(doc.signer_partner_id, self.portal_a.partner_id)
        signed = doc.event_ids.filtered(lambda e: e.event == "signed")
        self.assertIn("not logged in", signed.note)

    def test_without_a_mobile_a_strangers_name_is_flagged(self):
        token = self.doc_b.access_token
        self.url_open(self.url(self.doc_b, token=token))
        self.assertRefused(self.ask_code(self.doc_b, token), "no mobile number")
        result = self.sign(self.doc_b, token, name="Mallory Stranger")
        self.assertTrue(result.get("force_refresh"), result)
        doc = self.doc_b
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertEqual(doc.signed_by, "Mallory Stranger")
        self.assertEqual(doc.signer_partner_id, self.portal_b.partner_id)
        self.assertTrue(doc.signer_name_differs)
        self.assertFalse(doc.signed_with_code)
        signed = doc.event_ids.filtered(lambda e: e.event == "signed")
        self.assertIn("not that of the contact 张强", signed.note)
        self.assertIn("not logged in", signed.note)
        self.assertTrue(signed.user_id._is_public())
        # the operator sees it on the document and in the customer's portal
        page = self.url_open(self.url(doc, token=token)).text
        self.assertIn("o_fs_portal_signer_differs", page)
        self.assertIn("not that of the contact 张强", page)

    def test_a_visitor_declining_with_the_link_is_said_so(self):
        token = self.doc_b.access_token
        result = self.json(self.url(self.doc_b, "/decline", token), reason="不对")
        self.assertTrue(result.get("force_refresh"), result)
        declined = self.doc_b.event_ids.filtered(lambda e: e.event == "declined")
        self.assertIn("不对", declined.note)
        self.assertIn("not logged in", declined.note)

    def test_a_staff_member_logged_in_is_refused_before_any_code(self):
        staff = self.env["res.users"].search([("login", "=", "fs_code_sender")])
        staff.partner_id.phone = "13900003333"
        self.authenticate("fs_code_sender", "fs_code_sender")
        token = self.doc_a.access_token
        self.assertRefused(self.sign(self.doc_a, token), "never the staff")
        self.assertRefused(self.ask_code(self.doc_a, token), "never the staff")
        self.assertEqual(self.codes_texted("+8613900003333"), 0)

    # ------------------------------------------------------------------
    # declining asks for the same code as signing
    # ------------------------------------------------------------------
    def decline(self, document, token=None, **params):
        values = {"reason": "数据不对", **params}
        return self.json(self.url(document, "/decline", token), **values)

    def ask_decline_code(self, document, token=None):
        return self.json(self.url(document, "/code", token), purpose="decline")

    def decline_props(self, page):
        found = re.search(
            r'name="field_service_reports\.document_decline_form"\s+props="([^"]*)"',
            page,
        )
        self.assertTrue(found, "the decline form is on the page")
        return json.loads(html.unescape(found.group(1)))

    @mute_logger("odoo.http")
    def test_a_forwarded_link_cannot_decline_without_the_addressees_phone(self):
        token = self.doc_a.access_token
        page = self.url_open(self.url(self.doc_a, token=token)).text
        code_step = self.decline_props(page)["code"]
        self.assertEqual(code_step["to"], "+86 138****1111")
        # no code, a made-up one: refused, the document still waits
        self.assertRefused(self.decline(self.doc_a, token), "ask for the code first")
        self.assertRefused(
            self.decline(self.doc_a, token, code="123456"), "ask for the code first"
        )
        self.assertUnsigned(self.doc_a)
        # the code is texted to the addressee, and says it is to decline
        answer = self.ask_decline_code(self.doc_a, token)
        self.assertEqual(answer, {"sent_to": "+86 138****1111"})
        code = self.texted_code()
        sms = self.env["sms.sms"].sudo().search([("body", "ilike", code)])
        self.assertEqual(sms.partner_id, self.portal_a.partner_id)
        self.assertIn("to decline", sms.body)
        # a reason is still required, and the code is not spent on it
        self.assertRefused(
            self.decline(self.doc_a, token, reason=" ", code=code), "say why"
        )
        # guessing counts, as when signing
        result = self.decline(self.doc_a, token, code=self.wrong(code))
        self.assertRefused(result, "wrong \\(4 attempts left\\)")
        self.assertEqual(self.stored_code(self.doc_a).attempts, 1)
        # a code texted to decline does not sign
        self.assertRefused(
            self.sign(self.doc_a, token, code=code), "ask for the code first"
        )
        self.assertUnsigned(self.doc_a)
        # the addressee's code declines
        result = self.decline(self.doc_a, token, code=code)
        self.assertTrue(result.get("force_refresh"), result)
        doc = self.doc_a
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "declined")
        self.assertEqual(doc.declined_partner_id, self.portal_a.partner_id)
        self.assertTrue(self.stored_code(doc).used_on)
        declined = doc.event_ids.filtered(lambda e: e.event == "declined")
        self.assertIn("数据不对", declined.note)
        self.assertIn("Confirmed by the code texted to +86 138****1111", declined.note)
        self.assertIn("not logged in", declined.note)
        sent = doc.event_ids.filtered(lambda e: e.event == "code_sent")
        self.assertIn("to decline", sent.note)

    def test_a_code_texted_to_sign_does_not_decline(self):
        self.login(self.portal_a)
        self.ask_code(self.doc_a)
        result = self.decline(self.doc_a, code=self.texted_code())
        self.assertRefused(result, "ask for the code first")
        self.assertUnsigned(self.doc_a)

    def test_the_contact_logged_in_declines_with_the_code(self):
        self.login(self.portal_a)
        self.assertRefused(self.decline(self.doc_a), "ask for the code first")
        self.assertUnsigned(self.doc_a)
        self.ask_decline_code(self.doc_a)
        result = self.decline(self.doc_a, code=self.texted_code())
        self.assertTrue(result.get("force_refresh"), result)
        doc = self.doc_a
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "declined")
        self.assertEqual(doc.declined_partner_id, self.portal_a.partner_id)

    def test_without_a_code_to_text_declining_asks_none(self):
        # B's contact has no mobile: the decline form has no code step
        token = self.doc_b.access_token
        page = self.url_open(self.url(self.doc_b, token=token)).text
        self.assertFalse(self.decline_props(page)["code"])

    # ------------------------------------------------------------------
    # the audit trail in the portal: contact details masked
    # ------------------------------------------------------------------
    def test_the_trail_shows_contact_details_masked_in_the_portal(self):
        doc = self.doc_a
        # a contact added on site, with her mobile
        doc._fs_log("contact_added", name="李娜", on_site=True, note="+8613900002222")
        sent = doc.event_ids.filtered(lambda e: e.event == "sent")
        # the staff's trail keeps where the link went, in full
        self.assertIn("wang.fang@water.example.com", sent.note)
        self.assertIn("+8613800001111", sent.note)
        full = ("wang.fang@water.example.com", "13800001111", "13900002222")
        masked = ("w***@water.example.com", "+86 138****1111", "+86 139****2222")

        # whoever holds the link, then the contact logged in
        pages = [self.url_open(self.url(doc, token=doc.access_token)).text]
        self.login(self.portal_a)
        pages.append(self.url_open(self.url(doc)).text)
        for page in pages:
            for detail in full:
                self.assertNotIn(detail, page)
            for detail in masked:
                self.assertIn(detail, page)
