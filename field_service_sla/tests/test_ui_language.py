"""What a Chinese user reads of what others wrote: activities and chatter
lines made by a cron or by a user of another language, the web client's own
messages, durations."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import translate

from .common import sh
from .test_fieldwork import FieldworkCase


@tagged("post_install", "-at_install")
class TestRecipientLanguage(FieldworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # what installing Chinese does (and, for fieldservice, our hook)
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "fieldservice", "field_service_sla"], ["zh_CN"]
        )
        cls.account_manager.lang = "zh_CN"
        cls.customer.account_manager_id = cls.account_manager
        cls.hq = cls.env["fsm.location"].create(
            {"name": "Water Group HQ", "owner_id": cls.customer.id}
        )

    def _env_without_language(self, user):
        """As a cron runs: no language in the context, tracking on."""
        context = {
            k: v
            for k, v in self.env.context.items()
            if k not in ("lang", "tracking_disable")
        }
        return self.env(user=user, context=context)

    def test_the_account_manager_reads_his_activity_in_his_language(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0))
        for env in (
            self.env(context=dict(self.env.context, lang="en_US")),
            self._env_without_language(self.env.user),  # a cron, OdooBot in English
        ):
            with freeze_time(sh(2026, 3, 2, 9, 5)):
                order = env["fsm.order"].create(
                    {"ticket_id": ticket.id, "location_id": self.hq.id}
                )
            activity = order.sudo().activity_ids
            self.assertEqual(activity.user_id, self.account_manager)
            self.assertEqual(activity.summary, f"{self.customer.name} 的现场服务工单")
            self.assertIn("重要客户", str(activity.note))
            self.assertNotIn("Important customer", str(activity.note))

    def test_a_record_created_without_a_language_logs_it_in_one(self):
        """Odoo's _() falls back to the user's language, the model's name
        was read in English: "Field Service Order 创建"."""
        self.env.user.lang = "zh_CN"  # OdooBot, running a cron
        env = self._env_without_language(self.env.user)
        order = env["fsm.order"].create({"location_id": self.hq.id})
        bodies = " ".join(str(b) for b in order.sudo().message_ids.mapped("body"))
        self.assertIn("现场服务工单 创建", bodies)
        self.assertNotIn("Field Service Order", bodies)
        rule = env["fs.severity.rule"].search([], limit=1)
        self.assertTrue(rule)
        copy = rule.copy()
        bodies = " ".join(str(b) for b in copy.message_ids.mapped("body"))
        self.assertIn("故障等级规则 创建", bodies)

    def test_the_web_clients_required_fields_message_reads_in_chinese(self):
        messages = translate.code_translations.get_web_translations("web", "zh_CN")
        texts = {m["id"]: m["string"] for m in messages["messages"]}
        self.assertEqual(texts.get("Missing required fields"), "请填写必填字段")

    def test_milestone_targets_read_as_people_write_them(self):
        contact = self.policy_aaa.milestone_ids.filtered(lambda m: m.kind == "contact")
        self.assertEqual(contact.target_hours, 0.25)
        self.assertEqual(contact.display_name, "First contact 15 min")
        zh = contact.with_context(lang="zh_CN")
        self.assertEqual(zh.display_name, "首次联系 15 分钟")

    def test_our_cron_jobs_write_in_the_companys_language(self):
        """A job runs without a language in its context: env._ said English."""
        self.env.company.partner_id.lang = "zh_CN"
        seen = {}

        def run(actions):
            seen[actions.env.context.get("lang")] = actions.env._("Inspection: %s", "x")

        context = {k: v for k, v in self.env.context.items() if k != "lang"}
        ours = self.env.ref("field_service_sla.ir_cron_mark_breaches")
        theirs = self.env.ref("base.autovacuum_job")
        with (
            patch.object(type(self.env["ir.actions.server"]), "run", run),
            patch.object(self.env.cr, "commit", lambda: None),
        ):
            ours.with_context(context)._callback(
                ours.cron_name, ours.ir_actions_server_id.id
            )
            theirs.with_context(context)._callback(
                theirs.cron_name, theirs.ir_actions_server_id.id
            )
        self.assertEqual(seen, {"zh_CN": "巡检：x", None: "Inspection: x"})
