"""Every document renders to a PDF through the report, in Chinese and in
English, with its key fields, and the documents the rules want in three
copies print three labelled pages."""

import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DocumentCase, core, normalize


@tagged("post_install", "-at_install")
class TestDocumentRender(DocumentCase):
    def assertHolds(self, text, *expected):
        flat = re.sub(r"\s+", "", text)
        for value in expected:
            with self.subTest(value=value):
                self.assertIn(re.sub(r"\s+", "", normalize(value)), flat)

    def test_confirmation_in_chinese(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.assertEqual(document.lang, "zh_CN", "the customer's language")
        text = self.text(self.pdf(document))
        self.assertHolds(
            text,
            "客户现场故障处理确认表",
            "中国电信重庆分公司",
            document.name,
            self.ticket.number,
            "重庆政企维护中心",
            "重庆市水务集团",
            "王芳",
            "023-6388 1234",
            "CQ-IDL-000123",
            "100M",
            "李雷",
            "张伟",
            "2026-03-02 09:50",
            "楼道光缆被施工挖断",
            "传输线路",
            "已恢复",
            "重新熔接光缆",
            "处理及时，满意。",
            "故障原因",
            "客户签字",
        )

    def test_confirmation_in_english(self):
        document = self.document(self.order, core.CONFIRMATION)
        document.lang = "en_US"
        text = self.text(self.pdf(document))
        self.assertHolds(
            text,
            "On-site fault handling confirmation",
            "Ticket number",
            "Transmission line",
            "Customer signature",
            "重庆市水务集团",
        )
        self.assertNotIn("客户现场故障处理确认表", text)

    def test_technical_fault_report(self):
        self.ticket.write({"restored_date": self.order.fs_restored_date})
        document = self.document(self.ticket, core.FAULT_REPORT_TECH)
        document.write(
            {
                "internal_analysis": "施工单位未报备。",
                "preventive_measures": "加装标识。",
            }
        )
        text = self.text(self.pdf(document))
        self.assertHolds(
            text,
            "故障处理报告（技术版）",
            self.ticket.number,
            "互联网专线中断",
            "2026-03-02 09:00",
            "楼道光缆被施工挖断",
            "施工单位未报备。",
            "加装标识。",
            self.order.name,
            "未审批",
        )
        self.assertEqual(self.pages(self.pdf(document)), 1)

    def test_customer_fault_report_prints_three_copies(self):
        technical = self.document(self.ticket, core.FAULT_REPORT_TECH)
        technical.write({"internal_analysis": "施工单位未报备。"})
        technical.with_user(self.dispatcher).action_approve()
        action = technical.action_customer_version()
        version = self.env["fs.document"].browse(action["res_id"])
        self.assertFalse(version.internal_analysis)
        pdf = self.pdf(version)
        text = self.text(pdf)
        self.assertEqual(self.pages(pdf), 3)
        self.assertHolds(
            text,
            "故障处理报告（客户版）",
            "第一联：客户联",
            "第二联：客户经理联",
            "第三联：运维联",
            "钱进",
        )
        self.assertNotIn("施工单位未报备", text)

    def test_visit_report_prints_three_copies(self):
        document = self.document(self.visit, core.VISIT_REPORT)
        pdf = self.pdf(document)
        text = self.text(pdf)
        self.assertEqual(self.pages(pdf), 3)
        self.assertHolds(
            text,
            "走访报告",
            "第一联：客户联",
            "第三联：运维联",
            "重庆市水务集团",
            "钱进",
            "CQ-IDL-000123",
            "近三个月专线可用率",
            "拟新增一条 200M 备份专线。",
            "客户签字或盖章",
        )

    def test_inspection_record_has_each_reading_its_range_and_verdict(self):
        document = self.document(self.inspection, core.INSPECTION_RECORD)
        text = self.text(self.pdf(document))
        self.assertHolds(
            text,
            "客户端设备巡检记录表",
            "供电电压",
            "221.5V",
            "198–242V",
            "范围内",
            "机房温度",
            "33°C",
            "10–30°C",
            "偏高",
            "接地线松动",
            self.inspection.finding_ids.ticket_id.number,
        )

    def test_quality_form(self):
        document = self.document(self.order, core.QUALITY_FORM)
        text = self.text(self.pdf(document))
        self.assertHolds(
            text,
            "客户服务质量监督表",
            "响应及时",
            "技术水平",
            "李雷",
            "10000",
        )

    def test_several_documents_print_at_once(self):
        """The unpatched wkhtmltopdf renders one body per run: a print of
        several documents still works."""
        documents = self.document(self.order, core.CONFIRMATION) | self.document(
            self.visit, core.VISIT_REPORT
        )
        pdf = self.pdf(documents)
        self.assertEqual(self.pages(pdf), 4)

    def test_no_confirmation_without_a_work_log(self):
        order = self.env["fsm.order"].create({"location_id": self.location.id})
        with self.assertRefused(UserError, "no work log"):
            order.action_fs_print_confirmation()
        self.assertFalse(self.env["fs.document"].search([("order_id", "=", order.id)]))
