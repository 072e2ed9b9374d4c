import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import (
    TranslationModuleReader,
    code_translations,
    get_po_paths,
)

from ..models.ir_module import COMPLETED_MODULES, DEP_I18N, MIXIN_MODULES

I18N = Path(__file__).resolve().parents[1] / "i18n"


def translated_msgids(path):
    return {entry.msgid for entry in polib.pofile(str(path)) if entry.msgstr.strip()}


def exported_terms(env, module):
    return {
        source
        for _module, _type, _name, _res_id, source, _value, _comments in (
            TranslationModuleReader(env.cr, modules=[module])
        )
        if source.strip()
    }


def translated_occurrences(path):
    """{(xmlid, field): msgid} of the translated entries of the po at path."""
    return {
        (ref.split(":", 2)[2], ref.split(":", 2)[1].split(",", 1)[1]): entry.msgid
        for entry in polib.pofile(str(path))
        if entry.msgstr.strip()
        for ref, _line in entry.occurrences
        if ref.startswith("model:")
    }


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_addon_has_a_zh_cn_translation(self):
        """The users read Chinese: every label, help and message the addon
        defines today must be in zh_CN.po with a translation."""
        missing = sorted(
            exported_terms(self.env, "field_service_sla")
            - translated_msgids(I18N / "zh_CN.po")
        )
        self.assertFalse(
            missing, f"{len(missing)} terms lack a zh_CN translation: {missing[:20]}"
        )

    def test_every_term_of_the_modules_we_complete_has_a_zh_cn_translation(self):
        """helpdesk_mgmt, fieldservice, helpdesk_mgmt_fieldservice and
        base_territory ship no Chinese, resource ships some: every term a
        fresh export of theirs gives (menus, labels, views, data records,
        messages) is translated, by them or by our po."""
        for module in COMPLETED_MODULES:
            with self.subTest(module=module):
                translated = translated_msgids(DEP_I18N / f"{module}.zh_CN.po")
                for path in get_po_paths(module, "zh_CN"):
                    translated |= translated_msgids(path)
                missing = sorted(exported_terms(self.env, module) - translated)
                self.assertFalse(
                    missing,
                    f"{module}: {len(missing)} terms lack a zh_CN translation: "
                    f"{missing[:20]}",
                )

    def test_fields_mail_adds_to_their_models_have_a_zh_cn_translation(self):
        """mail, portal and sms add fields and selection values (activity
        state: Overdue, Today, Planned...) to the OCA models: their own po
        cannot know those records, ours has them."""
        on_their_models = re.compile(
            r"\.(field_|selection__)(helpdesk_ticket|fsm_|res_territory)"
        )
        for module in MIXIN_MODULES:
            with self.subTest(module=module):
                translated = translated_occurrences(DEP_I18N / f"{module}.zh_CN.po")
                for path in get_po_paths(module, "zh_CN"):
                    translated.update(translated_occurrences(path))
                missing = sorted(
                    (xmlid, source)
                    for _m, kind, name, xmlid, source, _v, _c in (
                        TranslationModuleReader(self.env.cr, modules=[module])
                    )
                    if kind == "model"
                    and on_their_models.search(xmlid)
                    and (xmlid, name.split(",", 1)[1]) not in translated
                )
                self.assertFalse(missing, f"{module}: {missing[:10]}")


