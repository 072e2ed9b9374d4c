"""The technical fault report is approved by a dispatcher, never signed by
the customer; approving it freezes it and reaches the ticket's "fault report
submitted" milestone."""

import hashlib

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIGNATURE, DocumentCase, core, sh


@tagged("post_install", "-at_install")
class TestFaultReportApproval(DocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the report milestone: 48 h from the close (DOMAIN.md)
        cls.policy = cls.env["fs.sla.policy"].create(
            {
                "name": "Report after close",
                "segment": "enterprise",
                "team_ids": [(6, 0, cls.team.ids)],
                "level_ids": [(6, 0, cls.line.assurance_level_id.ids)],
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "kind": "report",
                            "target_hours": 48,
                            "start_event": "close",
                        },
                    )
                ],
            }
        )
        cls.ticket.write({"service_line_id": cls.line.id, "team_id": cls.team.id})
        cls.ticket.invalidate_recordset()

    def report(self):
        return self.document(self.ticket, core.FAULT_REPORT_TECH, self.technician)

    def test_the_report_is_drafted_from_the_ticket_and_its_orders(self):
        report = self.report()
        self.assertIn("互联网专线中断", report.fault_summary)
        self.assertIn("楼道光缆被施工挖断", report.fault_cause)
        self.assertIn(self.order.name, report.handling_process)
        self.assertIn("重新熔接光缆", report.corrective_measures)
        self.assertIn("CQ-IDL-000123", report.affected_services)

    def test_approval_reaches_the_report_milestone(self):
        report = self.report()
        self.assertEqual(self.ticket.sla_policy_id, self.policy)
        with freeze_time(sh(2026, 3, 2, 12, 0)):
            self.order.write(
                dict.fromkeys(
                    ("fs_check_tested", "fs_check_fixed", "fs_check_explained"), True
                )
            )
            self.order.action_complete()
            self.ticket.write(
                {
                    "stage_id": self.env.ref(
                        "helpdesk_mgmt.helpdesk_ticket_stage_done"
                    ).id
                }
            )
        clock = self.ticket.sla_clock_ids.filtered(lambda c: c.kind == "report")
        self.assertEqual(clock.state, "running")
        self.assertFalse(self.ticket.report_date)
        with freeze_time(sh(2026, 3, 3, 10, 0)):
            report.with_user(self.dispatcher).action_approve()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.approved_by_id, self.dispatcher)
        self.assertEqual(self.ticket.report_date, sh(2026, 3, 3, 10, 0))
        self.assertEqual(clock.state, "met")
        self.assertEqual(
            report.pdf_hash, hashlib.sha256(report.pdf_attachment_id.raw).hexdigest()
        )
        # frozen: the report and the ticket times it shows
        with self.assertRefused(UserError, "approved by 赵敏"):
            report.with_user(self.dispatcher).write({"fault_cause": "改写"})
        with self.assertRefused(UserError, report.name):
            self.ticket.with_user(self.dispatcher).with_context(
                fs_sla_correction=True
            ).write({"restored_date": sh(2026, 3, 2, 10, 0)})

    def test_only_a_dispatcher_approves(self):
        report = self.report()
        with self.assertRefused(UserError, "Only a dispatcher"):
            report.with_user(self.technician).action_approve()
        self.assertEqual(report.state, "draft")
        self.assertFalse(self.ticket.report_date)

    def test_no_approval_before_the_restore_or_without_the_cause(self):
        self.ticket.sudo().restored_date = False
        report = self.report()
        with self.assertRefused(UserError, "not restored yet"):
            report.with_user(self.dispatcher).action_approve()
        self.ticket.sudo().restored_date = self.order.fs_restored_date
        report.fault_cause = False
        with self.assertRefused(UserError, "write the Cause"):
            report.with_user(self.dispatcher).action_approve()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.content_hash)

    def test_the_technical_report_is_never_signed(self):
        report = self.report()
        with self.assertRefused(UserError, "approved in house"):
            report._sign(SIGNATURE, "王芳")
        with self.assertRefused(UserError, "approved in house"):
            report.action_open_sign_wizard()

    def test_a_second_approval_is_refused(self):
        report = self.report()
        report.with_user(self.dispatcher).action_approve()
        with self.assertRefused(UserError, "already approved"):
            report.with_user(self.dispatcher).action_approve()

    def test_the_customer_version_signs_after_the_approval(self):
        report = self.report()
        with self.assertRefused(UserError, "approved technical report"):
            report.action_customer_version()
        report.with_user(self.dispatcher).action_approve()
        version = self.env["fs.document"].browse(
            report.action_customer_version()["res_id"]
        )
        self.assertEqual(version.kind, core.FAULT_REPORT_CUSTOMER)
        self.assertEqual(version.origin_id, report)
        self.assertEqual(version.fault_cause, report.fault_cause)
        self.sign(version)
        self.assertEqual(version.state, "signed")
