"""The customer network operation report (客户网络运行报告): its figures are
the monthly workbook's and the pivots' for the same customer and month; its
guards (period over, remarks, state and figures by the buttons only, a
released report frozen); release archives, publishes and tells; the batch
job isolates each customer's failure."""

import hashlib
from datetime import date
from io import BytesIO
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.field_service_sla.tests.common import sh

from ..reports_core.monthly import TIER
from .monthly_common import MonthlyReportCase
from .test_monthly_report import REPORT as WORKBOOK
from .test_monthly_report import table

# the morning of 2 April 2026 in Shanghai: March is over
AFTER = sh(2026, 4, 2, 9, 0)
MARCH = date(2026, 3, 1)
MARCH_HOURS = 31 * 24


def no_commit(*args, **kwargs):
    return float("inf")


class OperationReportCase(MonthlyReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.fs_tz = "Asia/Shanghai"
        cls.water.account_manager_id = cls.account_manager
        cls.steel.account_manager_id = cls.account_manager
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Water Group NOC",
                "parent_id": cls.water.id,
                "type": "contact",
                "email": "noc@water.example.com",
                "phone": "13800138000",
            }
        )

    def _report(self, partner=None, **values):
        return self.env["fs.operation.report"].create(
            {
                "company_id": self.company.id,
                "partner_id": (partner or self.water).id,
                "date_from": MARCH,
                **values,
            }
        )

    def _refreshed(self, **values):
        report = self._report(**values)
        with freeze_time(AFTER):
            report.action_refresh()
        return report


