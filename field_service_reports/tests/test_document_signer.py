"""Who signs on the technician's phone: a person of the customer (one of its
contacts, or a new one added with a mobile), never the technician under
another name nor the customer company's name; where the customer's tier
asks for it, the code texted to the contact's mobile confirms it. The
signature form is driven through odoo.tests.Form as the technician, with the
context the Sign button gives."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.field_service_sla.tests.sms_common import forget_queued_sms

from .common import SIGNATURE, DocumentCase, TextedCode, core

MOBILE = "+86 139-2345-6789"
NUMBER = "+8613923456789"


@tagged("post_install", "-at_install")
class TestDocumentSigner(TextedCode, DocumentCase):
    code_number = NUMBER

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        forget_queued_sms(cls.env)
        cls.diamond = cls.env.ref("field_service_sla.tier_diamond")
        cls.diamond.fs_sign_code = True

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def open_form(self, record=None, action=None):
        """The signature form as the technician's Sign button opens it."""
        record = record or self.order
        if action is None:
            action = record.with_user(self.technician).action_fs_sign_confirmation()
        self.assertEqual(action["res_model"], "fs.document.sign.wizard")
        return Form(
            self.env["fs.document.sign.wizard"]
            .with_user(self.technician)
            .with_context(action["context"])
        )

    def reopen(self, action):
        self.assertEqual(action["res_model"], "fs.document.sign.wizard")
        wizard = (
            self.env["fs.document.sign.wizard"]
            .with_user(self.technician)
            .with_context(action["context"])
            .browse(action["res_id"])
        )
        return wizard

    def confirmation(self):
        return self.env["fs.document"]._fs_document_for(self.order, core.CONFIRMATION)

    def unsigned(self, document):
        document.invalidate_recordset()
        self.assertEqual(document.state, "draft")
        self.assertFalse(document.signature or document.content_hash)
        self.assertFalse(document.pdf_attachment_id)

    # ------------------------------------------------------------------
    # the signer is a person of the customer
    # ------------------------------------------------------------------
    def test_the_default_signer_is_never_the_company(self):
        # the fault reported by the company itself, a site without contact
        self.ticket.partner_id = self.customer
        self.location.contact_id = False
        form = self.open_form()
        self.assertFalse(form.partner_id)
        self.assertFalse(form.signer_name)
        # the technician fills in the company's name
        form.signer_name = self.customer.name
        form.signature = SIGNATURE
        wizard = form.save()
        document = wizard.document_id
        with self.assertRefused(UserError, "a person of the customer"):
            wizard.action_sign()
        self.unsigned(document)

    def test_the_technician_cannot_sign_in_the_customers_box(self):
        form = self.open_form()
        self.assertEqual(form.partner_id, self.contact, "the reporter signs")
        self.assertEqual(form.signer_name, "王芳")
        # another name than the contact's: his own, in pinyin, or anyone's
        for name in ("Li Qiang", "李强", "重庆市水务集团"):
            with self.subTest(name=name):
                form.signer_name = name
                form.signature = SIGNATURE
                wizard = form.save()
                with self.assertRefused(UserError, "not that of the contact 王芳"):
                    wizard.action_sign()
                self.unsigned(wizard.document_id)
        # the company itself, chosen by id (the form's list offers persons)
        wizard = (
            self.env["fs.document.sign.wizard"]
            .with_user(self.technician)
            .create(
                {
                    "document_id": self.confirmation().id,
                    "partner_id": self.customer.id,
                    "signer_name": self.customer.name,
                    "signature": SIGNATURE,
                }
            )
        )
        with self.assertRefused(UserError, "a person of the customer"):
            wizard.action_sign()
        # nobody chosen, a name typed
        form = self.open_form()
        form.partner_id = self.env["res.partner"]
        form.signer_name = "Li Qiang"
        form.signature = SIGNATURE
        with self.assertRefused(UserError, "a person of the customer"):
            form.save().action_sign()
        self.unsigned(self.confirmation())

    def test_the_contacts_offered_are_the_customers_persons(self):
        form = self.open_form()
        domain = form._view["fields"]["partner_id"]["domain"]
        offered = self.env["res.partner"].search(
            safe_eval(domain, {"customer_id": self.customer.id})
        )
        self.assertIn(self.contact, offered)
        self.assertNotIn(self.customer, offered)
        self.assertFalse(offered.filtered("is_company"))
        self.assertEqual(offered.commercial_partner_id, self.customer)

    def test_the_customer_signs_without_code_where_no_mobile_is_known(self):
        # 王芳's phone is a fixed line: no code can reach her
        form = self.open_form()
        self.assertFalse(form.code_required)
        form.signature = SIGNATURE
        form.save().action_sign()
        document = self.confirmation()
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_partner_id, self.contact)
        self.assertFalse(document.signed_with_code)
        self.assertFalse(self.env["sms.sms"].sudo().search([]).filtered("number"))

    # ------------------------------------------------------------------
    # a new contact, and the code
    # ------------------------------------------------------------------
    def test_a_new_contact_with_a_mobile_signs_with_the_code(self):
        form = self.open_form()
        form.partner_id = self.env["res.partner"]
        form.new_contact_name = "刘洋"
        self.assertEqual(form.signer_name, "刘洋")
        form.new_contact_mobile = "023-6388 1234"
        wizard = form.save()
        with self.assertRefused(UserError, "needs a mobile number"):
            wizard.action_send_code()
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "刘洋")]),
            "refused: no contact added",
        )
        form = Form(wizard)
        form.new_contact_mobile = MOBILE
        self.assertTrue(form.code_required, "diamond tier, mobile known")
        wizard = form.save()
        wizard = self.reopen(wizard.action_send_code())
        contact = wizard.partner_id
        self.assertEqual(contact.name, "刘洋")
        self.assertEqual(contact.parent_id, self.customer)
        self.assertEqual(contact.phone, NUMBER)
        self.assertEqual(wizard.code_sent_to, "+86 139****6789")
        code = self.texted_code()
        document = wizard.document_id
        # the code is in the SMS only: never in the chatter, never stored
        self.assertNotIn(code, " ".join(document.message_ids.mapped("body")))
        stored = (
            self.env["fs.document.sign.code"]
            .sudo()
            .search([("document_id", "=", document.id)])
        )
        self.assertEqual(len(stored), 1)
        self.assertNotIn(code, stored.code_hash)
        # signing without the code is refused and changes nothing
        form = Form(wizard)
        form.signature = SIGNATURE
        wizard = self.reopen(form.save().action_sign())
        self.assertRegex(wizard.code_error, "type the code")
        self.unsigned(document)
        form = Form(wizard)
        form.code = code
        form.signature = SIGNATURE
        form.save().action_sign()
        document.invalidate_recordset()
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_partner_id, contact)
        self.assertEqual(document.signed_by, "刘洋")
        self.assertTrue(document.signed_with_code)
        self.assertEqual(document.witness_user_id, self.technician)
        events = document.event_ids.mapped("event")
        self.assertIn("contact_added", events)
        self.assertIn("code_sent", events)
        signed = document.event_ids.filtered(lambda e: e.event == "signed")
        self.assertIn("+86 139****6789", signed.note)
        self.assertTrue(stored.used_on)

    def test_a_wrong_code_five_times_locks_the_code(self):
        self.contact.phone = MOBILE
        form = self.open_form()
        self.assertTrue(form.code_required)
        wizard = self.reopen(form.save().action_send_code())
        code = self.texted_code()
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for attempt in range(1, 6):
            form = Form(wizard)
            form.code = wrong
            form.signature = SIGNATURE
            wizard = self.reopen(form.save().action_sign())
            self.assertRegex(wizard.code_error, f"{5 - attempt} attempts left")
        form = Form(wizard)
        form.code = code
        form.signature = SIGNATURE
        wizard = self.reopen(form.save().action_sign())
        self.assertRegex(wizard.code_error, "wrong too often")
        document = wizard.document_id
        self.unsigned(document)
        stored = (
            self.env["fs.document.sign.code"]
            .sudo()
            .search([("document_id", "=", document.id)])
        )
        self.assertEqual(stored.attempts, 5)
        self.assertEqual(
            len(document.event_ids.filtered(lambda e: e.event == "code_refused")), 5
        )

    def test_an_expired_code_is_refused_and_a_new_one_asked(self):
        self.contact.phone = MOBILE
        start = fields.Datetime.now()
        with freeze_time(start):
            wizard = self.reopen(self.open_form().save().action_send_code())
            code = self.texted_code()
            # a second code at once is refused: one a minute, five an hour
            with self.assertRefused(UserError, "wait 6. seconds"):
                wizard.action_send_code()
        with freeze_time(start + timedelta(minutes=10, seconds=1)):
            form = Form(wizard)
            form.code = code
            form.signature = SIGNATURE
            wizard = self.reopen(form.save().action_sign())
            self.assertRegex(wizard.code_error, "expired")
            self.unsigned(wizard.document_id)
            wizard = self.reopen(wizard.action_send_code())
            fresh = self.texted_code()
            form = Form(wizard)
            form.code = fresh
            form.signature = SIGNATURE
            form.save().action_sign()
        self.assertEqual(wizard.document_id.state, "signed")

    def test_codes_sent_are_rate_limited(self):
        self.contact.phone = MOBILE
        start = fields.Datetime.now()
        wizard = None
        for minute in range(5):
            with freeze_time(start + timedelta(minutes=minute)):
                wizard = self.reopen(
                    (wizard or self.open_form().save()).action_send_code()
                )
        with (
            freeze_time(start + timedelta(minutes=5)),
            self.assertRefused(UserError, "too many codes"),
        ):
            wizard.action_send_code()
        self.assertEqual(
            self.env["sms.sms"].sudo().search_count([("number", "=", NUMBER)]), 5
        )

    def test_a_tier_without_code_signs_without_one(self):
        self.contact.phone = MOBILE
        self.diamond.fs_sign_code = False
        form = self.open_form()
        self.assertFalse(form.code_required)
        form.signature = SIGNATURE
        form.save().action_sign()
        self.assertEqual(self.confirmation().state, "signed")
        self.assertFalse(self.env["sms.sms"].sudo().search([("number", "=", NUMBER)]))

    def test_the_document_sign_button_opens_the_same_form(self):
        document = self.confirmation()
        action = document.with_user(self.technician).action_open_sign_wizard()
        form = self.open_form(action=action)
        self.assertEqual(form.partner_id, self.contact)
        form.signature = SIGNATURE
        form.save().action_sign()
        self.assertEqual(document.state, "signed")
