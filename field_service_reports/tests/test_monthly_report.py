from datetime import datetime, timedelta
from io import BytesIO

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.field_service_sla.tests.common import sh
from odoo.addons.field_service_sla.tests.rpc import RpcCase

from ..reports_core.monthly import SERVICE_TYPE, TEAM, TIER
from .monthly_common import REPORT_TIME, MonthlyReportCase

REPORT = "field_service_reports.fs_monthly_report_xlsx"
HEADER_ROW = 3  # 1-based, as openpyxl counts


def table(sheet):
    """{first cell: {header: value}} of the rows below the header row."""
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    rows = {}
    for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if values[0] is not None:
            rows.setdefault(values[0], []).append(
                dict(zip(headers, values, strict=True))
            )
    return rows


@tagged("post_install", "-at_install")
class TestMonthlyFigures(MonthlyReportCase):
    def figures(self, **values):
        wizard = self._wizard(**values)
        with freeze_time(REPORT_TIME):
            scope = wizard._check_request()
            return self.env["fs.monthly.report.data"]._figures(scope)

    def test_figures_of_the_fixture_month(self):
        figures = self.figures()
        totals = figures.totals
        self.assertEqual(totals.tickets, 4)  # T1, T2, T3, T6; T4 is excluded
        diamond = figures.views[TIER][self.diamond.id]
        self.assertEqual(diamond.tickets, 3)
        self.assertEqual(diamond.counts("contact").on_time_rate, 2 / 3)
        # T1 on time, T2 late, T3 closed without a restore: missed, not paused
        self.assertEqual(self.t3.sla_clock_ids.filtered(
            lambda c: c.kind == "restored").state, "paused")  # fmt: skip
        restored = diamond.counts("restored")
        self.assertEqual((restored.on_time, restored.missed), (1, 2))
        self.assertEqual(diamond.counts("resolved").on_time_rate, 1.0)
        self.assertEqual(diamond.breaches, 2)  # T2 contact and restore
        self.assertEqual(diamond.restored, 2)
        self.assertAlmostEqual(diamond.mean_restore_hours, 4.0)  # 2 h and 6 h
        # 3 faults on the 2 lines; T2 repeats T1, T3 repeats T0 (February)
        self.assertEqual((diamond.faults, diamond.lines, diamond.repeats), (3, 2, 2))
        self.assertEqual(diamond.fault_rate, 1.5)
        gold = figures.views[TIER][self.gold.id]
        self.assertEqual(gold.tickets, 1)
        self.assertEqual(gold.counts("contact").missed, 1)
        self.assertEqual(gold.counts("restored").open, 1)
        self.assertIsNone(gold.counts("restored").on_time_rate)
        self.assertIsNone(gold.mean_restore_hours)
        self.assertEqual(totals.all_milestones.on_time, 5)
        self.assertEqual(totals.all_milestones.missed, 4)
        self.assertEqual(totals.all_milestones.open, 1)
        self.assertEqual(totals.breaches, 3)
        self.assertEqual(totals.lines, 3)
        teams = figures.views[TEAM]
        self.assertEqual(teams[self.team_a.id].tickets, 3)
        self.assertEqual(teams[self.team_b.id].tickets, 1)
        self.assertIsNone(teams[self.team_a.id].fault_rate)  # no lines per team
        types = figures.views[SERVICE_TYPE]
        self.assertEqual(types[self.internet.id].tickets, 3)
        self.assertEqual(types[self.data_line.id].lines, 1)

    def test_excluded_tickets_are_listed_and_counted_nowhere(self):
        figures = self.figures()
        for view in (TIER, SERVICE_TYPE, TEAM):
            self.assertEqual(
                sum(g.tickets for g in figures.views[view].values()), 4, view
            )
        wizard = self._wizard()
        with freeze_time(REPORT_TIME):
            scope = wizard._check_request()
            source = self.env["fs.monthly.report.data"]
            excluded = list(source._excluded_rows(scope))
            breaches = list(source._breach_rows(scope))
        self.assertEqual([row[0] for row in excluded], [self.t4.number])
        # with the reason the dispatcher gave (the severity log's)
        self.assertIn("Customer's own power cut", excluded[0])
        self.assertNotIn(self.t4.number, {row[0] for row in breaches})
        # including the ticket again puts it back in the figures
        self.t4.severity_excluded = False
        self.assertEqual(self.figures().totals.tickets, 5)

    def test_planned_work_tickets_leave_the_month_as_planned(self):
        """A ticket raised in a planned work's window leaves the figures as
        the excluded tickets do, listed with the planned work as its reason;
        one still down when the window ends counts again."""
        start = sh(2026, 3, 20, 1, 0)
        with freeze_time(sh(2026, 3, 10, 10, 0)):
            work = self.env["fs.planned.work"].create(
                {
                    "name": "Core router upgrade",
                    "reason": "New software",
                    "date_start": start,
                    "date_end": start + timedelta(hours=4),
                    "line_ids": [(0, 0, {"service_line_id": self.line_aaa.id})],
                }
            )
            work.action_notify()
        planned = self._ticket(start + timedelta(hours=1), self.line_aaa, self.team_a)
        down = self._ticket(start + timedelta(hours=2), self.line_aaa, self.team_a)
        self._at(
            start + timedelta(hours=3),
            planned,
            restored_date=start + timedelta(hours=3),
        )
        with freeze_time(start + timedelta(hours=5)):
            self.env["fs.planned.work"]._cron_settle_windows()
        figures = self.figures()
        # the four counted tickets of the fixture and the line still down
        self.assertEqual(sum(g.tickets for g in figures.views[TIER].values()), 5)
        wizard = self._wizard()
        with freeze_time(REPORT_TIME):
            scope = wizard._check_request()
            excluded = list(self.env["fs.monthly.report.data"]._excluded_rows(scope))
        rows = {row[0]: row for row in excluded}
        self.assertEqual(set(rows), {self.t4.number, planned.number})
        self.assertIn(work.reference, rows[planned.number][-1])
        self.assertNotIn(down.number, rows)

    def test_maintenance_work_is_no_fault_of_the_month(self):
        """An inspection finding's follow-up (maintenance category) is a ticket
        of the month with its own lenient clock, never a fault or a repeat."""
        maintenance = self.env.ref("field_service_sla.ticket_category_maintenance")
        ticket = self._ticket(
            sh(2026, 3, 25, 10, 0), self.line_aaa, self.team_a,
            category_id=maintenance.id,
        )  # fmt: skip
        self.assertFalse(ticket.fs_is_fault)
        figures = self.figures()
        diamond = figures.views[TIER][self.diamond.id]
        self.assertEqual(diamond.tickets, 4)
        # 3 faults on the 2 lines, 2 repeats: as without the maintenance ticket
        self.assertEqual((diamond.faults, diamond.lines, diamond.repeats), (3, 2, 2))
        self.assertEqual((figures.totals.faults, figures.totals.repeats), (4, 2))
        # a fault after it repeats T2, not the maintenance ticket
        later = self._ticket(sh(2026, 3, 26, 10, 0), self.line_aaa, self.team_a)
        self.assertTrue(later.fs_repeated_fault)

    def test_a_team_filter_keeps_that_team_only(self):
        figures = self.figures(team_ids=[(6, 0, self.team_b.ids)])
        self.assertEqual(figures.totals.tickets, 1)
        self.assertEqual(list(figures.views[TEAM]), [self.team_b.id])

    def test_the_pivot_shows_the_same_on_time_figures(self):
        """The SLA on-time rates pivot (its action's filters, grouped by the
        ticket's month in the reader's time zone) and the wizard agree."""
        figures = self.figures()
        Clock = self.env["fs.sla.clock"]
        action = self.env.ref("field_service_sla.fs_sla_clock_action_on_time")
        self.assertIn("search_default_assessed", action.context)
        pivot_domain = [
            ("company_id", "=", self.company.id),
            ("sla_outcome", "in", ("on_time", "missed")),  # filter Assessed
            ("severity_excluded", "=", False),  # filter Tickets in assessment
        ]
        for view, field in (
            (TIER, "ticket_tier_id"),
            (SERVICE_TYPE, "ticket_service_type_id"),
            (TEAM, "ticket_team_id"),
        ):
            pivot = {}
            for month, group, kind, on_time, missed, rate in Clock._read_group(
                pivot_domain,
                ["ticket_reported_date:month", field, "kind"],
                ["on_time_count:sum", "missed_count:sum", "on_time_rate:avg"],
            ):
                if (month.year, month.month) == (2026, 3):
                    pivot[(group.id or None, kind)] = (on_time, missed, rate)
            report = {
                (key, kind): (
                    counts.on_time,
                    counts.missed,
                    100.0 * counts.on_time_rate,
                )
                for key, group in figures.views[view].items()
                for kind, counts in group.milestones.items()
                if counts.assessed
            }
            self.assertEqual(pivot.keys(), report.keys(), view)
            for key, (on_time, missed, rate) in report.items():
                self.assertEqual(pivot[key][:2], (on_time, missed), (view, key))
                self.assertAlmostEqual(pivot[key][2], rate, msg=(view, key))