@tagged("post_install", "-at_install")
class TestOperationFigures(OperationReportCase):
    def test_availability_of_each_line(self):
        report = self._refreshed()
        lines = {line.service_line_id: line for line in report.line_ids}
        self.assertEqual(set(lines), {self.line_aaa, self.line_aa})
        # T1 down 2 h, T2 6 h; T4 is excluded from assessment, no fault
        aaa = lines[self.line_aaa]
        self.assertAlmostEqual(aaa.outage_hours, 8.0)
        self.assertAlmostEqual(aaa.availability, 1 - 8 / MARCH_HOURS, places=5)
        self.assertEqual((aaa.fault_count, aaa.repeat_count), (2, 1))
        self.assertAlmostEqual(aaa.mean_restore_hours, 4.0)
        self.assertAlmostEqual(aaa.worst_restore_hours, 6.0)
        self.assertAlmostEqual(aaa.target_hours, 4.0)
        # T0 (February) was never restored nor closed: the line is down the
        # whole month, T3 within it is not counted twice
        aa = lines[self.line_aa]
        self.assertAlmostEqual(aa.outage_hours, MARCH_HOURS)
        self.assertEqual(aa.availability, 0.0)
        self.assertAlmostEqual(
            report.availability, 1 - (8 + MARCH_HOURS) / (2 * MARCH_HOURS), places=5
        )
        self.assertEqual((report.fault_count, report.repeat_count), (3, 2))
        self.assertEqual([point[0] for point in report.chart_data][-1], "2026-03")
        self.assertEqual(report.chart_data[-1][2], 3)

    def test_planned_work_is_not_out_of_service_and_is_stated(self):
        work = self.env["fs.planned.work"].create(
            {
                "name": "Core router swap",
                "reason": "Hardware end of life",
                "company_id": self.company.id,
                "date_start": sh(2026, 3, 10, 12, 0),
                "date_end": sh(2026, 3, 10, 14, 0),
                "line_ids": [(0, 0, {"service_line_id": self.line_aaa.id})],
            }
        )
        report = self._refreshed()
        aaa = report.line_ids.filtered(
            lambda line: line.service_line_id == self.line_aaa
        )
        self.assertAlmostEqual(aaa.outage_hours, 8.0)  # a draft was not announced
        work.sudo().with_context(fs_state_transition=True).write({"state": "done"})
        with freeze_time(AFTER):
            report.action_refresh()
        aaa = report.line_ids.filtered(
            lambda line: line.service_line_id == self.line_aaa
        )
        self.assertAlmostEqual(aaa.outage_hours, 6.0)  # T2's 12:00-14:00 was planned
        self.assertAlmostEqual(aaa.planned_hours, 2.0)
        values = report._fs_report_values()
        self.assertEqual(
            [w["reference"] for w in values["planned_works"]], [work.reference]
        )

    def test_the_pdf_the_workbook_and_the_pivots_say_the_same(self):
        """One customer (the only diamond one) and one month: the figures the
        PDF prints, the workbook's diamond row and availability sheet, the
        SLA on-time rates pivot and the operation figures pivot."""
        report = self._refreshed()
        with freeze_time(AFTER):
            html, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
                "field_service_reports.action_report_operation_report",
                report.ids,
            )
            content, _kind = self.env["ir.actions.report"]._render_xlsx(
                WORKBOOK, self._wizard().ids, data=None
            )
        html = html.decode()
        values = report._fs_report_values()
        book = openpyxl.load_workbook(BytesIO(content))
        [diamond] = table(book["By tier"])[self.diamond.name]
        # on-time rates per milestone
        kinds = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        pdf_rates = {
            m["kind"]: (m["on_time"], m["missed"]) for m in values["milestones"]
        }
        for label in kinds.values():
            column = f"{label} on time"
            if label not in pdf_rates:
                self.assertNotIn(column, diamond)
                continue
            on_time, missed = pdf_rates[label]
            self.assertAlmostEqual(diamond[column], on_time / (on_time + missed))
            self.assertIn(f"{100 * on_time / (on_time + missed):.1f}%", html)
        # the SLA on-time rates pivot, for this customer and month
        pivot = {}
        for month, kind, on_time, missed in self.env["fs.sla.clock"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("sla_outcome", "in", ("on_time", "missed")),
                ("severity_excluded", "=", False),
                ("ticket_id.commercial_partner_id", "=", self.water.id),
            ],
            ["ticket_reported_date:month", "kind"],
            ["on_time_count:sum", "missed_count:sum"],
        ):
            if (month.year, month.month) == (2026, 3):
                pivot[kinds[kind]] = (on_time, missed)
        self.assertEqual(pivot, pdf_rates)
        # faults, repeats, mean restore time
        self.assertEqual(
            diamond["Fault rate (faults per line)"],
            report.fault_count / len(report.line_ids),
        )
        self.assertAlmostEqual(
            diamond["Repeat-fault rate"], report.repeat_count / report.fault_count
        )
        self.assertAlmostEqual(
            diamond["Mean restore time (excl. pauses)"].total_seconds() / 3600,
            report.mean_restore_hours,
        )
        self.assertIn(values["total"]["mean"], html)
        self.assertEqual(values["total"]["faults"], report.fault_count)
        # availability: the workbook's sheet, the PDF, the pivot
        sheet = table(book["Availability"])
        water_rows = {row["Circuit ID"]: row for row in sheet[self.water.name]}
        for line in report.line_ids:
            row = water_rows[line.circuit_ref]
            self.assertAlmostEqual(row["Availability"], line.availability, places=5)
            self.assertEqual(row["Faults"], line.fault_count)
            self.assertEqual(row["Repeated faults"], line.repeat_count)
            self.assertIn(f"{line.availability * 100:.3f}%", html)
        [(availability, faults, outage)] = self.env[
            "fs.operation.report.line"
        ]._read_group(
            [("partner_id", "=", self.water.id), ("date_from", "=", MARCH)],
            [],
            ["availability:avg", "fault_count:sum", "outage_hours:sum"],
        )
        self.assertAlmostEqual(availability, report.availability, places=5)
        self.assertEqual(faults, report.fault_count)
        self.assertAlmostEqual(outage, report.outage_hours)
        self.assertIn(values["total"]["availability"], html)
        # the workbook's view by tier and the report's lines agree on lines
        figures_scope = report._fs_scope()
        figures = self.env["fs.monthly.report.data"]._figures(figures_scope)
        self.assertEqual(figures.views[TIER][self.diamond.id].lines, 2)


