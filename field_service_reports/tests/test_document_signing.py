"""Signing freezes a document: the signature, the signer, the time, the
address, the hash of exactly what was signed and the PDF as signed are kept,
and no later change of the document or of what it shows of its source is
accepted. Every refused input changes nothing."""

import hashlib
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SIGNATURE, DocumentCase, core


@tagged("post_install", "-at_install")
class TestDocumentSigning(DocumentCase):
    def test_the_customer_signs_on_the_technicians_phone(self):
        document = self.document(self.order, core.CONFIRMATION, self.technician)
        self.sign(document)
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signed_by, "王芳")
        self.assertEqual(document.signer_partner_id, self.contact)
        self.assertTrue(document.signed_on_site)
        self.assertEqual(document.witness_user_id, self.technician)
        self.assertTrue(document.signed_on)
        self.assertTrue(document.signature)
        signed = document.event_ids.filtered(lambda e: e.event == "signed")
        self.assertEqual(signed.partner_id, self.contact, "the customer signed")
        self.assertEqual(signed.user_id, self.technician, "on the technician's device")
        self.assertEqual(signed.content_hash, document.content_hash)
        self.assertEqual(signed.pdf_hash, document.pdf_hash)

    def test_the_hashes_are_those_of_what_was_signed(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        content = document.content_json
        self.assertEqual(
            document.content_hash, hashlib.sha256(content.encode()).hexdigest()
        )
        values = json.loads(content)
        self.assertEqual(values["findings"], self.order.fs_fault_found)
        self.assertEqual(values["cause"], "transmission")
        self.assertEqual(core.canonical_json(values), content)
        archive = document.pdf_attachment_id
        self.assertTrue(archive.raw.startswith(b"%PDF"))
        self.assertEqual(document.pdf_hash, hashlib.sha256(archive.raw).hexdigest())
        self.assertEqual(archive.res_model, "fs.document")
        self.assertEqual(archive.res_id, document.id)
        # printing it again gives the archived bytes
        self.assertEqual(self.pdf(document), archive.raw)
        # and the signed PDF shows the signer and the hash
        text = self.text(archive.raw)
        self.assertIn("王芳", text)
        self.assertIn(document.content_hash, text.replace("\n", ""))

    def test_nothing_signed_changes_afterwards(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        with self.assertRefused(UserError, f"{document.name} was signed by 王芳"):
            document.write({"lang": "en_US"})
        with self.assertRefused(UserError, "Fault found.*" + document.name):
            self.order.with_user(self.technician).write({"fs_fault_found": "没事"})
        with self.assertRefused(UserError, document.name):
            self.order.write({"fs_cause_category": "our_equipment"})
        with self.assertRefused(UserError, document.name):
            self.order.write({"person_ids": [(4, self.other_technician.id)]})
        with self.assertRefused(UserError, document.name):
            self.env["fs.replaced.equipment"].create(
                {
                    "order_id": self.order.id,
                    "device_type": "光猫",
                    "device_model": "HG8245",
                    "serial_number": "SN-1",
                    "supplier": "华为",
                    "failure_cause": "雷击",
                }
            )
        self.assertEqual(self.order.fs_fault_found, "楼道光缆被施工挖断，熔接 12 芯。")
        # writing the same value, or what the document does not show, is fine
        self.order.write({"fs_fault_found": self.order.fs_fault_found, "priority": "2"})
        with self.assertRefused(UserError, "only a draft document"):
            document.unlink()
        with self.assertRefused(UserError, "cannot be changed or deleted"):
            document.pdf_attachment_id.unlink()
        with self.assertRefused(UserError, "cannot be changed or deleted"):
            document.pdf_attachment_id.write({"raw": b"%PDF forged"})
        # the chatter's preview of the PDF, made when the document is opened
        document.pdf_attachment_id.write({"thumbnail": SIGNATURE})
        # moving it between database and filestore rewrites the same bytes
        document.pdf_attachment_id.write({"raw": document.pdf_attachment_id.raw})
        self.assertEqual(
            document.pdf_hash,
            hashlib.sha256(document.pdf_attachment_id.raw).hexdigest(),
        )

    def test_a_second_signature_is_refused(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        signed_on = document.signed_on
        with self.assertRefused(UserError, "already signed"):
            self.sign(document, name="陈静")
        self.assertEqual((document.signed_by, document.signed_on), ("王芳", signed_on))
        self.assertEqual(
            len(document.event_ids.filtered(lambda e: e.event == "signed")), 1
        )

    def test_bad_signatures_are_refused_and_change_nothing(self):
        document = self.document(self.order, core.CONFIRMATION)
        cases = [
            ({"signature": False}, "the signature is empty"),
            ({"signer_name": "  "}, "enter the name"),
            ({"signer_name": "李雷"}, "never the staff for the customer"),
            ({"signer_name": " 李  雷 "}, "never the staff for the customer"),
            (
                {"partner_id": self.technician.partner_id.id, "signer_name": "老李"},
                "never the staff for the customer",
            ),
            (
                {"partner_id": self.other_technician.partner_id.id},
                "never the staff for the customer",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                wizard = (
                    self.env["fs.document.sign.wizard"]
                    .with_user(self.technician)
                    .create(
                        {
                            "document_id": document.id,
                            "partner_id": self.contact.id,
                            "signer_name": "王芳",
                            "signature": SIGNATURE,
                            **values,
                        }
                    )
                )
                with self.assertRefused(UserError, message):
                    wizard.action_sign()
                self.assertEqual(document.state, "draft")
                self.assertFalse(document.signature or document.content_hash)
        stranger = self.env["res.partner"].create({"name": "路人甲"})
        with self.assertRefused(UserError, "not a contact of the customer"):
            self.sign(document, name="路人甲", partner=stranger)
        self.assertFalse(document.pdf_attachment_id)

    def test_a_document_changed_since_it_was_shown_is_not_signed(self):
        document = self.document(self.order, core.CONFIRMATION)
        wizard = (
            self.env["fs.document.sign.wizard"]
            .with_user(self.technician)
            .with_context(default_document_id=document.id)
            .create({"signature": SIGNATURE})
        )
        self.assertEqual(wizard.signer_name, "王芳", "prefilled with the contact")
        self.order.fs_customer_opinion = "基本满意。"
        with self.assertRefused(UserError, "changed since it was shown"):
            wizard.action_sign()
        self.assertEqual(document.state, "draft")

    def test_declining_needs_a_reason(self):
        document = self.document(self.order, core.CONFIRMATION)
        wizard = (
            self.env["fs.document.sign.wizard"]
            .with_user(self.technician)
            .create({"document_id": document.id, "partner_id": self.contact.id})
        )
        with self.assertRefused(UserError, "say why"):
            wizard.action_decline()
        self.assertEqual(document.state, "draft")
        wizard.decline_reason = "业务仍有丢包，暂不确认。"
        wizard.action_decline()
        self.assertEqual(document.state, "declined")
        self.assertEqual(document.declined_partner_id, self.contact)
        event = document.event_ids.filtered(lambda e: e.event == "declined")
        self.assertEqual(event.note, "业务仍有丢包，暂不确认。")
        with self.assertRefused(UserError, "no longer be signed"):
            document._sign(SIGNATURE, "王芳")
        # a new confirmation is printed for the order
        self.assertNotEqual(self.document(self.order, core.CONFIRMATION), document)

    def test_the_protected_fields_are_the_signing_methods_own(self):
        document = self.document(self.order, core.CONFIRMATION, self.technician)
        for values in (
            {"state": "signed"},
            {"signature": SIGNATURE, "signed_by": "王芳"},
            {"content_hash": "0" * 64},
        ):
            with (
                self.subTest(values=values),
                self.assertRefused(UserError, "change only by"),
            ):
                document.with_user(self.technician).write(values)
        self.assertEqual(document.state, "draft")

    def test_the_portal_api_signs_with_the_address_given(self):
        document = self.document(self.visit, core.VISIT_REPORT)
        # a visit names no contact: the report goes to the one chosen
        self.contact.email = "wang.fang@example.com"
        document.send_to_id = self.contact
        document.action_ask_signature()
        self.assertEqual(document.state, "to_sign")
        self.assertTrue(document.access_token)
        self.assertEqual(document.access_url, f"/my/service-documents/{document.id}")
        portal = self.env["res.users"].create(
            {
                "name": "王芳",
                "login": "wangfang",
                "partner_id": self.contact.id,
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        shown = core.content_hash(document._fs_content())
        document.with_user(portal).sudo()._sign(
            SIGNATURE, "王芳", "203.0.113.7", partner=self.contact, shown_hash=shown
        )
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signed_ip, "203.0.113.7")
        self.assertFalse(document.signed_on_site)
        self.assertEqual(document.content_hash, shown)
        with self.assertRefused(UserError, document.name):
            self.visit.write({"new_needs": "无"})

    def test_inspection_record_and_its_lines_freeze(self):
        fresh = self.env["fs.inspection"].create(
            {
                "template_id": self.inspection.template_id.id,
                "location_id": self.location.id,
                "user_id": self.technician.id,
            }
        )
        with self.assertRefused(UserError, "confirm its findings"):
            self.sign(self.document(fresh, core.INSPECTION_RECORD))
        document = self.document(self.inspection, core.INSPECTION_RECORD)
        self.sign(document)
        reading = self.inspection.reading_ids[0]
        with self.assertRefused(UserError, document.name):
            reading.with_user(self.technician).write({"value": 230})
        with self.assertRefused(UserError, document.name):
            self.inspection.item_ids[0].write({"result": "fail"})
        with self.assertRefused(UserError, document.name):
            self.inspection.write({"note": "补记"})
        with self.assertRefused(UserError, document.name):
            self.inspection.finding_ids[0].unlink()
        self.assertEqual(reading.value, 221.5)

    def test_visit_report_needs_the_visit_done(self):
        visit = self.env["fs.visit"].create(
            {
                "partner_id": self.customer.id,
                "planned_date": "2026-04-01",
                "user_id": self.technician.id,
            }
        )
        document = self.document(visit, core.VISIT_REPORT)
        with self.assertRefused(UserError, "mark the visit done"):
            self.sign(document)
        self.assertEqual(document.state, "draft")

    def test_quality_form_takes_the_customers_scores_with_the_signature(self):
        document = self.document(self.order, core.QUALITY_FORM)
        scores = {
            "score_response": "5",
            "score_punctuality": "4",
            "score_attitude": "5",
            "score_skill": "4",
            "score_result": "5",
        }
        with self.assertRefused(UserError, "has not scored"):
            self.sign(document, **{**scores, "score_skill": False})
        self.assertEqual(document.state, "draft")
        with self.assertRefused(UserError, "change only by"):
            document.with_user(self.technician).write({"score_result": "5"})
        self.sign(document, customer_comment="师傅很专业。", **scores)
        self.assertEqual(document.score_mean, 4.6)
        self.assertEqual(
            json.loads(document.content_json)["scores"]["score_punctuality"], "4"
        )
        self.assertEqual(json.loads(document.content_json)["comment"], "师傅很专业。")

    def test_dispatchers_see_the_documents_of_their_teams_orders(self):
        """As they see the orders: another team's order's documents (and
        their audit trail) are out of sight and refused by id; its own
        team's dispatcher, the account manager and the technician keep
        them."""
        other = new_test_user(
            self.env,
            login="doc_dispatcher_south",
            groups="field_service_sla.group_fs_dispatcher",
        )
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        Document, Event = self.env["fs.document"], self.env["fs.document.event"]
        mine = self.env["fsm.team"].create(
            {"name": "渝北", "dispatcher_ids": self.dispatcher.ids}
        )
        south = self.env["fsm.team"].create(
            {"name": "南岸", "dispatcher_ids": other.ids}
        )
        self.order.team_id = mine
        self.assertIn(document, Document.with_user(self.dispatcher).search([]))
        self.order.team_id = south
        self.assertNotIn(document, Document.with_user(self.dispatcher).search([]))
        self.assertFalse(
            Event.with_user(self.dispatcher).search([("document_id", "=", document.id)])
        )
        with self.assertRaises(AccessError):
            document.with_user(self.dispatcher).read(["name"])
        for user in (other, self.account_manager, self.technician):
            self.assertIn(document, Document.with_user(user).search([]), user.login)
        self.assertTrue(
            Event.with_user(other).search([("document_id", "=", document.id)])
        )
        # a ticket's own documents are not narrowed by field-order teams
        report = self.document(self.ticket, core.FAULT_REPORT_CUSTOMER)
        self.assertIn(report, Document.with_user(self.dispatcher).search([]))

    def test_who_sees_and_works_the_documents(self):
        document = self.document(self.order, core.CONFIRMATION)
        Document = self.env["fs.document"]
        self.assertIn(document, Document.with_user(self.technician).search([]))
        self.assertNotIn(document, Document.with_user(self.other_technician).search([]))
        with self.assertRaises(AccessError):
            document.with_user(self.other_technician).action_open_sign_wizard()
        self.assertIn(document, Document.with_user(self.account_manager).search([]))
        with self.assertRaises(AccessError):
            document.with_user(self.account_manager).write({"lang": "en_US"})
        self.sign(document)
        events = self.env["fs.document.event"]
        self.assertTrue(
            events.with_user(self.technician).search(
                [("document_id", "=", document.id)]
            )
        )
        self.assertFalse(
            events.with_user(self.other_technician).search(
                [("document_id", "=", document.id)]
            )
        )
