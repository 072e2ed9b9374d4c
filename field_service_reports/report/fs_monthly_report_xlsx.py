from datetime import datetime, time

import pytz

from odoo import fields, models

from odoo.addons.field_service_sla.models.fs_sla_milestone import MILESTONE_KINDS
from odoo.addons.field_service_sla.sla_core.monthly import (
    MISSED,
    SERVICE_TYPE,
    TEAM,
    TIER,
)

from .fs_monthly_report_availability_sheet import write_availability_sheet
from .fs_monthly_report_dispatch import write_dispatch_sheet

# where the table of every sheet starts: two title rows, then the header
HEADER_ROW = 2
FIRST_ROW = HEADER_ROW + 1
TREND_MONTHS = 12
# a duration cell holds days: Excel shows [h]:mm from it
HOURS_PER_DAY = 24.0
WIDTH = {"name": 28, "number": 12, "text": 40, "date": 17, "ticket": 14}


class NameCache:
    """Display names of the few tiers, service types and teams the detail
    rows refer to, read once each in the reader's language."""

    def __init__(self, env):
        self.env, self.cache = env, {}

    def __call__(self, model, record_id):
        if not record_id:
            return ""
        key = (model, record_id)
        if key not in self.cache:
            record = self.env[model].with_context(active_test=False).browse(record_id)
            self.cache[key] = record.sudo().display_name
        return self.cache[key]


class FsMonthlyReportXlsx(models.AbstractModel):
    """The monthly customer-response workbook (客户响应月报), written in
    xlsxwriter's constant-memory mode: a row leaves memory once the next one
    starts, so the detail rows never pile up."""

    _name = "report.field_service_reports.fs_monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly customer-response workbook"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        scope = wizard._check_request()
        MonthlyWorkbook(self.env, workbook, wizard, scope).write(
            self.env["fs.monthly.report.data"]
        )


