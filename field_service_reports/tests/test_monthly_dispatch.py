"""The workbook's automatic-dispatch sheet: the month's fault orders per
area and per team, and the automatic-dispatch success rate."""

from io import BytesIO

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .monthly_common import REPORT_TIME, MonthlyReportCase
from .test_monthly_report import REPORT, table


@tagged("post_install", "-at_install")
class TestMonthlyDispatch(MonthlyReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.crew = env["fsm.team"].create(
            {"name": "Report own crew", "company_id": cls.company.id}
        )
        cls.contractor = env["fsm.team"].create(
            {
                "name": "Report contractor crew",
                "company_id": cls.company.id,
                "fs_contractor": True,
            }
        )
        cls.area = env["res.territory"].create(
            {"name": "Report area", "fs_team_id": cls.crew.id}
        )
        site = env["fsm.location"].create(
            {"name": "Report site", "owner_id": cls.water.id}
        )
        worker = env["fsm.person"].create({"name": "Report worker"})
        # as the dispatch leaves them: T1 automatic, T6 queued in the same
        # area, T3 by a dispatcher to the contractor without an area; the
        # excluded T4's order counts nowhere
        for ticket, team, mode, area in (
            (cls.t1, cls.crew, "auto", cls.area),
            (cls.t6, cls.crew, "queue", cls.area),
            (cls.t3, cls.contractor, "manual", None),
            (cls.t4, cls.crew, "auto", cls.area),
        ):
            env["fsm.order"].create(
                {
                    "ticket_id": ticket.id,
                    "location_id": site.id,
                    "team_id": team.id,
                    "person_id": worker.id if mode != "queue" else False,
                    "fs_dispatch_mode": mode,
                    "fs_area_id": area.id if area else False,
                    "company_id": cls.company.id,
                    "stage_id": env.ref("fieldservice.fsm_stage_new").id,
                }
            )

    def test_counts_per_area_and_team(self):
        with freeze_time(REPORT_TIME):
            scope = self._wizard()._check_request()
            dispatch = self.env["fs.monthly.report.data"]._dispatch(scope)
        self.assertEqual(dispatch["area"], {self.area.id: (2, 1, 1, 0), None: (1, 0, 0, 1)})
        self.assertEqual(
            dispatch["team"],
            {self.crew.id: (2, 1, 1, 0), self.contractor.id: (1, 0, 0, 1)},
        )
        self.assertEqual(dispatch["total"], (3, 1, 1, 1))

    def test_the_sheet(self):
        wizard = self._wizard(user=self.dispatcher)
        with freeze_time(REPORT_TIME):
            content, _kind = self.env["ir.actions.report"]._render_xlsx(
                REPORT, wizard.ids, data=None
            )
        book = openpyxl.load_workbook(BytesIO(content))
        rows = table(book["Automatic dispatch"])
        by_name = {r["Area or team"]: r for group in rows.values() for r in group}
        area = by_name["Report area"]
        self.assertEqual(area["By"], "Area")
        self.assertEqual(
            (area["Fault orders"], area["Dispatched automatically"]), (2, 1)
        )
        self.assertEqual(area["Automatic-dispatch success rate"], 0.5)
        self.assertEqual(by_name["No area"]["By a dispatcher"], 1)
        contractor = by_name["Report contractor crew"]
        self.assertEqual(contractor["By"], "Team")
        self.assertEqual(contractor["Automatic-dispatch success rate"], 0)
        [total] = rows["Total"]
        self.assertEqual(total["Fault orders"], 3)
        self.assertAlmostEqual(total["Automatic-dispatch success rate"], 1 / 3)
