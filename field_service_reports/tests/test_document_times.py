"""Every time a document prints is in its operator's time zone
(res.company._fs_operator_tz), whoever renders it and wherever the server
runs; an approved technical report prints as approved."""

import re

from odoo.tests import tagged

from .common import DocumentCase, core


@tagged("post_install", "-at_install")
class TestDocumentTimes(DocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the operator is in Shanghai; the office calendar, the customer,
        # the server's users and OdooBot are not
        cls.company.fs_tz = "Asia/Shanghai"
        cls.company.resource_calendar_id.tz = "Europe/Brussels"
        cls.customer.tz = "Europe/Brussels"
        cls.contact.tz = "Europe/Brussels"
        cls.env.ref("base.user_root").tz = "UTC"
        cls.env.user.tz = "UTC"
        cls.technician.tz = "UTC"

    def html(self, document, user):
        html = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(
                "field_service_reports.action_report_fs_document", document.ids
            )[0]
        )
        return re.sub(r"\s+", " ", html.decode())

    def test_a_confirmation_prints_shanghai_times(self):
        document = self.document(self.order, core.CONFIRMATION)
        for tz in ("UTC", "Europe/Brussels"):
            with self.subTest(user_tz=tz):
                self.technician.tz = tz
                content = document.with_user(self.technician)._fs_content()
                # checked in at 09:50 and restored at 11:20, Shanghai time
                self.assertEqual(content["arrival"], "2026-03-02 09:50")
                self.assertEqual(content["tz"], "Asia/Shanghai")
                self.assertIn("2026-03-02 09:50", self.html(document, self.technician))
        self.sign(document)
        self.assertIn("2026-03-02 09:50", document.content_json)
        # OdooBot (the cron) renders it the same
        content = document.with_user(self.env.ref("base.user_root"))._fs_content()
        self.assertEqual(content["arrival"], "2026-03-02 09:50")

    def test_the_fault_report_drafts_shanghai_times(self):
        report = self.document(self.ticket, core.FAULT_REPORT_TECH, self.technician)
        self.assertIn("09:50", report.handling_process)
        self.assertEqual(report._fs_content()["times"]["reported"], "2026-03-02 09:00")

    def test_an_approved_report_prints_no_draft_banner(self):
        report = self.document(self.ticket, core.FAULT_REPORT_TECH)
        report.write({"fault_cause": "光缆被挖断", "handling_process": "熔接"})
        self.assertIn("草稿：未审批", self.html(report, self.dispatcher))
        report.with_user(self.dispatcher).action_approve()
        # the archive, rendered as the approval is recorded
        text = self.text(report.pdf_attachment_id.raw)
        self.assertNotIn("未审批", text)
        self.assertIn("赵敏", text)
        self.assertIn("审批于", text)  # the footer: approved on
        html = self.html(report, self.dispatcher)
        self.assertNotIn("未审批", html)