class MonthlyWorkbook:
    """One sheet per view (tier, service type, team), the breaches and the
    excluded tickets (streamed row by row), the equipment replaced on site,
    the on-time rates of the last twelve months with their chart, and what
    every figure means."""

    def __init__(self, env, workbook, wizard, scope):
        self.env, self.workbook = env, workbook
        self.wizard, self.scope = wizard, scope
        self._formats = self._make_formats(workbook)
        self._names = NameCache(env)
        self._tz = pytz.timezone(scope.tz)
        self._subtitle = self._subtitle_of(wizard, scope)

    def write(self, source):
        workbook, scope = self.workbook, self.scope
        figures = source._figures(scope)
        _ = self.env._
        chart_sheet = workbook.add_chartsheet(_("On-time chart"))
        kind_labels = self._selection("fs.sla.clock", "kind")
        kinds = figures.kinds([kind for kind, _label in MILESTONE_KINDS])
        for view, sheet_name, label, model in (
            (TIER, _("By tier"), _("Customer tier"), "fs.customer.tier"),
            (SERVICE_TYPE, _("By service type"), _("Service type"), "fs.service.type"),
            (TEAM, _("By team"), _("Team"), "helpdesk.ticket.team"),
        ):
            self._write_view(
                workbook, sheet_name, label, model, figures, view, kinds, kind_labels
            )
        write_dispatch_sheet(self, source._dispatch(scope))
        # the operation reports' figures, all customers (issue 19)
        write_availability_sheet(self, source._line_figures(scope))
        self._write_breaches(workbook, source._breach_rows(scope), kind_labels)
        self._write_excluded(workbook, source._excluded_rows(scope))
        self._write_equipment(workbook, source._equipment(scope))
        months, trend = source._trend(scope, TREND_MONTHS)
        trend_sheet = self._write_trend(workbook, months, trend)
        self._write_chart(workbook, chart_sheet, trend_sheet, months, trend)
        self._write_about(workbook, self.wizard, scope)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @staticmethod
    def _make_formats(workbook):
        base = {"valign": "top"}
        specs = {
            "title": {"bold": True, "font_size": 14},
            "subtitle": {"italic": True, "font_color": "#555555"},
            "header": {
                "bold": True,
                "text_wrap": True,
                "bg_color": "#D9E1F2",
                "border": 1,
            },
            "text": {},
            "wrap": {"text_wrap": True},
            "int": {"num_format": "#,##0"},
            "pct": {"num_format": "0.0%"},
            "rate": {"num_format": "0.00"},
            "duration": {"num_format": "[h]:mm"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
            "month": {"num_format": "yyyy-mm", "align": "left"},
        }
        formats = {}
        for name, spec in specs.items():
            formats[name] = workbook.add_format({**base, **spec})
            formats[f"total_{name}"] = workbook.add_format(
                {**base, **spec, "bold": True, "top": 1}
            )
        return formats

    def _selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _subtitle_of(self, wizard, scope):
        teams = ", ".join(wizard.team_ids.mapped("name")) or self.env._("all teams")
        return self.env._(
            "%(company)s, %(month)s, %(teams)s (reported in the month, time zone "
            "%(tz)s)",
            company=wizard.company_id.name,
            month=str(scope.month),
            teams=teams,
            tz=scope.tz,
        )

    def _local(self, moment):
        return pytz.utc.localize(moment).astimezone(self._tz).replace(tzinfo=None)

    def _sheet(self, workbook, name, title, columns, freeze_columns=1):
        """A sheet with its title rows and header row; ``columns`` are
        (header, width) pairs. Frozen below the header."""
        sheet = workbook.add_worksheet(name)
        formats = self._formats
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, self._subtitle, formats["subtitle"])
        sheet.set_row(HEADER_ROW, 45)
        for col, (header, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(HEADER_ROW, col, header, formats["header"])
        sheet.freeze_panes(FIRST_ROW, freeze_columns)
        return sheet

    def _write_row(self, sheet, row, cells, total=False):
        """``cells`` are (value, format name). An empty value writes no cell
        at all (a detail sheet has tens of thousands of rows), but on a total
        row, whose cells carry a border."""
        prefix = "total_" if total else ""
        for col, (value, fmt) in enumerate(cells):
            style = self._formats[prefix + fmt]
            if value is None or value == "":
                if total:
                    sheet.write_blank(row, col, None, style)
            elif fmt in ("datetime", "month"):
                sheet.write_datetime(row, col, value, style)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, style)
            else:
                sheet.write_number(row, col, value, style)

    def _row_writer(self, sheet, kinds):
        """A row writer for the detail sheets, which may have tens of
        thousands of rows: ``kinds`` are the columns' formats; text is
        written as a string, anything else as a number (times come from SQL
        as Excel serial days); an empty value writes no cell."""
        plan = [
            (sheet.write_string if kind == "text" else sheet.write_number, style)
            for kind, style in ((kind, self._formats[kind]) for kind in kinds)
        ]

        def write(row, values):
            for col, ((writer, style), value) in enumerate(
                zip(plan, values, strict=True)
            ):
                if value is not None and value != "":
                    writer(row, col, value, style)

        return write

    @staticmethod
    def _days(hours):
        return None if hours is None else hours / HOURS_PER_DAY

    # ------------------------------------------------------------------
    # the three views
    # ------------------------------------------------------------------
    def _write_view(
        self, workbook, sheet_name, label, model, figures, view, kinds, kind_labels
    ):
        _ = self.env._
        columns = [(label, WIDTH["name"]), (_("Tickets"), WIDTH["number"])]
        columns += [
            (_("%s on time", kind_labels.get(kind, kind)), WIDTH["number"])
            for kind in kinds
        ]
        columns += [
            (_("Milestones on time"), WIDTH["number"]),
            (_("Milestones missed"), WIDTH["number"]),
            (_("Milestones not assessed yet"), WIDTH["number"]),
            (_("Breaches counted"), WIDTH["number"]),
            (_("Restored tickets"), WIDTH["number"]),
            (_("Mean restore time (excl. pauses)"), WIDTH["number"]),
            (_("Faults"), WIDTH["number"]),
            (_("Service lines"), WIDTH["number"]),
            (_("Fault rate (faults per line)"), WIDTH["number"]),
            (_("Repeated faults"), WIDTH["number"]),
            (_("Repeat-fault rate"), WIDTH["number"]),
        ]
        title = _("Monthly customer-response report: %s", sheet_name)
        sheet = self._sheet(workbook, sheet_name, title, columns)
        groups = self._ordered(model, figures.views[view])
        none_label = {
            TIER: _("No tier"),
            SERVICE_TYPE: _("No service type"),
            TEAM: _("No team"),
        }[view]
        row = FIRST_ROW
        for group in groups:
            name = self._names(model, group.key) if group.key else none_label
            self._write_row(sheet, row, self._view_cells(name, group, kinds))
            row += 1
        if groups:
            sheet.autofilter(HEADER_ROW, 0, row - 1, len(columns) - 1)
        totals = figures.totals
        self._write_row(
            sheet,
            row,
            self._view_cells(_("Total"), totals, kinds),
            total=True,
        )

    def _view_cells(self, name, group, kinds):
        """A team has no lines of its own (no fault rate); the total row
        divides by the company's lines in every view."""
        milestones = group.all_milestones
        return [
            (name, "text"),
            (group.tickets, "int"),
            *((group.counts(kind).on_time_rate, "pct") for kind in kinds),
            (milestones.on_time, "int"),
            (milestones.missed, "int"),
            (milestones.open, "int"),
            (group.breaches, "int"),
            (group.restored, "int"),
            (self._days(group.mean_restore_hours), "duration"),
            (group.faults, "int"),
            (group.lines, "int"),
            (group.fault_rate, "rate"),
            (group.repeats, "int"),
            (group.repeat_rate, "pct"),
        ]

    def _ordered(self, model, groups):
        """The groups in the order of their model (tiers and service types
        by sequence, teams by theirs), the one without a record last."""
        ids = [key for key in groups if key]
        records = (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", ids)])
        )
        ordered = [groups[record.id] for record in records]
        if None in groups:
            ordered.append(groups[None])
        return ordered

    # ------------------------------------------------------------------
    # detail rows
    # ------------------------------------------------------------------
    def _ticket_columns(self):
        _ = self.env._
        return [
            (_("Ticket"), WIDTH["ticket"]),
            (_("Title"), WIDTH["text"]),
            (_("Customer"), WIDTH["name"]),
            (_("Customer tier"), WIDTH["number"]),
            (_("Service type"), WIDTH["name"]),
            (_("Team"), WIDTH["name"]),
            (_("Reported at"), WIDTH["date"]),
        ]

    TICKET_KINDS = ("text", "text", "text", "text", "text", "text", "datetime")

    def _ticket_cells(self, number, title, customer, tier, stype, team, reported):
        names = self._names
        return (
            number,
            title,
            customer,
            names("fs.customer.tier", tier),
            names("fs.service.type", stype),
            names("helpdesk.ticket.team", team),
            reported,
        )

    def _write_breaches(self, workbook, rows, kind_labels):
        _ = self.env._
        columns = self._ticket_columns() + [
            (_("Milestone"), WIDTH["name"]),
            (_("Deadline"), WIDTH["date"]),
            (_("Reached at"), WIDTH["date"]),
            (_("Reached late by"), WIDTH["number"]),
            (_("Assessment"), WIDTH["name"]),
            (_("Waiver reason"), WIDTH["text"]),
            (_("Waived by"), WIDTH["name"]),
            (_("Cause found on site"), WIDTH["text"]),
        ]
        title = _("Missed milestones and breaches, with their reasons")
        sheet = self._sheet(workbook, _("Breaches"), title, columns)
        write = self._row_writer(
            sheet,
            self.TICKET_KINDS
            + ("text", "datetime", "datetime", "duration", "text", "text")
            + ("text", "text"),
        )
        causes = self._selection("fsm.order", "fs_cause_category")
        statuses = {
            "breached": _("Breached"),
            "never": _("Never reached (ticket closed)"),
            "waived": _("Breach waived"),
        }
        row = FIRST_ROW
        for (
            *ticket,
            kind,
            deadline,
            reached,
            late_days,
            outcome,
            breach_count,
            waived,
            waiver_reason,
            waived_by,
            cause_codes,
            cause_other,
        ) in rows:
            if breach_count:
                status = statuses["breached"]
            elif outcome == MISSED:
                status = statuses["never"]
            else:
                status = statuses["waived"]
            cause = ", ".join(causes.get(code, code) for code in cause_codes or ())
            if cause_other:
                cause = f"{cause}: {cause_other}" if cause else cause_other
            write(
                row,
                self._ticket_cells(*ticket)
                + (
                    kind_labels.get(kind, kind),
                    deadline,
                    reached,
                    late_days,
                    status,
                    waiver_reason if waived else None,
                    waived_by if waived else None,
                    cause,
                ),
            )
            row += 1
        sheet.autofilter(HEADER_ROW, 0, max(row - 1, HEADER_ROW), len(columns) - 1)

    def _write_excluded(self, workbook, rows):
        _ = self.env._
        columns = self._ticket_columns() + [
            (_("Severity"), WIDTH["number"]),
            (_("Reason for the exclusion"), WIDTH["text"]),
        ]
        title = _("Tickets excluded from assessment: listed, counted in no figure")
        sheet = self._sheet(workbook, _("Excluded tickets"), title, columns)
        write = self._row_writer(sheet, self.TICKET_KINDS + ("text", "text"))
        severities = self._selection("helpdesk.ticket", "severity")
        row = FIRST_ROW
        for *ticket, severity, reason in rows:
            write(
                row,
                self._ticket_cells(*ticket)
                + (severities.get(severity, severity), reason),
            )
            row += 1
        sheet.autofilter(HEADER_ROW, 0, max(row - 1, HEADER_ROW), len(columns) - 1)

    # ------------------------------------------------------------------
    # equipment
    # ------------------------------------------------------------------
    def _write_equipment(self, workbook, equipment):
        _ = self.env._
        [total] = equipment["total"] or [(None, None, None, None, 0)]
        total_count = total[-1]
        columns = [
            (_("Device type"), WIDTH["name"]),
            (_("Model"), WIDTH["name"]),
            (_("Supplier"), WIDTH["name"]),
            (_("First cause of failure"), WIDTH["text"]),
            (_("Replaced"), WIDTH["number"]),
            (_("Share"), WIDTH["number"]),
        ]
        title = _("Equipment replaced on site in the month")
        sheet = self._sheet(workbook, _("Equipment"), title, columns)
        row = FIRST_ROW
        for *names, count in equipment["detail"]:
            cells = [(name or "", "text") for name in names]
            cells += [(count, "int"), (count / total_count, "pct")]
            self._write_row(sheet, row, cells)
            row += 1
        if equipment["detail"]:
            sheet.autofilter(HEADER_ROW, 0, row - 1, len(columns) - 1)
        blank = (None, "text")
        self._write_row(
            sheet,
            row,
            [(_("Total"), "text"), blank, blank, blank]
            + [(total_count, "int"), (1.0 if total_count else None, "pct")],
            total=True,
        )
        self._write_equipment_rankings(workbook, equipment, total_count)

    def _write_equipment_rankings(self, workbook, equipment, total_count):
        """Four rankings side by side: by device type, model, supplier and
        first cause, each largest first."""
        _ = self.env._
        rankings = [
            (_("Device type"), [(r[0], r[-1]) for r in equipment["device_type"]]),
            (
                _("Model"),
                [(f"{r[0]} {r[1]}", r[-1]) for r in equipment["device_model"]],
            ),
            (_("Supplier"), [(r[2], r[-1]) for r in equipment["supplier"]]),
            (
                _("First cause of failure"),
                [(r[3], r[-1]) for r in equipment["failure_cause"]],
            ),
        ]
        columns = []
        for label, _rows in rankings:
            columns += [
                (label, WIDTH["name"]),
                (_("Replaced"), WIDTH["number"]),
                (_("Share"), WIDTH["number"]),
                ("", 2),
            ]
        title = _(
            "Equipment fault statistics by device type, model, supplier and cause"
        )
        sheet = self._sheet(
            workbook, _("Equipment ranking"), title, columns, freeze_columns=0
        )
        depth = max((len(rows) for _label, rows in rankings), default=0)
        for i in range(depth):
            cells = []
            for _label, rows in rankings:
                name, count = rows[i] if i < len(rows) else (None, None)
                cells += [
                    (name or ("" if count is None else "-"), "text"),
                    (count, "int"),
                    (count / total_count if count else None, "pct"),
                    (None, "text"),
                ]
            self._write_row(sheet, FIRST_ROW + i, cells)

    # ------------------------------------------------------------------
    # trend and chart
    # ------------------------------------------------------------------
    def _trend_tiers(self, trend):
        tier_ids = {tier for _month, tier in trend if tier}
        tiers = (
            self.env["fs.customer.tier"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", list(tier_ids))])
        )
        keys = [(tier.id, tier.display_name) for tier in tiers]
        if any(tier is None for _month, tier in trend):
            keys.append((None, self.env._("No tier")))
        return keys

    def _write_trend(self, workbook, months, trend):
        _ = self.env._
        tiers = self._trend_tiers(trend)
        columns = [(_("Month"), WIDTH["number"])]
        columns += [(name, WIDTH["number"]) for _tier, name in tiers]
        columns.append((_("All tiers"), WIDTH["number"]))
        title = _("On-time rate of all milestones, by month and tier")
        sheet = self._sheet(workbook, _("On-time by month"), title, columns)
        for i, month in enumerate(months):
            # a date, not text: in constant-memory mode the chart gets no
            # cached values, and Excel reads numeric categories back right
            cells = [(datetime.combine(month.first_day, time()), "month")]
            on_time = assessed = 0
            for tier, _name in tiers:
                counts = trend.get((month, tier))
                cells.append((counts.on_time_rate if counts else None, "pct"))
                if counts:
                    on_time += counts.on_time
                    assessed += counts.assessed
            cells.append((on_time / assessed if assessed else None, "pct"))
            self._write_row(sheet, FIRST_ROW + i, cells)
        sheet.autofilter(HEADER_ROW, 0, FIRST_ROW + len(months) - 1, len(columns) - 1)
        return sheet, len(columns)

    def _write_chart(self, workbook, chart_sheet, trend_sheet, months, trend):
        _ = self.env._
        sheet, width = trend_sheet
        name = sheet.get_name()
        last = FIRST_ROW + len(months) - 1
        chart = workbook.add_chart({"type": "line"})
        for col in range(1, width):
            chart.add_series(
                {
                    "name": [name, HEADER_ROW, col],
                    "categories": [name, FIRST_ROW, 0, last, 0],
                    "values": [name, FIRST_ROW, col, last, col],
                    "marker": {"type": "circle"},
                    "line": {"width": 3.0 if col == width - 1 else 1.75},
                }
            )
        chart.set_title({"name": _("On-time rate by month and tier")})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_x_axis({"name": _("Month reported"), "num_format": "yyyy-mm"})
        chart.set_legend({"position": "bottom"})
        chart.show_blanks_as("gap")
        chart_sheet.set_chart(chart)

    # ------------------------------------------------------------------
    # what the figures mean
    # ------------------------------------------------------------------
    def _write_about(self, workbook, wizard, scope):
        _ = self.env._
        sheet = workbook.add_worksheet(_("About"))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 100)
        formats = self._formats
        sheet.write_string(
            0, 0, _("Monthly customer-response report"), formats["title"]
        )
        now = self._local(fields.Datetime.now())
        rows = [
            (_("Company"), wizard.company_id.name),
            (_("Month"), str(scope.month)),
            (
                _("Teams"),
                ", ".join(wizard.team_ids.mapped("name")) or _("all teams"),
            ),
            (_("Time zone"), scope.tz),
            (_("Produced by"), self.env.user.name),
            (_("Produced at"), now.strftime("%Y-%m-%d %H:%M")),
            (
                _("Tickets"),
                _(
                    "Those reported in the month, of the company and teams "
                    "chosen; archived tickets are left out."
                ),
            ),
            (
                _("Excluded tickets"),
                _(
                    "A ticket excluded from assessment leaves every figure; it "
                    "is listed with its reason on its own sheet."
                ),
            ),
            (
                _("On time"),
                _(
                    "A milestone reached without a counted breach, or whose "
                    "breach an SLA administrator waived."
                ),
            ),
            (
                _("Missed"),
                _(
                    "A milestone with a counted breach, or one a closed ticket "
                    "never reached: closing a ticket stops its clocks, it does "
                    "not excuse them."
                ),
            ),
            (
                _("Not assessed yet"),
                _(
                    "A milestone not reached on a ticket still open, or running "
                    "after the close (the fault report): in no rate."
                ),
            ),
            (
                _("On-time rate"),
                _(
                    "On time / (on time + missed), per milestone; empty when no "
                    "milestone was assessed. The SLA on-time rates pivot shows "
                    "the same counts."
                ),
            ),
            (
                _("Mean restore time"),
                _(
                    "From the report to service restored, paused time excluded, "
                    "averaged over the tickets restored."
                ),
            ),
            (
                _("Fault rate"),
                _(
                    "Faults (tickets on a service line) per service line: the "
                    "lines in service plus those withdrawn that had a fault in "
                    "the month. A team has no lines of its own: no fault rate "
                    "per team."
                ),
            ),
            (
                _("Repeat-fault rate"),
                _(
                    "Share of the faults whose line had another fault within the "
                    "repeat window of the customer's tier (30 days by default) "
                    "before it."
                ),
            ),
            (
                _("Reached late by"),
                _("Clock time between the deadline and the reach."),
            ),
            (
                _("Automatic-dispatch success rate"),
                _(
                    "Fault orders dispatched automatically to the crew covering "
                    "their area / fault orders dispatched in any way "
                    "(automatically, queued for a dispatcher, or by a "
                    "dispatcher), per area and team, for the month's tickets."
                ),
            ),
        ]
        for i, (label, text) in enumerate(rows, start=2):
            sheet.write_string(i, 0, label, formats["header"])
            sheet.write_string(i, 1, text, formats["wrap"])
