"""One bad SMS text (or any one step failing on one ticket) does not stop the
escalation sweep: the text is refused at save; one already in the database
is held, logged and reported once to the SLA administrators while the other
steps and tickets go on."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import sh
from .escalation_common import EscalationCase

ISOLATION_LOGGER = "odoo.addons.field_service_sla.models.fs_escalation_isolation"


@tagged("post_install", "-at_install")
class TestSmsTextAtSave(EscalationCase):
    def setUp(self):
        super().setUp()
        self.step = self.env.ref(
            "field_service_sla.escalation_step_severe_bulletins_10"
        )

    def assertTextRefused(self, text, pattern):
        before = (self.step.sms_kind, self.step.sms_text)
        with self.assertRefused(ValidationError, pattern):
            self.step.write({"sms_kind": "custom", "sms_text": text})
        self.assertEqual((self.step.sms_kind, self.step.sms_text), before)

    def test_the_reported_texts_are_refused(self):
        self.assertTextRefused(
            "Fault at {customer: {summary}", "brace without its pair"
        )
        self.assertTextRefused(
            "{summary:>100000}", r"formats a placeholder \(\{summary:>100000\}\)"
        )

    def test_unknown_names_conversions_and_length_are_refused(self):
        self.assertTextRefused(
            "{site} down", r"names \{site\}, which is not a placeholder"
        )
        self.assertTextRefused("{customer.__class__}", "not a placeholder")
        self.assertTextRefused("{customer!r}", "formats a placeholder")
        self.assertTextRefused("故障" * 200, "can reach 400 characters once filled")

    def test_the_message_is_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.step = self.step.with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught:
            self.step.write({"sms_kind": "custom", "sms_text": "{site}"})
        self.assertRegex(str(caught.exception), "[\u4e00-\u9fff]")

    def test_a_good_text_is_saved_through_the_form(self):
        with Form(self.step) as step:
            step.sms_kind = "custom"
            step.sms_text = "【{customer}】{summary} {time} 已{duration} {{注}}"
        self.assertEqual(self.step.sms_kind, "custom")
        form = Form(self.step)
        form.sms_text = "{summary:>100000}"
        with self.assertRefused(ValidationError, "formats a placeholder"):
            form.save()

    def test_a_bad_translation_is_refused(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.step.write({"sms_kind": "custom", "sms_text": "{customer} down"})
        with self.assertRefused(ValidationError, "brace without its pair"):
            self.step.update_field_translations("sms_text", {"zh_CN": "{customer 故障"})


@tagged("post_install", "-at_install")
class TestSweepIsolation(EscalationCase):
    def setUp(self):
        super().setUp()
        self.bulletin = self.env.ref(
            "field_service_sla.escalation_step_severe_bulletins_10"
        )
        self.admin = self.env["res.users"].create(
            {
                "name": "SLA Admin",
                "login": "iso_sla_admin",
                "group_ids": [
                    Command.set(
                        [self.env.ref("field_service_sla.group_fs_sla_admin").id]
                    )
                ],
            }
        )

    def break_bulletin(self, text="Fault at {customer: {summary}"):
        """A text past the check: written by SQL, as an old database or an
        import could hold it."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE fs_escalation_step
               SET sms_kind = 'custom', sms_text = jsonb_build_object('en_US', %s)
             WHERE id = %s
            """,
            (text, self.bulletin.id),
        )
        self.bulletin.invalidate_recordset()

    def reports(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "fs.escalation.ladder"),
                ("res_id", "=", self.bulletin.ladder_id.id),
            ]
        )

    def severe_tickets(self, count, when):
        tickets = self.env["helpdesk.ticket"]
        for _n in range(count):
            tickets |= self._ticket(when)
        self.make_severe(tickets, when)
        return tickets

    def test_a_broken_text_in_the_database_holds_its_step_only(self):
        self.break_bulletin()
        tickets = self.severe_tickets(4, sh(2026, 3, 2, 9, 0))
        with self.assertLogs(ISOLATION_LOGGER, level="ERROR") as logs:
            self.sweep(sh(2026, 3, 2, 9, 0))
        self.assertIn("held on 4 tickets", "\n".join(logs.output))
        # the other steps fired on every ticket: severe diamond faults went
        # to the province, retitled; the bulletin is not recorded, no SMS
        for ticket in tickets:
            self.assertEqual(ticket.escalation_level, "province")
            self.assertEqual(ticket.name, "【集团客户严重故障】Line down")
            self.assertNotIn("Start bulletin", [f[0] for f in self.fired(ticket)])
        self.assertFalse(self.sms())
        # one activity for the SLA administrators, whatever the tickets
        report = self.reports()
        self.assertEqual(len(report), 1)
        admins = self.env.ref("field_service_sla.group_fs_sla_admin").all_user_ids
        self.assertIn(report.user_id, admins)
        self.assertIn("Start bulletin", report.summary)
        self.assertIn("brace without its pair", str(report.note))
        # looked at again later: still broken, still one activity
        self.assertEqual(tickets[0].escalation_next_check, sh(2026, 3, 2, 9, 30))
        with self.assertLogs(ISOLATION_LOGGER, level="ERROR"):
            self.sweep(sh(2026, 3, 2, 9, 30))
        self.assertEqual(len(self.reports()), 1)
        # corrected: every ticket gets its bulletin at the next sweep
        with self.at(sh(2026, 3, 2, 9, 31)):
            self.bulletin.sms_text = "{customer} {summary} {time}"
        self.sweep(sh(2026, 3, 2, 9, 31))
        self.assertEqual(len(self.sms()), 3, "one digest per number for the 4 tickets")
        for ticket in tickets:
            self.assertIn("Start bulletin", [f[0] for f in self.fired(ticket)])

    def test_a_step_failing_on_one_ticket_leaves_the_others(self):
        tickets = self.severe_tickets(3, sh(2026, 3, 2, 9, 0))
        bad = tickets[1]
        actions_class = type(self.env["fs.escalation.actions"])
        original = actions_class._plan_sms

        def plan_sms(actions, fired, plan, batch, now):
            if any(
                tid == bad.id and step.numbers is not None
                for _k, tid, step, _o in fired
            ):
                raise ZeroDivisionError("a bug on this ticket")
            return original(actions, fired, plan, batch, now)

        with (
            patch.object(actions_class, "_plan_sms", plan_sms),
            self.assertLogs(ISOLATION_LOGGER, level="ERROR"),
        ):
            self.sweep(sh(2026, 3, 2, 9, 0))
        for ticket in tickets - bad:
            self.assertIn("Start bulletin", [f[0] for f in self.fired(ticket)])
        # the failing ticket's other steps fired; its bulletin waits
        self.assertEqual(bad.escalation_level, "province")
        self.assertNotIn("Start bulletin", [f[0] for f in self.fired(bad)])
        self.assertEqual(len(self.reports()), 1)
        self.assertIn("ZeroDivisionError", str(self.reports().note))
