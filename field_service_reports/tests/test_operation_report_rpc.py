"""The operation report as the real roles send it over HTTP: account managers
their customers' reports, SLA administrators all, portal users their
company's released ones (list and PDF), nobody another customer's by id or
URL; state and figures forged by a client are refused."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.field_service_sla.tests.rpc import RpcCase

from .test_operation_report import AFTER, MARCH, OperationReportCase

MODEL = "fs.operation.report"


@tagged("post_install", "-at_install")
class TestOperationReportRpc(RpcCase, OperationReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_manager = cls._user(
            "report_other_manager", "group_fs_account_manager"
        )
        cls.admin = cls._user("report_sla_admin", "group_fs_sla_admin")
        cls.steel.account_manager_id = cls.other_manager
        cls.portal_water = cls._portal("report_portal_water", cls.water)
        cls.portal_steel = cls._portal("report_portal_steel", cls.steel)
        cls.report = cls.env[MODEL].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.water.id,
                "date_from": MARCH,
                "remarks": "Stable month.",
            }
        )
        with freeze_time(AFTER):
            cls.report.action_release()
        cls.draft = cls.env[MODEL].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.water.id,
                "date_from": date(2026, 2, 1),
            }
        )
        cls.steel_report = cls.env[MODEL].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.steel.id,
                "date_from": MARCH,
            }
        )

    @classmethod
    def _portal(cls, login, company):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = company
        return user

    def ids(self, login):
        return set(
            self.call(login, MODEL, "search", [("company_id", "=", self.company.id)])
        )

    def test_who_reads_which_report(self):
        everything = {self.report.id, self.draft.id, self.steel_report.id}
        self.assertEqual(
            self.ids("report_account_manager"), {self.report.id, self.draft.id}
        )
        self.assertEqual(self.ids("report_other_manager"), {self.steel_report.id})
        self.assertEqual(self.ids("report_sla_admin"), everything)
        self.assertEqual(self.ids("report_portal_water"), {self.report.id})
        self.assertEqual(self.ids("report_portal_steel"), set())
        for login in ("report_other_manager", "report_portal_steel"):
            self.assertRpcRefused(
                login,
                MODEL,
                "read",
                [self.report.id],
                ["remarks"],
                kinds=("AccessError",),
            )
        self.assertRpcRefused(
            "report_portal_water", MODEL, "read", [self.draft.id], ["remarks"],
            kinds=("AccessError",),
        )  # fmt: skip
        for login in ("report_dispatcher", "report_technician"):
            self.assertRpcRefused(login, MODEL, "search", [], kinds=("AccessError",))

    def test_a_client_forging_state_or_figures_is_refused(self):
        new_id = self.call(
            "report_account_manager",
            MODEL,
            "create",
            {
                "partner_id": self.water.id,
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "state": "released",
                "availability": 1.0,
            },
        )
        created = self.env[MODEL].browse(new_id)
        self.assertEqual((created.state, created.availability), ("draft", 0.0))
        for vals in ({"state": "released"}, {"availability": 1.0}, {"pdf_hash": "x"}):
            self.assertRpcRefused(
                "report_account_manager", MODEL, "write", [new_id], vals,
                kinds=("UserError",), context={"fs_state_transition": True},
            )  # fmt: skip
        self.assertEqual(created.state, "draft")
        # another customer's: not his to make, even naming himself
        self.assertRpcRefused(
            "report_account_manager", MODEL, "create",
            {"partner_id": self.steel.id, "company_id": self.company.id,
             "date_from": "2026-01-01", "user_id": self.account_manager.id},
            kinds=("AccessError",),
        )  # fmt: skip
        # another customer's report: not his to refresh, release or write
        for method in ("action_refresh", "action_release"):
            self.assertRpcRefused(
                "report_account_manager", MODEL, method, [self.steel_report.id],
                kinds=("AccessError",),
            )  # fmt: skip
        self.assertRpcRefused(
            "report_portal_water", MODEL, "write", [self.report.id],
            {"remarks": "mine now"}, kinds=("AccessError", "UserError"),
        )  # fmt: skip
        # a released report's remarks stay what the customer received
        self.assertRpcRefused(
            "report_account_manager", MODEL, "write", [self.report.id],
            {"remarks": "rewritten"}, kinds=("UserError",),
        )  # fmt: skip

    def test_the_portal_lists_and_downloads_released_reports_only(self):
        self.authenticate("report_portal_water", "report_portal_water")
        home = self.url_open("/my/home").text
        self.assertIn("/my/operation-reports", home)
        page = self.url_open("/my/operation-reports").text
        self.assertIn(self.report.name, page)
        self.assertNotIn("2026-02", page)
        pdf = self.url_open(self.report.access_url)
        self.assertEqual(pdf.content, self.report.attachment_id.raw)
        draft = self.url_open(self.draft.access_url, allow_redirects=False)
        self.assertEqual(draft.status_code, 303)
        self.assertTrue(draft.headers["Location"].endswith("/my"))

    def test_another_customers_report_opens_for_nobody(self):
        self.authenticate("report_portal_steel", "report_portal_steel")
        other = self.url_open(self.report.access_url, allow_redirects=False)
        self.assertEqual(other.status_code, 303)
        self.assertTrue(other.headers["Location"].endswith("/my"))
        self.assertNotIn(self.report.name, self.url_open("/my/operation-reports").text)
        # the e-mail's link opens with its own token only
        self.authenticate(None, None)
        linked = self.url_open(
            f"{self.report.access_url}?access_token={self.report.access_token}"
        )
        self.assertEqual(linked.content, self.report.attachment_id.raw)
        wrong = self.url_open(
            f"{self.report.access_url}?access_token={self.draft.access_token}",
            allow_redirects=False,
        )
        self.assertEqual(wrong.status_code, 303)
        token = self.url_open(
            f"{self.draft.access_url}?access_token={self.draft.access_token}",
            allow_redirects=False,
        )
        self.assertEqual(token.status_code, 303)  # a draft opens for nobody

    def test_the_screens_open_for_their_roles(self):
        views = [[False, "list"], [False, "kanban"], [False, "form"], [False, "search"]]
        for login in ("report_account_manager", "report_sla_admin"):
            self.call(login, MODEL, "get_views", views)
            self.call(
                login,
                "fs.operation.report.line",
                "get_views",
                [[False, "pivot"], [False, "list"], [False, "search"]],
            )
        self.call(
            "report_sla_admin", "fs.operation.report.run", "get_views", views[::2]
        )
        self.assertRpcRefused(
            "report_account_manager", "fs.operation.report.run", "search", [],
            kinds=("AccessError",),
        )  # fmt: skip