@tagged("post_install", "-at_install")
class TestMonthlyWorkbook(MonthlyReportCase):
    def render(self, wizard, lang=None):
        reports = self.env["ir.actions.report"]
        if lang:
            reports = reports.with_context(lang=lang)
        with freeze_time(REPORT_TIME):
            content, kind = reports._render_xlsx(REPORT, wizard.ids, data=None)
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def test_the_workbook_holds_every_sheet_and_the_figures(self):
        book = self.render(self._wizard(user=self.dispatcher))
        self.assertEqual(
            book.sheetnames,
            [
                "On-time chart",
                "By tier",
                "By service type",
                "By team",
                "Automatic dispatch",
                "Availability",
                "Breaches",
                "Excluded tickets",
                "Equipment",
                "Equipment ranking",
                "Contractor scores",
                "On-time by month",
                "About",
            ],
        )
        self.assertEqual(len(book["On-time chart"]._charts), 1)
        tiers = table(book["By tier"])
        [diamond] = tiers[self.diamond.name]
        self.assertEqual(diamond["Tickets"], 3)
        self.assertAlmostEqual(diamond["First contact on time"], 2 / 3)
        self.assertAlmostEqual(diamond["Service restored on time"], 1 / 3)
        # durations read back as durations ([h]:mm)
        self.assertEqual(
            diamond["Mean restore time (excl. pauses)"], timedelta(hours=4)
        )
        self.assertEqual(diamond["Fault rate (faults per line)"], 1.5)
        self.assertAlmostEqual(diamond["Repeat-fault rate"], 2 / 3)
        [total] = tiers["Total"]
        self.assertEqual(total["Tickets"], 4)
        self.assertEqual(total["Breaches counted"], 3)
        self.assertEqual(total["First contact on time"], 0.5)
        sheet = book["By tier"]
        self.assertEqual(sheet.freeze_panes, "B4")
        self.assertTrue(sheet.auto_filter.ref)
        self.assertEqual(sheet.cell(4, 3).number_format, "0.0%")
        teams = table(book["By team"])
        self.assertIsNone(teams["Report team A"][0]["Fault rate (faults per line)"])
        # breaches with their reasons; the excluded ticket is not among them
        breaches = table(book["Breaches"])
        self.assertNotIn(self.t4.number, breaches)
        t2 = breaches[self.t2.number]
        self.assertEqual(
            [(r["Milestone"], r["Assessment"]) for r in t2],
            [("First contact", "Breached"), ("Service restored", "Breached")],
        )
        self.assertEqual(t2[0]["Cause found on site"], "Our equipment")
        self.assertEqual(t2[1]["Reached late by"], timedelta(hours=2))
        [t3] = breaches[self.t3.number]
        self.assertEqual(
            (t3["Milestone"], t3["Assessment"]),
            ("Service restored", "Never reached (ticket closed)"),
        )
        self.assertEqual(str(t3["Reported at"]), "2026-03-17 10:00:00")
        excluded = table(book["Excluded tickets"])
        self.assertEqual(list(excluded), [self.t4.number])
        # equipment: by all four, and ranked per dimension
        equipment = table(book["Equipment"])
        [nе40] = [r for r in equipment["Router"] if r["Model"] == "NE40E"]
        self.assertEqual((nе40["Replaced"], nе40["Share"]), (2, 2 / 3))
        self.assertEqual(equipment["Total"][0]["Replaced"], 3)
        ranking = book["Equipment ranking"]
        self.assertEqual(
            [c.value for c in ranking[HEADER_ROW + 1]][:3], ["Router", 3, 1.0]
        )
        trend = table(book["On-time by month"])
        self.assertEqual(len(trend), 12)
        self.assertEqual(trend[datetime(2026, 3, 1)][0]["All tiers"], 5 / 9)
        # T0: contact on time, restore breached by a later sweep
        self.assertEqual(trend[datetime(2026, 2, 1)][0][self.diamond.name], 0.5)

    def test_an_account_manager_reads_it_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sla", "field_service_reports"], ["zh_CN"]
        )
        wizard = self._wizard(user=self.account_manager)
        book = self.render(wizard, lang="zh_CN")
        self.assertIn("按客户等级", book.sheetnames)
        headers = [c.value for c in book["按客户等级"][HEADER_ROW]]
        self.assertIn("工单数", headers)
        self.assertIn("首次联系按时率", headers)

    def test_the_menu_is_for_dispatchers_account_managers_and_sla_admins(self):
        menu = self.env.ref("field_service_reports.menu_fs_monthly_report")
        for user, visible in (
            (self.dispatcher, True),
            (self.account_manager, True),
            (self.technician, False),
        ):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(menu.id in menus, visible, user.login)
            self.assertEqual(
                menu.parent_id.id in menus, visible, f"{user.login}: Reporting"
            )


