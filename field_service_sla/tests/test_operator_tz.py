"""Printed and texted times are in the operator's time zone (res.company
fs_tz), whatever the server's, the sweep user's (OdooBot) or the acting
user's: a bulletin of a fault reported at 07:46 in Shanghai says 07:46."""

import os
import time
from contextlib import contextmanager

from odoo.tests import tagged

from .common import sh
from .escalation_common import EscalationCase


@contextmanager
def server_tz(name):
    """The server process in ``name`` (Odoo expects UTC: a server set up
    otherwise must change nothing)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@tagged("post_install", "-at_install")
class TestOperatorTimeZone(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.fs_tz = "Asia/Shanghai"
        # everything else in another zone: the company's working hours, the
        # acting user, OdooBot who runs the crons
        cls.company.resource_calendar_id.tz = "Europe/Brussels"
        cls.env.user.tz = "Europe/Brussels"
        cls.env.ref("base.user_root").tz = "UTC"
        cls.env.ref("base.partner_root").tz = "UTC"
        cls.engine = cls.engine.with_user(cls.env.ref("base.user_root"))

    def test_start_bulletin_email_and_activity_say_the_operators_time(self):
        reported = sh(2026, 12, 7, 7, 46)
        ticket = self._ticket(reported, line=self.gold_aaa)
        with server_tz("Europe/Brussels"):
            self.sweep(reported)
            self.make_severe(ticket, reported)
            self.sweep(reported)
        bodies = set(self.sms().mapped("body"))
        self.assertEqual(
            bodies,
            {
                "【新|影响业务|严重故障|Gold Water Group Line down】"
                "2026/12/07 07:46,Alarm"
            },
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("7:46:00", mail.body_html)
        self.assertIn("AM", mail.body_html)
        activity = self.activities(ticket).filtered(
            lambda a: a.summary.startswith("AAA fault")
        )
        self.assertEqual(
            activity.summary, "AAA fault of a gold customer (due 2026-12-07 08:46)"
        )

    def test_the_chinese_email_says_the_operators_time(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        # what installing Chinese does: the template's Chinese body
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sla"], ["zh_CN"]
        )
        self.gold_customer.lang = "zh_CN"
        reported = sh(2026, 12, 7, 7, 46)
        ticket = self._ticket(reported, line=self.gold_aaa)
        self.sweep(reported)
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertIn("报障时间", mail.body_html)
        self.assertIn("07:46", mail.body_html)

    def test_the_setting_falls_back_to_the_working_hours_and_is_set_up(self):
        other = self.env["res.company"].create({"name": "New operator"})
        other.resource_calendar_id.tz = "Europe/Brussels"
        other.fs_tz = False
        self.assertEqual(other._fs_operator_tz(), "Europe/Brussels")
        # the set-up takes the calendar the SLA clocks count in (the shipped
        # office hours), not the working hours Odoo gave the company
        self.env["res.company"]._fs_setup_operator_tz()
        self.assertEqual(other.fs_tz, "Asia/Shanghai")
        self.assertEqual(self.company.fs_tz, "Asia/Shanghai", "a set zone is kept")

    def test_the_demo_company_is_in_shanghai_and_the_form_shows_it(self):
        main = self.env.ref("base.main_company")
        if self.env.ref("field_service_sla.demo_team_province", False):
            self.assertEqual(main.fs_tz, "Asia/Shanghai")
        arch = self.env.ref("field_service_sla.view_company_form_fs_escalation").arch
        self.assertIn('name="fs_tz"', arch)
        self.assertIn("group_fs_sla_admin", arch)
