"""Documents tried from outside, as each role over HTTP and JSON-RPC: no
forged signature or approval (create, write and copy alike), no file read
through a document, no archived PDF to whoever asks, no source read through
a document made on it."""

import base64

from odoo.tests import new_test_user, tagged

from odoo.addons.field_service_sla.tests.rpc import RpcCase

from .common import SIGNATURE, DocumentCase, core

# the PDF itself (Odoo's test mode would render HTML instead)
REPORT_URL = (
    "/report/pdf/field_service_reports.report_fs_document/%s"
    '?context={"force_report_rendering":true}'
)
# what a dishonest technician sends to make a document look signed
FORGED = {
    "state": "signed",
    "signed_by": "王芳",
    "signature": SIGNATURE.decode(),
    "content_json": '{"findings": "invented"}',
    "content_hash": "0" * 64,
}


@tagged("post_install", "-at_install")
class TestDocumentSecurity(RpcCase, DocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env, login="doc_portal_a", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        other = cls.env["res.partner"].create(
            {"name": "重庆市电力公司", "is_company": True}
        )
        cls.portal_b = new_test_user(
            cls.env, login="doc_portal_b", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = other
        cls.private = (
            cls.env["ir.attachment"]
            .with_user(cls.dispatcher)
            .create(
                {
                    "name": "payroll.pdf",
                    "raw": b"%PDF-1.4 private payroll",
                    "mimetype": "application/pdf",
                }
            )
        )

    def refused(self, login, method, *args, **kwargs):
        return self.assertRpcRefused(login, "fs.document", method, *args, **kwargs)

    def test_a_technician_cannot_create_a_signed_document(self):
        before = self.env["fs.document"].search_count([])
        for values in (
            FORGED,
            {"signer_partner_id": self.contact.id},
            {"pdf_attachment_id": self.private.id},
            {"pdf_hash": "0" * 64, "signed_on": "2026-03-02 10:00:00"},
        ):
            with self.subTest(values=list(values)):
                error = self.refused(
                    "doc_technician",
                    "create",
                    {"kind": "confirmation", "order_id": self.order.id, **values},
                )
                self.assertIn("change only by", error.message)
        # an approved technical fault report, approved by a dispatcher
        self.refused(
            "doc_technician",
            "create",
            {
                "kind": "fault_report_tech",
                "ticket_id": self.ticket.id,
                "state": "approved",
                "approved_by_id": self.dispatcher.id,
                "approved_on": "2026-03-03 10:00:00",
            },
        )
        self.assertEqual(self.env["fs.document"].search_count([]), before)
        # a plain draft is still made
        new = self.call(
            "doc_technician",
            "fs.document",
            "create",
            {"kind": "confirmation", "order_id": self.order.id, "state": "draft"},
        )
        self.assertEqual(self.env["fs.document"].browse(new).state, "draft")

    def test_a_copy_is_a_new_draft(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        for default in (
            {"state": "signed"},
            {"content_hash": "0" * 64},
            {"pdf_attachment_id": self.private.id},
            {"signed_by": "王芳", "signature": SIGNATURE.decode()},
        ):
            with self.subTest(default=list(default)):
                self.refused("doc_technician", "copy", [document.id], default=default)
        copy_id = self.call("doc_technician", "fs.document", "copy", [document.id])[0]
        copy = self.env["fs.document"].browse(copy_id)
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.signature or copy.content_json or copy.pdf_attachment_id)
        self.assertFalse(copy.signed_by or copy.signer_partner_id)

    def test_a_technician_cannot_write_the_protected_fields(self):
        document = self.document(self.order, core.CONFIRMATION)
        for values in (FORGED, {"pdf_attachment_id": self.private.id}):
            with self.subTest(values=list(values)):
                self.refused("doc_technician", "write", [document.id], values)
        self.assertEqual(document.state, "draft")
        self.assertFalse(document.pdf_attachment_id)

    def test_an_archived_pdf_goes_to_its_readers_only(self):
        confirmation = self.document(self.order, core.CONFIRMATION)
        self.sign(confirmation)
        archive = confirmation.pdf_attachment_id.raw
        hidden = self.env["fs.document"].create(
            {"kind": "visit_report", "visit_id": self.visit.id}
        )
        self.visit.user_id = self.dispatcher
        self.sign(hidden, user=self.dispatcher)
        technical = self.document(self.ticket, core.FAULT_REPORT_TECH)
        technical.write({"fault_cause": "光缆被挖断", "handling_process": "熔接"})
        technical.with_user(self.dispatcher).action_approve()
        for login, document in (
            ("doc_portal_b", confirmation),
            ("doc_portal_a", technical),
            ("doc_technician2", confirmation),
            ("doc_technician", hidden),
        ):
            with self.subTest(login=login, document=document.kind):
                self.authenticate(login, login)
                response = self.url_open(REPORT_URL % document.id)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(b"%PDF", response.content[:10])
        # the technician of the order and the customer's own contact (the
        # order's team is dispatched by another dispatcher)
        for login in ("doc_technician", "doc_portal_a"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open(REPORT_URL % confirmation.id)
                self.assertEqual(response.status_code, 200, response.text[:2000])
                self.assertEqual(response.content, archive)

    def test_no_document_on_a_record_the_technician_cannot_read(self):
        """Another technician's field order: no document is made on it, and
        one made for him by someone else does not show it to him."""
        self.refused(
            "doc_technician2",
            "create",
            {"kind": "confirmation", "order_id": self.order.id},
        )
        self.refused(
            "doc_technician2",
            "create",
            {"kind": "inspection_record", "inspection_id": self.inspection.id},
        )
        document = self.env["fs.document"].create(
            {
                "kind": "confirmation",
                "order_id": self.order.id,
                "user_id": self.other_technician.id,
            }
        )
        self.assertFalse(
            self.call(
                "doc_technician2",
                "fs.document",
                "search",
                [("id", "=", document.id)],
            )
        )
        self.refused("doc_technician2", "read", [document.id], ["name"])
        self.authenticate("doc_technician2", "doc_technician2")
        response = self.url_open(REPORT_URL % document.id)
        self.assertNotEqual(response.status_code, 200)
        # his own order's documents he makes and reads
        self.assertTrue(
            self.call(
                "doc_technician",
                "fs.document",
                "create",
                {"kind": "confirmation", "order_id": self.order.id},
            )
        )

    def test_no_document_on_another_teams_order_for_a_dispatcher(self):
        south = new_test_user(
            self.env,
            login="doc_dispatcher_south",
            groups="field_service_sla.group_fs_dispatcher",
        )
        self.order.team_id = self.env["fsm.team"].create(
            {"name": "南岸", "dispatcher_ids": south.ids}
        )
        vals = {"kind": "confirmation", "order_id": self.order.id}
        self.refused("doc_dispatcher", "create", vals)
        self.assertTrue(
            self.call("doc_dispatcher_south", "fs.document", "create", vals)
        )

    def test_the_archive_is_the_engines_own(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        attachment = document.pdf_attachment_id
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("fs.document", document.id)
        )
        self.assertEqual(
            base64.b64decode(attachment.datas)[:5], b"%PDF-", "a real PDF archive"
        )
