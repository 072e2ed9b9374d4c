"""The automatic-dispatch sheet of the monthly workbook: per area and per
team, the month's fault orders and the automatic-dispatch success rate
(自动派单成功率): orders dispatched automatically / orders dispatched in any
way (automatically, queued for a dispatcher, by a dispatcher). An order
belongs to the month of its ticket, as every figure of the report."""

from odoo import api, models

from odoo.addons.field_service_sla.sla_core.monthly import share

# the grouping of each row: 0b01 area (team left out), 0b10 team, 0b11 total
DISPATCH_SQL = """
SELECT GROUPING(o.fs_area_id, o.team_id), o.fs_area_id, o.team_id,
       count(*),
       count(*) FILTER (WHERE o.fs_dispatch_mode = 'auto'),
       count(*) FILTER (WHERE o.fs_dispatch_mode = 'queue'),
       count(*) FILTER (WHERE o.fs_dispatch_mode = 'manual')
  FROM helpdesk_ticket t
  JOIN fsm_order o ON o.ticket_id = t.id
 WHERE %(scope)s AND o.fs_dispatch_mode IS NOT NULL
 GROUP BY GROUPING SETS ((o.fs_area_id), (o.team_id), ())
"""
AREA, TEAM, TOTAL = "area", "team", "total"
VIEW_OF_GROUPING = {0b01: AREA, 0b10: TEAM, 0b11: TOTAL}


class FsMonthlyReportData(models.AbstractModel):
    _inherit = "fs.monthly.report.data"

    @api.model
    def _dispatch(self, scope):
        """``{"area": {area id: counts}, "team": {team id: counts}, "total":
        counts}``, counts being ``(orders, auto, queue, manual)``; one
        query."""
        result = {AREA: {}, TEAM: {}, TOTAL: (0, 0, 0, 0)}
        for grouping, area, team, *counts in self._execute(
            DISPATCH_SQL, scope=self._scope_sql(scope)
        ):
            view = VIEW_OF_GROUPING[grouping]
            if view == TOTAL:
                result[TOTAL] = tuple(counts)
            else:
                result[view][area if view == AREA else team] = tuple(counts)
        return result


def write_dispatch_sheet(book, dispatch):
    """Write the sheet into ``book`` (a MonthlyWorkbook): one row per area,
    then per team, then the total."""
    _ = book.env._
    columns = [
        (_("By"), 12),
        (_("Area or team"), 28),
        (_("Fault orders"), 12),
        (_("Dispatched automatically"), 14),
        (_("Dispatcher's queue"), 12),
        (_("By a dispatcher"), 12),
        (_("Automatic-dispatch success rate"), 14),
    ]
    title = _("Automatic dispatch: success rate per area and team")
    sheet = book._sheet(book.workbook, _("Automatic dispatch"), title, columns, 2)
    row = FIRST_ROW = 3
    for view, label, model, none_label in (
        (AREA, _("Area"), "res.territory", _("No area")),
        (TEAM, _("Team"), "fsm.team", _("No team")),
    ):
        groups = dispatch[view]
        records = (
            book.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", [key for key in groups if key])])
        )
        keys = [record.id for record in records] + ([None] if None in groups else [])
        for key in keys:
            name = book._names(model, key) if key else none_label
            book._write_row(sheet, row, _cells(label, name, groups[key]))
            row += 1
    if row > FIRST_ROW:
        sheet.autofilter(FIRST_ROW - 1, 0, row - 1, len(columns) - 1)
    book._write_row(
        sheet, row, _cells(_("Total"), "", dispatch[TOTAL]), total=True
    )


def _cells(label, name, counts):
    orders, auto, queue, manual = counts
    return [
        (label, "text"),
        (name, "text"),
        (orders, "int"),
        (auto, "int"),
        (queue, "int"),
        (manual, "int"),
        (share(auto, orders), "pct"),
    ]
