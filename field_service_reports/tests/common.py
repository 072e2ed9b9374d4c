import base64
import io
import os
import re
import shutil
import subprocess
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

from ..reports_core import documents as core

SHANGHAI = timedelta(hours=8)


def _signature_png():
    """A drawn stroke, as the signature widget sends it (base64 PNG)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 60), (80, 15), (150, 65), (230, 20)], "black", 4)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


SIGNATURE = _signature_png()
# Qt's PDF writer maps a glyph Noto Sans CJK shares between a radical and an
# ideograph to the radical (⼾ for 户, ⼼ for 心) in the text layer; the page
# shows the right character. NFKC folds the Kangxi radicals back, except
# those whose compatibility form is the traditional character.
RADICALS = str.maketrans(
    {
        "戶": "户",
        "⻔": "门",
        "⻓": "长",
        "⻋": "车",
        "⻅": "见",
        "⻚": "页",
        "⻜": "飞",
        "⻢": "马",
        "⻛": "风",
        "⻉": "贝",
        # the en dash of a range shares its glyph with the figure dash
        "‒": "–",
    }
)


def normalize(text):
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


def sh(*args):
    """A Shanghai wall-clock time as the naive UTC datetime Odoo stores."""
    return datetime(*args) - SHANGHAI


class TextedCode:
    """Reads the one-time signing code from the SMS a test's customer got:
    the last one texted to ``number``, by default the class's
    ``code_number``."""

    code_number = None

    def texted_code(self, number=None):
        number = number or self.code_number
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("number", "=", number)], order="id desc", limit=1)
        )
        self.assertTrue(sms, f"a code was texted to {number}")
        return re.search(r"(?<!\d)(\d{6})(?!\d)", sms.body).group(1)


class DocumentCase(TransactionCase):
    """A Chongqing operator, a diamond group customer with a contact, an AAA
    internet line at the customer's machine room, a technician and his
    assistant, a restored fault with its field order and work log, a
    confirmed inspection and a visit that took place; Chinese installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["field_service_sla", "field_service_reports"], ["zh_CN"]
        )
        cls.env.user.tz = "Asia/Shanghai"
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "中国电信重庆分公司",
                "phone": "10000",
                "street": "渝中区中山三路 131 号",
                "street2": False,
                "city": "重庆",
                "zip": "400015",
                "state_id": False,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        ref = cls.env.ref
        cls.technician = new_test_user(
            cls.env,
            login="doc_technician",
            name="李雷",
            groups="field_service_sla.group_fs_technician",
            tz="Asia/Shanghai",
        )
        cls.other_technician = new_test_user(
            cls.env,
            login="doc_technician2",
            name="韩梅梅",
            groups="field_service_sla.group_fs_technician",
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="doc_dispatcher",
            name="赵敏",
            groups="field_service_sla.group_fs_dispatcher",
            tz="Asia/Shanghai",
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="doc_account_manager",
            name="钱进",
            groups="field_service_sla.group_fs_account_manager",
        )
        Person = cls.env["fsm.person"]
        cls.worker = Person.create({"partner_id": cls.technician.partner_id.id})
        cls.assistant = Person.create({"name": "张伟"})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "重庆市水务集团",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": ref("field_service_sla.tier_diamond").id,
                "account_manager_id": cls.account_manager.id,
                "city": "重庆",
                "street": "渝中区解放碑路 88 号",
                "lang": "zh_CN",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王芳",
                "parent_id": cls.customer.id,
                "phone": "023-6388 1234",
                "lang": "zh_CN",
            }
        )
        cls.location = cls.env["fsm.location"].create(
            {
                "name": "水务集团主机房",
                "owner_id": cls.customer.id,
                "contact_id": cls.contact.id,
                "street": "渝中区解放碑路 88 号 3 楼",
                "city": "重庆",
            }
        )
        cls.line = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "CQ-IDL-000123",
                "partner_id": cls.customer.id,
                "location_id": cls.location.id,
                "bandwidth": "100M",
                "service_type_id": ref(
                    "field_service_sla.service_type_internet_line"
                ).id,
                "assurance_level_id": ref("field_service_sla.level_aaa").id,
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "重庆政企维护中心", "user_ids": [(6, 0, cls.technician.ids)]}
        )
        with freeze_time(sh(2026, 3, 2, 9, 0)):
            cls.ticket = cls.env["helpdesk.ticket"].create(
                {
                    "name": "互联网专线中断",
                    "description": "<p>客户反映专线全部中断，监控告警 LOS。</p>",
                    "team_id": cls.team.id,
                    "user_id": cls.technician.id,
                    "partner_id": cls.contact.id,
                    "service_line_id": cls.line.id,
                    "reported_date": sh(2026, 3, 2, 9, 0),
                    "severity": "severe",
                }
            )
            cls.order = cls.env["fsm.order"].create(
                {
                    "ticket_id": cls.ticket.id,
                    "location_id": cls.location.id,
                    "person_id": cls.worker.id,
                    "person_ids": [(6, 0, (cls.worker | cls.assistant).ids)],
                }
            )
        with freeze_time(sh(2026, 3, 2, 9, 50)):
            cls.order.action_fs_check_in()
        with freeze_time(sh(2026, 3, 2, 11, 20)):
            cls.order.write(
                {
                    "fs_fault_found": "楼道光缆被施工挖断，熔接 12 芯。",
                    "fs_cause_category": "transmission",
                    "fs_work_result": "restored",
                    "fs_corrective_measures": "重新熔接光缆，加装保护管。",
                    "fs_customer_opinion": "处理及时，满意。",
                }
            )
        cls.inspection = cls._inspection()
        cls.visit = cls._visit()

    @classmethod
    def _inspection(cls):
        template = cls.env["fs.inspection.template"].create(
            {
                "name": "政企客户例行巡检",
                "segment": "enterprise",
                "item_ids": [
                    (0, 0, {"name": "设备运行状态", "group": "equipment"}),
                    (0, 0, {"name": "接地", "group": "equipment"}),
                ],
                "reading_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "供电电压",
                            "unit": "volt",
                            "has_min": True,
                            "min_value": 198,
                            "has_max": True,
                            "max_value": 242,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "机房温度",
                            "unit": "celsius",
                            "has_min": True,
                            "min_value": 10,
                            "has_max": True,
                            "max_value": 30,
                        },
                    ),
                ],
            }
        )
        inspection = cls.env["fs.inspection"].create(
            {
                "template_id": template.id,
                "location_id": cls.location.id,
                "service_line_id": cls.line.id,
                "user_id": cls.technician.id,
                "planned_date": "2026-03-05",
                "date_start": sh(2026, 3, 5, 10, 0),
                "date_end": sh(2026, 3, 5, 10, 40),
            }
        )
        ok, ground = inspection.item_ids
        ok.result = "pass"
        ground.write({"result": "fail", "note": "接地线松动", "fixed_on_site": True})
        ground.fix_note = "已紧固"
        volts, temperature = inspection.reading_ids
        volts.value = 221.5
        temperature.write({"value": 33.0, "fixed_on_site": False})
        inspection.action_done()
        return inspection

    @classmethod
    def _visit(cls):
        visit = cls.env["fs.visit"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.technician.id,
                "planned_date": "2026-03-10",
                "quality_told": True,
                "quality_note": "近三个月专线可用率 99.98%，一次传输中断。",
                "new_needs": "拟新增一条 200M 备份专线。",
            }
        )
        with freeze_time(sh(2026, 3, 10, 15, 0)):
            visit.rates_confirmed = True
            visit.action_done()
        return visit

    @contextmanager
    def assertRefused(self, exception, pattern):
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def document(self, record, kind, user=None):
        env = self.env(user=user) if user else self.env
        return env["fs.document"]._fs_document_for(record.with_env(env), kind)

    def sign(self, document, name="王芳", partner=None, user=None, **kwargs):
        user = user or self.technician
        wizard = (
            self.env["fs.document.sign.wizard"]
            .with_user(user)
            .create(
                {
                    "document_id": document.id,
                    "partner_id": (partner or self.contact).id,
                    "signer_name": name,
                    "signature": SIGNATURE,
                    **kwargs,
                }
            )
        )
        return wizard.action_sign()

    def pdf(self, documents):
        """Render through the report, as the Print menu does."""
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "field_service_reports.action_report_fs_document", documents.ids
            )
        )
        self.assertEqual(kind, "pdf")
        keep = os.environ.get("FS_DOCS_PDF_DIR")
        if keep:
            name = "-".join(d.name.replace("/", "_") for d in documents)
            with open(
                os.path.join(keep, f"{name}-{documents[:1].lang}.pdf"), "wb"
            ) as f:
                f.write(content)
        return content

    def text(self, pdf):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return normalize(text)

    def pages(self, pdf):
        from odoo.tools.pdf import PdfFileReader

        return len(PdfFileReader(io.BytesIO(pdf)).pages)


__all__ = ["SIGNATURE", "DocumentCase", "core", "normalize", "sh"]