@tagged("post_install", "-at_install")
class TestChineseScreens(TransactionCase):
    """What a Chinese user reads, once Chinese is installed with our addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # What installing the language or updating the addon does: load the
        # modules' own terms, and through our hook, ours for those we complete.
        cls.env["ir.module.module"]._load_module_terms(
            ["resource", "field_service_sla"], ["zh_CN"]
        )
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        cls.en = cls.env(context=dict(cls.env.context, lang="en_US"))

    def test_shipped_records_read_in_chinese(self):
        expected = {
            "field_service_sla.tier_gold": "金牌",
            "field_service_sla.tier_diamond": "钻石级",
            "field_service_sla.level_standard": "标准",
            "field_service_sla.service_type_internet_line": "互联网专线",
            "field_service_sla.pause_reason_waiting_customer": "等待客户",
            "field_service_sla.policy_group_aaa": "集团客户：AAA 级电路",
            "field_service_sla.calendar_office": "办公时间（监控大厅）",
            "field_service_sla.calendar_office_monday": "周一",
        }
        for xmlid, name in expected.items():
            with self.subTest(xmlid=xmlid):
                self.assertEqual(self.zh.ref(xmlid).display_name, name)
        office = self.zh.ref("field_service_sla.calendar_office")
        self.assertEqual(
            office.attendance_ids.sorted("dayofweek").mapped("name"),
            ["周一", "周二", "周三", "周四", "周五"],
        )
        self.assertEqual(self.en.ref("field_service_sla.tier_gold").name, "Gold")

    def test_milestones_read_in_chinese(self):
        policy = self.zh.ref("field_service_sla.policy_group_aaa")
        names = policy.milestone_ids.mapped("display_name")
        self.assertIn("业务恢复", " ".join(names))
        self.assertIn("提交故障报告", " ".join(names))

    def test_service_line_name_follows_the_reader(self):
        """Saved by an English user, read by a Chinese one: the type is in
        the reader's language, not the writer's."""
        partner = self.en["res.partner"].create({"name": "Water", "is_company": True})
        line = self.en["fs.service.line"].create(
            {
                "circuit_ref": "CQ-IDL-900001",
                "partner_id": partner.id,
                "service_type_id": self.env.ref(
                    "field_service_sla.service_type_internet_line"
                ).id,
                "assurance_level_id": self.env.ref("field_service_sla.level_aaa").id,
            }
        )
        self.assertEqual(line.display_name, "CQ-IDL-900001 Internet dedicated line")
        self.assertEqual(
            line.with_env(self.zh).display_name, "CQ-IDL-900001 互联网专线"
        )
        found = self.zh["fs.service.line"].name_search("互联网专线")
        self.assertIn(line.id, [line_id for line_id, _name in found])

    def test_shipped_policies_have_no_half_english_creation_line(self):
        policy = self.env.ref("field_service_sla.policy_group_aaa")
        self.assertFalse(
            policy.message_ids.filtered(lambda m: "SLA Policy" in (m.body or ""))
        )

    def test_helpdesk_screens_read_in_chinese(self):
        menu = self.zh.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        self.assertEqual(menu.name, "服务台")
        fields = self.zh["helpdesk.ticket"].fields_get(
            ["team_id", "priority", "stage_id"]
        )
        self.assertEqual(fields["team_id"]["string"], "团队")
        self.assertEqual(fields["stage_id"]["string"], "阶段")
        self.assertIn(("3", "很高"), fields["priority"]["selection"])
        activity = self.zh["helpdesk.ticket"].fields_get(["activity_state"])
        self.assertIn(("overdue", "逾期"), activity["activity_state"]["selection"])
        stages = {
            "helpdesk_mgmt.helpdesk_ticket_stage_new": "新建",
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress": "进行中",
            "helpdesk_mgmt.helpdesk_ticket_stage_awaiting": "等待中",
            "helpdesk_mgmt.helpdesk_ticket_stage_done": "已完成",
        }
        for xmlid, name in stages.items():
            self.assertEqual(self.zh.ref(xmlid).name, name)
        form = self.zh["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("分配给我", form["arch"])
        self.assertNotIn('string="Assign to me"', form["arch"])
        self.assertEqual(
            code_translations.get_python_translations("helpdesk_mgmt", "zh_CN").get(
                "Open Tickets"
            ),
            "未关闭工单",
        )

    def test_field_service_screens_read_in_chinese(self):
        self.assertEqual(self.zh.ref("fieldservice.root").name, "现场服务")
        completed = self.zh.ref("fieldservice.fsm_stage_completed")
        self.assertEqual(completed.name, "已完成")
        fields = self.zh["fsm.order"].fields_get(["location_id", "person_id"])
        self.assertEqual(fields["location_id"]["string"], "服务地点")
        self.assertEqual(fields["person_id"]["string"], "指派给")
        self.assertEqual(self.zh["ir.model"]._get("fsm.order").name, "现场服务工单")

    def test_the_working_calendar_form_reads_in_chinese(self):
        fields = self.zh["resource.calendar"].fields_get(["schedule_type"])
        self.assertEqual(fields["schedule_type"]["string"], "时间表类型")
        self.assertIn(("fully_fixed", "完全固定"), fields["schedule_type"]["selection"])
        # resource's own translations stay
        self.assertIn(("flexible", "弹性"), fields["schedule_type"]["selection"])

    def test_oca_terms_load_with_the_oca_module_alone(self):
        """Updating helpdesk_mgmt alone (-u helpdesk_mgmt) reloads its terms
        from our file too."""
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_stage SET name = name - 'zh_CN' WHERE id = %s",
            [stage.id],
        )
        stage.invalidate_recordset(["name"])
        self.assertEqual(stage.with_env(self.zh).name, "New")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_mgmt"], ["zh_CN"])
        stage.invalidate_recordset(["name"])
        self.assertEqual(stage.with_env(self.zh).name, "新建")

    def test_an_upgrade_gives_relabelled_fields_their_new_chinese_label(self):
        """19.0.1.6.1 renamed three labels; an upgrade keeps a translation
        it finds, so the migration drops the old ones for the terms to
        fill in."""
        import importlib.util

        path = Path(__file__).parents[1] / "migrations/19.0.1.6.1/pre-labels.py"
        spec = importlib.util.spec_from_file_location("fs_sla_labels_1_6_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.cr.execute(
            "UPDATE ir_model_fields SET field_description = field_description"
            ' || \'{"zh_CN": "告警内容"}\'::jsonb'
            " WHERE model = 'fs.sms.gateway.test' AND name = 'text'"
        )
        migration.migrate(self.env.cr, "19.0.1.6.0")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sla"], ["zh_CN"]
        )
        self.env.invalidate_all()
        described = (
            self.env["ir.model.fields"]
            .with_context(lang="zh_CN")
            ._get("fs.sms.gateway.test", "text")
            .field_description
        )
        self.assertEqual(described, "短信内容")