@tagged("post_install", "-at_install")
class TestOperationGuards(OperationReportCase):
    def test_a_period_not_yet_ended_is_not_released(self):
        report = self._report()
        with (
            freeze_time(sh(2026, 3, 31, 23, 30)),
            self.assertRaises(UserError) as caught,
        ):
            report.action_release()
        self.assertIn("not over yet", str(caught.exception))
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.attachment_id)

    def test_remarks_required_by_the_company(self):
        self.company.fs_operation_report_remarks_required = True
        report = self._report(remarks="  \n ")
        with freeze_time(AFTER), self.assertRaises(UserError) as caught:
            report.action_release()
        self.assertIn("remarks", str(caught.exception))
        self.assertEqual(report.state, "draft")
        report.remarks = "Stable month; one repeated fault on R-AAA-1."
        with freeze_time(AFTER):
            report.action_release()
        self.assertEqual(report.state, "released")

    def test_the_setting_is_in_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.fs_operation_report_remarks_required = True
        settings.save().execute()
        self.assertTrue(self.env.company.fs_operation_report_remarks_required)

    def test_state_and_figures_are_the_buttons(self):
        report = self._report(state="released", availability=1.0)
        self.assertEqual((report.state, report.availability), ("draft", 0.0))
        mine = report.with_user(self.account_manager)
        with self.assertRaises(UserError):
            mine.write({"state": "released"})
        with self.assertRaises(UserError):
            mine.with_context(fs_state_transition=True).write({"fault_count": 0})
        self.assertEqual(report.state, "draft")

    def test_bad_periods_and_customers(self):
        with self.assertRaises(ValidationError):
            self._report(date_from=date(2026, 3, 2))
        with self.assertRaises(ValidationError):
            self._report(period_kind="quarter", date_from=date(2026, 2, 1))
        contact = self.env["res.partner"].create(
            {"name": "Someone", "parent_id": self.water.id}
        )
        with self.assertRaises(ValidationError):
            self._report(partner=contact)
        quarter = self._report(period_kind="quarter", date_from=date(2026, 1, 1))
        self.assertEqual(quarter.date_to, date(2026, 3, 31))

    def test_a_released_report_is_frozen(self):
        report = self._refreshed(remarks="Fine.")
        with freeze_time(AFTER):
            report.action_release()
        for vals in ({"remarks": "Changed"}, {"date_from": date(2026, 2, 1)}):
            with self.assertRaises(UserError):
                report.write(vals)
        with self.assertRaises(UserError):
            report.unlink()
        with self.assertRaises(UserError):
            report.attachment_id.unlink()
        with self.assertRaises(UserError):
            report.attachment_id.write({"raw": b"forged"})
        with self.assertRaises(UserError):
            report.copy()
        with self.assertRaises(UserError):
            report.action_release()
        with self.assertRaises(UserError):
            report.action_refresh()


@tagged("post_install", "-at_install")
class TestOperationRelease(OperationReportCase):
    def test_release_archives_publishes_and_tells(self):
        form = Form(self.env["fs.operation.report"])
        form.partner_id = self.water
        form.date_from = MARCH
        form.remarks = "Stable month."
        report = form.save()
        self.assertEqual(report.user_id, self.account_manager)
        self.assertEqual(report.lang, "zh_CN")
        sms_before = self.env["sms.sms"].search_count([])
        with freeze_time(AFTER):
            report.action_release()
        self.assertEqual(report.state, "released")
        self.assertTrue(report.generated_date)  # computed on release
        pdf = report.attachment_id.raw
        self.assertEqual(report.pdf_hash, hashlib.sha256(pdf).hexdigest())
        self.assertEqual(report.attachment_id.res_id, report.id)
        message = report.message_ids.filtered(lambda m: self.contact in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.attachment_ids, report.attachment_id)
        sms = self.env["sms.sms"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["sms.sms"].search_count([]), sms_before + 1)
        self.assertIn("/my/operation-reports/", sms.body)
        self.assertEqual(sms.fs_company_id, self.company)


