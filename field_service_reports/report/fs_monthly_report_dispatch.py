"""The figures of the monthly workbook's automatic-dispatch sheet
(``monthly_sheets/dispatch.py``): per area and per team, the month's fault
orders and the automatic-dispatch success rate (自动派单成功率): orders
dispatched automatically / orders dispatched in any way (automatically,
queued for a dispatcher, by a dispatcher). An order belongs to the month of
its ticket, as every figure of the report."""

from odoo import api, models

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