@tagged("post_install", "-at_install")
class TestMonthlyReportRefusals(MonthlyReportCase):
    """Every refusal is clear and leaves nothing behind."""

    def assertRefused(self, wizard, exception, pattern):
        attachments = self.env["ir.attachment"].search_count([])
        with freeze_time(REPORT_TIME):
            with self.assertRaisesRegex(exception, pattern):
                wizard.action_print()
            with self.assertRaisesRegex(exception, pattern):
                wizard.env["ir.actions.report"]._render_xlsx(REPORT, wizard.ids, None)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_a_month_in_the_future_is_refused(self):
        self.assertRefused(self._wizard(month="4"), UserError, "2026-04 has not begun")
        self.assertRefused(self._wizard(year="2027", month="1"), UserError, "begun")

    def test_the_current_month_is_allowed(self):
        with freeze_time(REPORT_TIME):
            action = self._wizard().action_print()
        self.assertEqual(action["report_type"], "xlsx")

    def test_the_default_is_last_month_of_the_current_company(self):
        with freeze_time(REPORT_TIME):
            wizard = self.env["fs.monthly.report"].create({})
        self.assertEqual((wizard.year, wizard.month), ("2026", "2"))
        self.assertEqual(wizard.company_id, self.company)

    def test_an_empty_company_is_refused(self):
        self.assertRefused(self._wizard(company_id=False), UserError, "company")

    def test_a_company_the_user_does_not_work_for_is_refused(self):
        other = self.env["res.company"].create({"name": "Another operator"})
        wizard = self._wizard(user=self.dispatcher, company_id=other.id)
        self.assertRefused(wizard, UserError, "Another operator")

    def test_a_team_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Another operator"})
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Foreign team", "company_id": other.id}
        )
        wizard = self._wizard(team_ids=[(6, 0, team.ids)])
        self.assertRefused(wizard, UserError, "Foreign team")

    def test_a_technician_cannot_produce_it(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.technician)


