"""Remote signing: the customer receives the link (e-mail, SMS to a mobile),
reads the document in the portal and signs or declines it; two customer
companies over HTTP, each seeing only its own documents, and every refused
input changing nothing."""

import hashlib
import json
import re

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..reports_core import documents as core
from .common import SIGNATURE
from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalDocuments(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the SMS code that confirms a signature is test_portal_signing_code's
        cls.env.ref("field_service_sla.tier_diamond").fs_sign_code = False
        # the staff member who sends them (every team's orders), the portal
        # users who receive them
        cls.sender = new_test_user(
            cls.env,
            login="fs_portal_sender",
            name="Zhao Min",
            email="zhao.min@operator.example.com",
            groups="field_service_sla.group_fs_sla_admin",
        )
        cls.portal_a.partner_id.write(
            {"email": "wang.fang@water.example.com", "phone": "+86 138-0000-1111"}
        )
        cls.portal_b.partner_id.write(
            {"email": "zhang.qiang@power.example.com", "phone": "023-6388 1234"}
        )
        cls.doc_a = cls._confirmation_to_sign(cls.order_a, cls.sender)
        cls.doc_b = cls._confirmation_to_sign(cls.order_b, cls.sender)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def sign(self, document, token=None, **params):
        url = f"/my/service-documents/{document.id}/sign"
        if token:
            url += f"?access_token={token}"
        values = {
            "name": "王芳",
            "signature": SIGNATURE.decode(),
            "shown_hash": core.content_hash(document.sudo()._fs_content()),
        }
        values.update(params)
        return self.json(url, **{k: v for k, v in values.items() if v is not None})

    def decline(self, document, token=None, **params):
        url = f"/my/service-documents/{document.id}/decline"
        if token:
            url += f"?access_token={token}"
        return self.json(url, **params)

    def snapshot(self, document):
        document.invalidate_recordset()
        return (
            document.state,
            document.signature,
            document.signed_by,
            document.content_hash,
            document.pdf_attachment_id,
            document.declined_reason,
            len(document.event_ids),
            len(document.message_ids),
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "fs.document"), ("res_id", "=", document.id)]
            ),
        )

    def assertRefused(self, result, pattern):
        self.assertRegex(result.get("error") or "", pattern)
        self.assertNotIn("redirect_url", result)

    def page(self, document, token=None):
        url = f"/my/service-documents/{document.id}"
        if token:
            url += f"?access_token={token}"
        return self.url_open(url, allow_redirects=False)

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------
    def test_sending_mails_and_texts_the_link_to_the_contact(self):
        doc = self.doc_a
        self.assertEqual(doc.state, "to_sign")
        self.assertTrue(doc.access_token)
        self.assertTrue(doc.sent_on)
        self.assertEqual(doc.send_to_id, self.portal_a.partner_id)
        link = f"/my/service-documents/{doc.id}?access_token={doc.access_token}"
        self.assertEqual(doc._fs_portal_link(), doc.get_base_url() + link)
        # the e-mail, from the document's chatter, to the contact
        mail = self.env["mail.mail"].search(
            [("model", "=", "fs.document"), ("res_id", "=", doc.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.portal_a.partner_id)
        self.assertIn(doc.name, mail.subject)
        self.assertIn(link, mail.body_html)
        # the mail layout's own link to the document carries the token too
        view_links = re.findall(r'/mail/view\?[^"]*', mail.body_html)
        self.assertTrue(view_links)
        for view_link in view_links:
            self.assertIn(f"access_token={doc.access_token}", view_link)
        # the SMS, queued for the SMS cron: never sent from here
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.portal_a.partner_id.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+8613800001111")
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(link, sms.body)
        # the audit trail says to whom and how
        sent = doc.event_ids.filtered(lambda e: e.event == "sent")
        self.assertEqual(sent.partner_id, self.portal_a.partner_id)
        self.assertIn("wang.fang@water.example.com", sent.note)
        self.assertIn("+8613800001111", sent.note)

    def test_a_fixed_line_gets_no_sms(self):
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "fs.document"), ("res_id", "=", self.doc_b.id)]
            )
        )
        self.assertFalse(
            self.env["sms.sms"].search(
                [("partner_id", "=", self.portal_b.partner_id.id)]
            )
        )
        sent = self.doc_b.event_ids.filtered(lambda e: e.event == "sent")
        self.assertNotIn("SMS", sent.note)

    def test_the_link_goes_out_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_reports"], ["zh_CN"], overwrite=True
        )
        self.doc_a.action_back_to_draft()
        self.doc_a.write({"lang": "zh_CN"})
        self.doc_a.with_user(self.sender).action_ask_signature()
        mail = self.env["mail.mail"].search(
            [("model", "=", "fs.document"), ("res_id", "=", self.doc_a.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("请签署", mail.subject)
        self.assertIn("阅读并签署", mail.body_html)
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.portal_a.partner_id.id)], order="id desc", limit=1
        )
        self.assertIn("请阅读并签署", sms.body)
        # the audit trail the customer reads says it in their language too
        sent = self.doc_a.event_ids.filtered(lambda e: e.event == "sent")[-1:]
        self.assertIn("邮件发送至", sent.note)
        self.assertIn("短信发送至 +8613800001111", sent.note)

    def test_a_contact_that_cannot_be_reached_is_refused(self):
        Document = self.env["fs.document"].with_user(self.sender)
        order = self.order_a.copy({"ticket_id": self.ticket_a.id})
        order.write(
            {
                "fs_fault_found": "Loose patch cord",
                "fs_cause_category": "customer_equipment",
                "fs_work_result": "restored",
            }
        )
        doc = Document._fs_document_for(order, core.CONFIRMATION)
        self.portal_a.partner_id.write({"email": False, "phone": "023-6388 1234"})
        mails = self.env["mail.mail"].search_count([])
        with self.assertRaisesRegex(UserError, "no e-mail address and no mobile"):
            doc.action_ask_signature()
        self.assertEqual(doc.state, "draft")
        self.assertFalse(doc.access_token or doc.sent_on)
        self.assertNotIn("sent", doc.event_ids.mapped("event"))
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        # another customer's contact is no one to send it to
        doc.send_to_id = self.portal_b.partner_id
        with self.assertRaisesRegex(UserError, "choose in Send to"):
            doc.action_ask_signature()
        # nor is the customer company itself: whoever signs with the link
        # signs in the name of a person
        self.company_a.email = "office@water.example.com"
        doc.send_to_id = self.company_a
        with self.assertRaisesRegex(UserError, "choose in Send to"):
            doc.action_ask_signature()
        self.assertEqual(doc.state, "draft")
        # a mobile number alone is enough: the link goes by SMS only
        doc.send_to_id = False
        self.portal_a.partner_id.phone = "13900002222"
        doc.action_ask_signature()
        self.assertEqual(doc.state, "to_sign")
        self.assertTrue(self.env["sms.sms"].search([("number", "=", "+8613900002222")]))

    # ------------------------------------------------------------------
    # isolation
    # ------------------------------------------------------------------
    def test_the_list_and_counters_show_the_company_documents(self):
        draft = self.env["fs.document"]._fs_document_for(
            self.order_a, core.QUALITY_FORM
        )
        for user in (self.portal_a, self.portal_a2):
            with self.subTest(user=user.login):
                self.login(user)
                page = self.url_open("/my/service-documents").text
                self.assertIn(self.doc_a.name, page)
                self.assertNotIn(self.doc_b.name, page)
                self.assertNotIn(draft.name, page, "a draft is not sent yet")
                counters = self.counters()
                self.assertEqual(counters["fs_document_count"], 1)
                self.assertEqual(counters["fs_document_to_sign_count"], 1)
        for filterby, shown in (("to_sign", True), ("signed", False), ("bad", True)):
            page = self.url_open(f"/my/service-documents?filterby={filterby}").text
            self.assertEqual(self.doc_a.name in page, shown, filterby)
        self.login(self.portal_b)
        page = self.url_open("/my/service-documents?sortby=state").text
        self.assertIn(self.doc_b.name, page)
        self.assertNotIn(self.doc_a.name, page)

    def counters(self):
        response = self.url_open(
            "/my/counters",
            data=json.dumps(
                {
                    "params": {
                        "counters": ["fs_document_count", "fs_document_to_sign_count"]
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_the_page_shows_the_document_its_trail_and_the_buttons(self):
        self.login(self.portal_a)
        response = self.page(self.doc_a)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn(self.doc_a.name, page)
        self.assertIn("o_fs_portal_document_frame", page)
        self.assertIn("report_type=html", page)
        self.assertIn('data-event="sent"', page)
        self.assertIn("field_service_reports.document_signature_form", page)
        self.assertIn("field_service_reports.document_decline_form", page)
        self.assertIn(core.content_hash(self.doc_a.sudo()._fs_content()), page)
        html = self.url_open(f"/my/service-documents/{self.doc_a.id}?report_type=html")
        self.assertEqual(html.status_code, 200)
        self.assertIn("Fibre cut at Water Group", html.text)

    def test_another_company_document_is_refused(self):
        self.login(self.portal_a)
        for url in (
            f"/my/service-documents/{self.doc_b.id}",
            f"/my/service-documents/{self.doc_b.id}?report_type=pdf",
            f"/my/service-documents/{self.doc_b.id}?report_type=html",
            f"/my/service-documents/{self.doc_b.id + 100000}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
                self.assertNotIn("Power Group", response.text)
        before = self.snapshot(self.doc_b)
        result = self.sign(self.doc_b, name="王芳")
        self.assertRefused(result, "not open to you")
        result = self.decline(self.doc_b, reason="不是我们的")
        self.assertRefused(result, "not open to you")
        self.assertEqual(self.snapshot(self.doc_b), before)
        # the records behind the pages: their own only
        Document = self.env["fs.document"].with_user(self.portal_a)
        self.assertEqual(Document.search([]), self.doc_a)
        events = self.env["fs.document.event"].with_user(self.portal_a).search([])
        self.assertEqual(events.document_id, self.doc_a)
        for operation in ("write", "create", "unlink"):
            self.assertFalse(Document.has_access(operation))

    def test_another_documents_token_opens_nothing(self):
        token_a = self.doc_a.access_token
        before = self.snapshot(self.doc_b)
        # not logged in, and logged in as the other company's user
        for login in (None, self.portal_a):
            if login:
                self.login(login)
            with self.subTest(login=bool(login)):
                response = self.page(self.doc_b, token_a)
                self.assertEqual(response.status_code, 303)
                self.assertNotIn(self.doc_b.name, response.text)
                pdf = self.url_open(
                    f"/my/service-documents/{self.doc_b.id}"
                    f"?access_token={token_a}&report_type=pdf",
                    allow_redirects=False,
                )
                self.assertEqual(pdf.status_code, 303)
                result = self.sign(self.doc_b, token_a)
                self.assertRefused(result, "not open to you")
                result = self.decline(self.doc_b, token_a, reason="伪造")
                self.assertRefused(result, "not open to you")
        self.assertEqual(self.snapshot(self.doc_b), before)
        # its own token is the link it was sent with: it opens it
        self.authenticate(None, None)
        response = self.page(self.doc_b, self.doc_b.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.doc_b.name, response.text)

    def test_a_document_taken_back_opens_no_more(self):
        token = self.doc_a.access_token
        self.doc_a.with_user(self.sender).action_back_to_draft()
        self.assertEqual(self.doc_a.access_token, token)
        self.assertEqual(self.page(self.doc_a, token).status_code, 303)
        self.login(self.portal_a)
        self.assertEqual(self.page(self.doc_a).status_code, 303)
        before = self.snapshot(self.doc_a)
        result = self.sign(self.doc_a, token)
        self.assertRefused(result, "not open to you")
        self.assertEqual(self.snapshot(self.doc_a), before)

    def test_the_internal_report_never_shows(self):
        tech = self.env["fs.document"]._fs_document_for(
            self.ticket_a, core.FAULT_REPORT_TECH
        )
        token = tech.sudo()._portal_ensure_token()
        self.login(self.portal_a)
        self.assertEqual(self.page(tech).status_code, 303)
        self.assertEqual(self.page(tech, token).status_code, 303)

    # ------------------------------------------------------------------
    # signing and declining over HTTP
    # ------------------------------------------------------------------
    def test_the_customer_signs_in_the_portal(self):
        self.login(self.portal_a)
        shown = core.content_hash(self.doc_a.sudo()._fs_content())
        result = self.sign(self.doc_a, name=" 王芳 ")
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn("message=signed", result["redirect_url"])
        doc = self.doc_a
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertEqual(doc.signed_by, "王芳")
        self.assertEqual(doc.signer_partner_id, self.portal_a.partner_id)
        self.assertEqual(doc.signed_ip, "127.0.0.1")
        self.assertFalse(doc.signed_on_site)
        self.assertEqual(doc.content_hash, shown)
        archive = doc.pdf_attachment_id
        self.assertTrue(archive.raw.startswith(b"%PDF"))
        self.assertEqual(doc.pdf_hash, hashlib.sha256(archive.raw).hexdigest())
        signed = doc.event_ids.filtered(lambda e: e.event == "signed")
        self.assertEqual(signed.ip, "127.0.0.1")
        self.assertEqual(signed.partner_id, self.portal_a.partner_id)
        self.assertEqual(signed.user_id, self.portal_a)
        # the page says so, with the trail; the download is the archive
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("o_fs_portal_signed_message", page)
        self.assertIn(doc.content_hash, page)
        self.assertNotIn("document_signature_form", page)
        pdf = self.url_open(
            f"/my/service-documents/{doc.id}?report_type=pdf&download=true"
        )
        self.assertEqual(pdf.content, archive.raw)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        # a second signature is refused and changes nothing
        before = self.snapshot(doc)
        signed_on = doc.signed_on
        result = self.sign(doc, name="陈静")
        self.assertRefused(result, "already signed")
        result = self.decline(doc, reason="改主意了")
        self.assertRefused(result, "already signed")
        self.assertEqual(self.snapshot(doc), before)
        self.assertEqual((doc.signed_by, doc.signed_on), ("王芳", signed_on))

    def test_whoever_holds_the_link_signs_as_the_contact_it_was_sent_to(self):
        result = self.sign(self.doc_b, self.doc_b.access_token, name="张强")
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn(f"access_token={self.doc_b.access_token}", result["redirect_url"])
        self.doc_b.invalidate_recordset()
        self.assertEqual(self.doc_b.state, "signed")
        self.assertEqual(self.doc_b.signer_partner_id, self.portal_b.partner_id)
        self.assertEqual(self.doc_b.signed_ip, "127.0.0.1")

    @mute_logger("odoo.http")
    def test_bad_signatures_are_refused_and_change_nothing(self):
        self.login(self.portal_a)
        doc = self.doc_a
        before = self.snapshot(doc)
        cases = [
            ({"signature": ""}, "the signature is empty"),
            ({"signature": None}, "the signature is empty"),
            ({"name": "  "}, "enter the name"),
            ({"name": None}, "enter the name"),
            ({"shown_hash": ""}, "changed since it was shown"),
            ({"shown_hash": "0" * 64}, "changed since it was shown"),
            ({"signature": "not an image"}, "."),
            ({"answers": {"score_result": "5"}}, "asks the customer nothing"),
            ({"answers": "5"}, "could not be read"),
        ]
        for params, message in cases:
            with self.subTest(params=params):
                result = self.sign(doc, **params)
                self.assertRefused(result, message)
                self.assertEqual(self.snapshot(doc), before)
        # the document changed since the page showed it
        shown = core.content_hash(doc.sudo()._fs_content())
        self.order_a.fs_customer_opinion = "基本满意。"
        result = self.sign(doc, shown_hash=shown)
        self.assertRefused(result, "changed since it was shown")
        self.assertEqual(self.snapshot(doc), before)
        # a staff member logged in signs nothing for the customer
        self.authenticate(self.sender.login, self.sender.login)
        result = self.sign(doc, doc.access_token, name="王芳")
        self.assertRefused(result, "never the staff")
        # nor does another company's user with the link
        self.login(self.portal_b)
        result = self.sign(doc, doc.access_token)
        self.assertRefused(result, "not a contact of the customer")
        self.assertEqual(self.snapshot(doc), before)

    def test_declining_needs_a_reason(self):
        self.login(self.portal_a)
        doc = self.doc_a
        before = self.snapshot(doc)
        for reason in (None, "", "   "):
            with self.subTest(reason=reason):
                result = self.decline(doc, **({"reason": reason} if reason else {}))
                self.assertRefused(result, "say why")
                self.assertEqual(self.snapshot(doc), before)
        result = self.decline(doc, reason="业务仍有丢包，暂不确认。")
        self.assertIn("message=declined", result["redirect_url"])
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "declined")
        self.assertEqual(doc.declined_reason, "业务仍有丢包，暂不确认。")
        self.assertEqual(doc.declined_partner_id, self.portal_a.partner_id)
        declined = doc.event_ids.filtered(lambda e: e.event == "declined")
        self.assertEqual(declined.ip, "127.0.0.1")
        self.assertEqual(declined.note, "业务仍有丢包，暂不确认。")
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("o_fs_portal_declined_message", page)
        self.assertIn("业务仍有丢包", page)
        before = self.snapshot(doc)
        result = self.sign(doc)
        self.assertRefused(result, "no longer be signed")
        self.assertEqual(self.snapshot(doc), before)

    def test_the_quality_form_is_answered_then_signed(self):
        form = (
            self.env["fs.document"]
            .with_user(self.sender)
            ._fs_document_for(self.order_a, core.QUALITY_FORM)
        )
        form.action_ask_signature()
        self.login(self.portal_a)
        page = self.page(form).text
        self.assertIn("score_punctuality", page)
        scores = dict.fromkeys(
            (
                "score_response",
                "score_punctuality",
                "score_attitude",
                "score_skill",
                "score_result",
            ),
            "4",
        )
        before = self.snapshot(form)
        for answers, message in (
            ({**scores, "score_skill": ""}, "has not scored"),
            ({**scores, "score_skill": "9"}, "a score is from 1 to 5"),
            ({**scores, "state": "signed"}, "asks no state"),
            (None, "has not scored"),
        ):
            with self.subTest(answers=answers):
                result = self.sign(form, answers=answers)
                self.assertRefused(result, message)
                self.assertEqual(self.snapshot(form), before)
        # answers taken, then a signature that is no image: the scores
        # written before the refusal are rolled back with it
        result = self.sign(form, answers=scores, signature="bm90IGFuIGltYWdl")
        self.assertRefused(result, "image")
        form.invalidate_recordset()
        self.assertFalse(form.score_result)
        self.assertEqual(self.snapshot(form), before)
        result = self.sign(form, answers={**scores, "customer_comment": "很专业"})
        self.assertTrue(result.get("force_refresh"), result)
        form.invalidate_recordset()
        self.assertEqual(form.state, "signed")
        self.assertEqual(form.score_mean, 4.0)
        self.assertEqual(json.loads(form.content_json)["comment"], "很专业")

    # ------------------------------------------------------------------
    # the ticket's and the order's pages
    # ------------------------------------------------------------------
    def test_ticket_and_order_pages_list_their_documents(self):
        self.login(self.portal_a)
        for url in (
            f"/my/ticket/{self.ticket_a.id}",
            f"/my/fsm_order/{self.order_a.id}",
        ):
            with self.subTest(url=url):
                page = self.url_open(url).text
                self.assertIn(self.doc_a.name, page)
                self.assertIn(f'href="/my/service-documents/{self.doc_a.id}"', page)
                self.assertNotIn(self.doc_b.name, page)
        # with the ticket's own link, the documents open with theirs
        self.authenticate(None, None)
        token = self.ticket_a._portal_ensure_token()
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}?access_token={token}").text
        self.assertIn(
            f"/my/service-documents/{self.doc_a.id}?access_token={self.doc_a.access_token}",
            page,
        )