@tagged("post_install", "-at_install")
class TestOperationBatch(OperationReportCase):
    def _run(self, **values):
        form = Form(self.env["fs.operation.report.run"])
        form.company_id = self.company
        form.date_from = MARCH
        for tier in values.get("tiers", ()):
            form.tier_ids.add(tier)
        return form.save()

    def _process(self):
        Cron = type(self.env["ir.cron"])
        with (
            freeze_time(AFTER),
            patch.object(Cron, "_commit_progress", no_commit),
            patch.object(Cron, "_trigger", lambda *a, **k: None),
        ):
            return self.env["fs.operation.report.run"]._cron_process(batch_size=1)

    def test_a_batch_makes_drafts_and_isolates_a_failure(self):
        admin = self._user("report_sla_admin", "group_fs_sla_admin")
        run = self._run(tiers=[self.diamond, self.gold])
        with (
            freeze_time(AFTER),
            patch.object(type(self.env["ir.cron"]), "_trigger", lambda *a, **k: None),
        ):
            run.action_start()
        self.assertEqual(run.state, "queued")
        Report = type(self.env["fs.operation.report"])
        compute = Report._fs_compute_figures
        steel = self.steel

        def failing(reports, now=None):
            if reports.partner_id == steel:
                raise ValueError("no figures for you")
            return compute(reports, now=now)

        with patch.object(Report, "_fs_compute_figures", failing):
            self.assertTrue(self._process())
        self.assertEqual(run.state, "done")
        self.assertEqual(
            (run.total, run.done_count, run.created_count, run.failed_count),
            (2, 2, 1, 1),
        )
        self.assertIn("no figures for you", run.failure_log)
        reports = self.env["fs.operation.report"].search(
            [("company_id", "=", self.company.id), ("date_from", "=", MARCH)]
        )
        self.assertEqual(reports.partner_id, self.water)
        self.assertEqual(reports.user_id, self.account_manager)
        self.assertTrue(reports.line_ids)
        self.assertEqual(reports.activity_ids.user_id, self.account_manager)
        reports.remarks = "Fine."
        with freeze_time(AFTER):
            reports.action_release()
        self.assertFalse(reports.activity_ids)  # the to-do is done
        told = run.message_ids.filtered(lambda m: m.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertIn(admin.partner_id, told.partner_ids)
        # again: the made one is kept, the failed one made now
        again = self._run()
        with (
            freeze_time(AFTER),
            patch.object(type(self.env["ir.cron"]), "_trigger", lambda *a, **k: None),
        ):
            again.action_start()
        self._process()
        self.assertEqual((again.skipped_count, again.created_count), (1, 1))

    def test_a_batch_out_of_time_goes_on_where_it_stopped(self):
        run = self._run(tiers=[self.diamond, self.gold])
        with (
            freeze_time(AFTER),
            patch.object(type(self.env["ir.cron"]), "_trigger", lambda *a, **k: None),
        ):
            run.action_start()
        Cron = type(self.env["ir.cron"])
        Report = type(self.env["fs.operation.report"])
        compute = Report._fs_compute_figures
        water = self.water  # the first customer: it fails before the time runs out

        def failing(reports, now=None):
            if reports.partner_id == water:
                raise ValueError("no figures for you")
            return compute(reports, now=now)

        triggered = []
        with (
            freeze_time(AFTER),
            patch.object(Cron, "_commit_progress", lambda *a, **k: 0),
            patch.object(Cron, "_trigger", lambda *a, **k: triggered.append(1)),
            patch.object(Report, "_fs_compute_figures", failing),
        ):
            Run = self.env["fs.operation.report.run"]
            self.assertFalse(Run._cron_process(batch_size=1))  # out of time
            self.assertEqual((run.state, run.done_count), ("running", 1))
            self.assertTrue(triggered)
            for _call in range(3):
                if run.state != "done":
                    Run._cron_process(batch_size=1)
        self.assertEqual(
            (run.total, run.done_count, run.created_count, run.failed_count),
            (2, 2, 1, 1),
        )
        self.assertEqual(run.failed_partner_ids, self.water)

    def test_a_batch_of_a_period_not_over_is_refused(self):
        run = self._run()
        with freeze_time(sh(2026, 3, 20, 9, 0)), self.assertRaises(UserError):
            run.action_start()
        self.assertEqual(run.state, "draft")
        with self.assertRaises(UserError):
            run.write({"done_count": 5})

    def test_the_monthly_cron_prepares_last_months_drafts(self):
        Cron = type(self.env["ir.cron"])
        with (
            freeze_time(sh(2026, 4, 1, 1, 0)),
            patch.object(Cron, "_commit_progress", no_commit),
            patch.object(Cron, "_trigger", lambda *a, **k: None),
        ):
            self.env["fs.operation.report.run"]._cron_monthly()
        reports = self.env["fs.operation.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(set(reports.partner_id), {self.water, self.steel})
        self.assertEqual(set(reports.mapped("date_from")), {MARCH})
        self.assertEqual(set(reports.mapped("state")), {"draft"})


@tagged("post_install", "-at_install")
class TestOperationReportLanguage(OperationReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["field_service_sla", "field_service_reports"], ["zh_CN"]
        )

    def render(self, report):
        with freeze_time(AFTER):
            html, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
                "field_service_reports.action_report_operation_report", report.ids
            )
        return html.decode()

    def test_chinese_by_default_english_on_request(self):
        chinese = self._refreshed()
        html = self.render(chinese)
        self.assertIn("客户网络运行报告", html)
        self.assertIn("可用率", html)
        self.assertNotIn("Customer network operation report", html)
        english = self._refreshed(
            period_kind="quarter", date_from=date(2026, 1, 1), lang="en_US"
        )
        html = self.render(english)
        self.assertIn("Customer network operation report", html)
        self.assertNotIn("客户网络运行报告", html)