@tagged("post_install", "-at_install")
class TestMonthlyPeriod(MonthlyReportCase):
    """The year and month of the dialog: any value a client sends gets a clear
    error, nothing impossible is stored, no raw ValueError."""

    BAD_YEARS = ("abc", "-5", "99999", "1900", "1999", "2028", " ", "20 26")

    def dialog(self):
        # as the menu opens it: the action's context, the dispatcher
        action = self.env.ref("field_service_reports.fs_monthly_report_action")
        return Form(
            self.env["fs.monthly.report"]
            .with_user(self.dispatcher)
            .with_context(**safe_eval(action.context or "{}"))
        )

    def test_the_dialog_refuses_impossible_years_and_months(self):
        with freeze_time(REPORT_TIME):
            for year in self.BAD_YEARS:
                with self.subTest(year=year):
                    form = self.dialog()
                    form.year = year
                    form.month = "1"
                    with self.assertRaisesRegex(ValidationError, "from 2000 to 2027"):
                        form.save()
            for month in ("0", "13", "abc", "-1"):
                with self.subTest(month=month):
                    form = self.dialog()
                    form.year = "2025"
                    form.month = month
                    with self.assertRaisesRegex(ValidationError, "from 1 to 12"):
                        form.save()
            self.assertFalse(
                self.env["fs.monthly.report"].search(
                    [("year", "in", list(self.BAD_YEARS))]
                )
            )
            form = self.dialog()
            form.year = "2025"
            form.month = "12"
            wizard = form.save()
            self.assertEqual((wizard.year, wizard.month), ("2025", "12"))
            # the trend of the earliest year allowed reaches back into 1999
            wizard.write({"year": 2000, "month": "1"})
            self.assertEqual(wizard.year, "2000")
            with freeze_time(REPORT_TIME):
                action = wizard.action_print()
            self.assertEqual(action["report_type"], "xlsx")
            content, _kind = self.env["ir.actions.report"]._render_xlsx(
                REPORT, wizard.ids, None
            )
            self.assertTrue(content)

    def test_a_stored_impossible_year_is_told_not_crashed(self):
        wizard = self._wizard(user=self.dispatcher)
        # as stored before the check existed
        self.env.cr.execute(
            "UPDATE fs_monthly_report SET year = 'abc' WHERE id = %s", [wizard.id]
        )
        wizard.invalidate_recordset()
        with freeze_time(REPORT_TIME):
            with self.assertRaisesRegex(UserError, "from 2000 to 2027"):
                wizard.action_print()
            with self.assertRaisesRegex(UserError, "from 2000 to 2027"):
                self.env["ir.actions.report"]._render_xlsx(REPORT, wizard.ids, None)


