"""Every SLA dialog a user opens, through odoo.tests.Form as the role that
opens it, with the context its button gives: Form sends what the web client
sends (readonly fields without force_save are not sent)."""

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaDialogs(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"dialog_{role}",
                groups=f"field_service_sla.group_fs_{role}",
                tz="Asia/Shanghai",
            )
            for role in ("technician", "dispatcher", "sla_admin")
        }
        cls.team.user_ids = cls.users["technician"] | cls.users["dispatcher"]

    def dialog(self, role, model, action):
        """The model of the dialog ``action`` opens (it must be ``model``), as
        ``role``, with the action's context: what Form is given."""
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["res_model"], model)
        env = self.env[model].with_user(self.users[role])
        return env.with_context(**action.get("context", {}))

    def as_(self, role, record):
        return record.with_user(self.users[role])

    def test_technician_pauses_with_the_dialog(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        mine = self.as_("technician", ticket)
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            form = Form(
                self.dialog(
                    "technician", "fs.sla.pause.wizard", mine.action_sla_pause()
                )
            )
            form.reason_id = self.wait_customer
            form.note = "Customer in a meeting"
            wizard = form.save()
            wizard.action_pause()
        self.assertTrue(ticket.sla_paused_by_hand)
        self.assertEqual(ticket.sla_pause_ids.user_id, self.users["technician"])
        with freeze_time(sh(2026, 3, 2, 10, 35)):
            mine.action_sla_resume()
        self.assertFalse(ticket.sla_paused)

    def test_dispatcher_corrects_times_with_the_dialog(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            ticket.action_sla_contacted()
        mine = self.as_("dispatcher", ticket)
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            form = Form(
                self.dialog(
                    "dispatcher",
                    "fs.sla.time.correction",
                    mine.action_sla_correct_times(),
                )
            )
            self.assertEqual(form.first_contact_date, sh(2026, 3, 2, 10, 20))
            form.first_contact_date = sh(2026, 3, 2, 10, 12)
            form.reason = "Logged the call late"
            form.save().action_apply()
        self.assertEqual(ticket.first_contact_date, sh(2026, 3, 2, 10, 12))
        self.assertEqual(
            self.clock(ticket, "contact").reached_date, sh(2026, 3, 2, 10, 12)
        )
        self.assertIn("Logged the call late", ticket.message_ids[0].body)

    def test_dispatcher_changes_the_severity_with_the_dialog(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        mine = self.as_("dispatcher", ticket)
        for action, check in (
            (mine.action_fs_severity_raise(), ("severity", "severe")),
            (mine.action_fs_severity_change(), ("severity", "major")),
            (mine.action_fs_severity_exclude(), ("severity_excluded", True)),
            (mine.action_fs_severity_include(), ("severity_excluded", False)),
        ):
            with self.subTest(action=action["name"]):
                form = Form(self.dialog("dispatcher", "fs.severity.wizard", action))
                if action["context"]["default_action"] == "set":
                    form.severity = "major"
                form.reason = form.reason or "Customer's own router"
                form.save().action_apply()
                self.assertEqual(ticket[check[0]], check[1])

    def test_sla_admin_waives_a_breach_with_the_dialog(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        contact = self.clock(ticket, "contact")
        self.assertEqual(contact.breach_count, 1)
        mine = self.as_("sla_admin", ticket)
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            form = Form(
                self.dialog(
                    "sla_admin", "fs.sla.breach.waiver", mine.action_sla_waive_breach()
                )
            )
            form.clock_id = contact
            form.reason = "Customer gave a wrong number"
            form.save().action_waive()
        self.assertTrue(contact.breach_waived)
        self.assertEqual(contact.breach_count, 0)

    def test_sla_admin_simulates_a_policy_with_the_dialog(self):
        policy = self.as_("sla_admin", self.policy_aaa)
        form = Form(
            self.dialog("sla_admin", "fs.sla.simulate", policy.action_simulate())
        )
        form.create_date_sim = sh(2026, 3, 2, 10, 0)
        with form.pause_ids.new() as pause:
            pause.start_date = sh(2026, 3, 2, 10, 5)
            pause.end_date = sh(2026, 3, 2, 10, 20)
        wizard = form.save()
        self.assertEqual(wizard.policy_id, self.policy_aaa)
        self.assertIn("o_fs_sla_simulation", wizard.result_html)
