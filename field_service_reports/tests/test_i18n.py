from pathlib import Path

from odoo import http
from odoo.tests import TransactionCase, tagged
from odoo.tools import translate
from odoo.tools.translate import get_po_paths

from odoo.addons.field_service_sla.models.ir_module import dep_po_paths
from odoo.addons.field_service_sla.tests.test_i18n import (
    exported_terms,
    translated_msgids,
)

from .portal_common import PortalCase

I18N = Path(__file__).resolve().parents[1] / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_addon_has_a_zh_cn_translation(self):
        missing = sorted(
            exported_terms(self.env, "field_service_reports")
            - translated_msgids(I18N / "zh_CN.po")
        )
        self.assertFalse(
            missing, f"{len(missing)} terms lack a zh_CN translation: {missing[:20]}"
        )

    def test_the_portals_sign_button_reads_in_chinese(self):
        """The button's label is a term of the portal's controller: read only
        when its po entry is marked as Python code."""
        terms = translate.code_translations.get_python_translations(
            "field_service_reports", "zh_CN"
        )
        self.assertEqual(terms.get("Sign"), "签字")

    def test_report_durations_read_as_people_write_them(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        Document = self.env["fs.document"]
        for lang, expected in (
            ("zh_CN", ["15 分钟", "1 小时 30 分钟", "2 天"]),
            ("en_US", ["15 min", "1 h 30 min", "2 d"]),
        ):
            document = Document.new({"lang": lang})
            # a milestone target of 0.25 h, a restore of 90 min, 48 h
            self.assertEqual(
                [document._fs_duration(m) for m in (0.25 * 60, 90, 48 * 60)],
                expected,
            )

    def test_every_term_of_fieldservice_portal_has_a_zh_cn_translation(self):
        """fieldservice_portal ships no Chinese: our po has all of it."""
        translated = set()
        for path in [*get_po_paths("fieldservice_portal", "zh_CN")] + dep_po_paths(
            "fieldservice_portal", "zh_CN"
        ):
            translated |= translated_msgids(path)
        missing = sorted(exported_terms(self.env, "fieldservice_portal") - translated)
        self.assertFalse(missing, f"{len(missing)} terms: {missing[:20]}")


@tagged("post_install", "-at_install")
class TestChinesePortal(PortalCase):
    """What a Chinese customer reads in the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # what installing Chinese does: each module's terms, and through
        # field_service_sla's hook, ours for the OCA modules
        cls.env["ir.module.module"]._load_module_terms(
            ["portal", "field_service_sla", "field_service_reports"], ["zh_CN"]
        )
        (cls.portal_a | cls.portal_b).lang = "zh_CN"

    def test_tickets_read_in_chinese(self):
        self.login(self.portal_a)
        page = self.url_open("/my/tickets").text
        for text in (
            "SLA 状态",
            "下一个 SLA 截止时间",
            "业务电路",
            "首次联系",
            "互联网专线",
        ):
            self.assertIn(text, page)
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}").text
        for text in (
            "SLA 时限节点",
            "时限节点",
            "截止时间",
            "业务恢复",
            "现场服务工单",
        ):
            self.assertIn(text, page)
        self.assertNotIn("Service restored", page)

    def test_field_orders_read_in_chinese(self):
        self.login(self.portal_a)
        page = self.url_open("/my/fsm_orders").text
        for text in ("现场服务工单", "预约时间", "最新", "服务地点"):
            self.assertIn(text, page)
        self.assertNotIn("Work Orders", page)
        page = self.url_open(f"/my/fsm_order/{self.order_a.id}").text
        for text in ("上门服务", "预约时间：", "故障现象"):
            self.assertIn(text, page)

    def test_new_ticket_form_and_its_refusal_read_in_chinese(self):
        self.login(self.portal_a)
        csrf = http.Request.csrf_token(self)
        page = self.url_open("/new/ticket", data={"csrf_token": csrf}).text
        self.assertIn("不针对具体业务电路", page)
        self.assertIn("A-IDL-1 互联网专线", page)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "断网",
                "description": "九点起无流量",
                "fs_service_line": str(self.line_b.id),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("不是贵单位的在用业务电路", response.text)