@tagged("post_install", "-at_install")
class TestMonthlyPeriodOverHttp(RpcCase):
    """The same as the web client sends it: a clear ValidationError, not the
    raw error (or the 500 of the download) the bad values gave."""

    def test_impossible_periods_are_refused_over_json_rpc(self):
        user = new_test_user(
            self.env,
            login="period_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        company = user.company_id.id
        for year in ("abc", -5, 99999, 1900):
            with self.subTest(year=year):
                error = self.assertRpcRefused(
                    user.login,
                    "fs.monthly.report",
                    "create",
                    [{"year": year, "month": "1", "company_id": company}],
                    kinds=("ValidationError",),
                )
                self.assertIn("year of the report", error.message)
        error = self.assertRpcRefused(
            user.login,
            "fs.monthly.report",
            "create",
            [{"year": "2025", "month": "13", "company_id": company}],
            kinds=("ValidationError",),
        )
        self.assertIn("month of the report", error.message)
        [wizard_id] = self.call(
            user.login,
            "fs.monthly.report",
            "create",
            [{"year": "2025", "month": "3", "company_id": company}],
        )
        self.assertRpcRefused(
            user.login,
            "fs.monthly.report",
            "write",
            [wizard_id],
            {"year": "abc"},
            kinds=("ValidationError",),
        )
        wizard = self.env["fs.monthly.report"].browse(wizard_id)
        self.assertEqual((wizard.year, wizard.month), ("2025", "3"))
        # and the workbook of a good period downloads
        response = self.url_open(
            f"/report/download?data=%5B%22/report/xlsx/{REPORT}/{wizard_id}%22,%22xlsx%22%5D"
            f"&context=%7B%7D&token=1"
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
