from datetime import timedelta

from odoo import fields, http
from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalPlannedWork(PortalCase):
    """A customer's portal users read their own notices only, acknowledge or
    object (with a reason), confirm the service is back, and download their
    part of the report; the e-mail's link opens the notice without a login;
    a guessed id, another customer's notice or a replayed answer changes
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.work = (
            cls.env["fs.planned.work"]
            .with_user(cls.dispatcher)
            .create(
                {
                    "name": "Core router upgrade",
                    "reason": "New software",
                    "date_start": start,
                    "date_end": start + timedelta(hours=4),
                    "line_ids": [
                        fields.Command.create({"service_line_id": cls.line_a.id}),
                        fields.Command.create({"service_line_id": cls.line_b.id}),
                    ],
                }
            )
        )
        cls.work.with_user(cls.dispatcher).action_notify()
        cls.notice_a = cls.work.notice_ids.filtered(
            lambda n: n.partner_id == cls.company_a
        )
        cls.notice_b = cls.work.notice_ids - cls.notice_a

    def post(self, url, **data):
        return self.url_open(
            url,
            data={"csrf_token": http.Request.csrf_token(self), **data},
            allow_redirects=False,
        )

    def test_customer_reads_its_own_notices_only(self):
        self.login(self.portal_a)
        page = self.url_open("/my/planned-work").text
        self.assertIn(self.work.reference, page)
        self.assertIn(f"/my/planned-work/{self.notice_a.id}", page)
        self.assertNotIn(f"/my/planned-work/{self.notice_b.id}", page)
        page = self.url_open(self.notice_a.access_url)
        self.assertIn("A-IDL-1", page.text)
        self.assertNotIn("B-IDL-1", page.text)
        other = self.url_open(self.notice_b.access_url, allow_redirects=False)
        self.assertEqual(other.status_code, 303)
        self.assertTrue(other.headers["Location"].endswith("/my"))

    def test_acknowledge_and_object_need_their_reason(self):
        self.login(self.portal_a)
        url = f"{self.notice_a.access_url}/answer"
        response = self.post(url, response="objected", reason="  ")
        self.assertIn("message=error", response.headers["Location"])
        self.assertEqual(self.notice_a.response, "pending")
        self.post(url, response="objected", reason="Our exam runs that night")
        self.assertEqual(self.notice_a.response, "objected")
        self.assertEqual(self.notice_a.response_partner_id, self.portal_a.partner_id)
        self.assertIn("Our exam runs that night", self.work.message_ids[0].body)
        # another customer's notice cannot be answered by id
        self.post(f"{self.notice_b.access_url}/answer", response="acknowledged")
        self.assertEqual(self.notice_b.response, "pending")
        # no CSRF token, no answer
        self.url_open(url, data={"response": "acknowledged"}, allow_redirects=False)
        self.assertEqual(self.notice_a.response, "objected")

    def test_the_mail_link_opens_without_login_and_expires_with_the_work(self):
        self.authenticate(None, None)
        url = f"{self.notice_b.access_url}?access_token={self.notice_b.access_token}"
        self.assertIn("B-IDL-1", self.url_open(url).text)
        wrong = self.url_open(
            f"{self.notice_b.access_url}?access_token=guess", allow_redirects=False
        )
        self.assertEqual(wrong.status_code, 303)
        self.post(
            f"{self.notice_b.access_url}/answer",
            response="acknowledged",
            access_token=self.notice_b.access_token,
        )
        self.assertEqual(self.notice_b.response, "acknowledged")
        self.assertEqual(self.notice_b.response_partner_id, self.company_b)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "fs.planned.work.notice"),
                ("res_id", "=", self.notice_b.id),
            ]
        )
        # the e-mail carries the link that opened the notice
        self.assertIn(url, mail.body_html.replace("&amp;", "&"))
        # once the work has begun, the link can no longer answer
        self.work.with_user(self.dispatcher).action_start()
        self.post(
            f"{self.notice_b.access_url}/answer",
            response="objected",
            reason="late",
            access_token=self.notice_b.access_token,
        )
        self.assertEqual(self.notice_b.response, "acknowledged")

    def test_service_back_and_the_customers_part_of_the_report(self):
        self.work.with_user(self.dispatcher).action_start()
        self.login(self.portal_a)
        self.post(f"{self.notice_a.access_url}/service-back")
        self.assertEqual(self.notice_a.verification, "customer")
        self.assertEqual(self.notice_a.verified_by, self.portal_a.name)
        pdf = self.url_open(f"{self.notice_a.access_url}?report_type=pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "field_service_reports.action_report_planned_work",
                self.work.ids,
                data={"fs_partner_id": self.company_a.id},
            )[0]
            .decode()
        )
        self.assertIn("A-IDL-1", html)
        self.assertNotIn("B-IDL-1", html)
        self.assertNotIn("Power Group", html)


@tagged("post_install", "-at_install")
class TestPortalAssurance(PortalCase):
    """A customer's portal users see its special assurance periods and, once
    one is over, its summary; another customer's period opens for nobody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        Period = cls.env["fs.assurance.period"]
        cls.period_a = Period.create(
            {
                "name": "Annual shareholders' meeting",
                "partner_id": cls.company_a.id,
                "all_lines": True,
                "date_start": now - timedelta(hours=6),
                "date_end": now + timedelta(hours=6),
            }
        )
        cls.period_b = Period.create(
            {
                "name": "Power plant audit",
                "partner_id": cls.company_b.id,
                "all_lines": True,
                "date_start": now - timedelta(hours=6),
                "date_end": now + timedelta(hours=6),
            }
        )
        (cls.period_a | cls.period_b).action_declare()
        cls.fault_a = cls._ticket(cls.portal_a, cls.line_a, "Video link down")

    def test_customer_sees_its_period_and_its_summary_once_over(self):
        self.login(self.portal_a)
        page = self.url_open("/my/assurance").text
        self.assertIn("Annual shareholders", page)
        self.assertNotIn("Power plant audit", page)
        url = f"/my/assurance/{self.period_a.id}"
        self.assertIn("A-IDL-1", self.url_open(url).text)
        # no summary while it runs
        early = self.url_open(f"{url}?report_type=pdf")
        self.assertNotEqual(early.headers["Content-Type"], "application/pdf")
        self.period_a.action_done()
        pdf = self.url_open(f"{url}?report_type=pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "field_service_reports.action_report_assurance_summary",
                self.period_a.ids,
            )[0]
            .decode()
        )
        self.assertIn(self.fault_a.number, html)
        self.assertIn("A-IDL-1", html)
        self.assertNotIn("B-IDL-1", html)

    def test_another_customers_period_opens_for_nobody(self):
        self.login(self.portal_a)
        other = self.url_open(
            f"/my/assurance/{self.period_b.id}", allow_redirects=False
        )
        self.assertEqual(other.status_code, 303)
        self.assertTrue(other.headers["Location"].endswith("/my"))
        pdf = self.url_open(
            f"/my/assurance/{self.period_b.id}?report_type=pdf", allow_redirects=False
        )
        self.assertEqual(pdf.status_code, 303)
