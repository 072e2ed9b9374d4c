"""Service lines' figures and availability, for the monthly workbook's
availability sheet, the operation report and its pivot: one definition
(reports_core.availability, reports_core.operation_report.LineFigures), a
few grouped queries per scope whatever the number of tickets."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..reports_core.availability import line_availability
from ..reports_core.operation_report import LineFigures

# the planned works whose windows on a line are not out of service: those
# announced to the customers, and those done or rolled back after it
ANNOUNCED_OR_HELD = ("notified", "confirmed", "in_progress", "done", "rolled_back")

# per line, the scope's tickets as the monthly figures count them
LINE_TICKETS_SQL = """
SELECT t.service_line_id,
       count(*) FILTER (WHERE t.fs_is_fault),
       count(*) FILTER (WHERE t.fs_is_fault AND t.fs_repeated_fault),
       count(t.restored_date),
       COALESCE(sum(t.restore_duration_hours)
                FILTER (WHERE t.restored_date IS NOT NULL), 0),
       max(t.restore_duration_hours) FILTER (WHERE t.restored_date IS NOT NULL)
  FROM helpdesk_ticket t
 WHERE %(scope)s AND t.service_line_id IS NOT NULL
 GROUP BY t.service_line_id
"""

LINE_MILESTONES_SQL = """
SELECT t.service_line_id, sum(c.on_time_count), sum(c.missed_count),
       max(c.target_hours) FILTER (WHERE c.kind = 'restored')
  FROM helpdesk_ticket t
  JOIN fs_sla_clock c ON c.ticket_id = t.id
 WHERE %(scope)s AND t.service_line_id IS NOT NULL
 GROUP BY t.service_line_id
"""

# the lines of the scope: in service, or with a fault in the period
SCOPE_LINES_SQL = """
SELECT l.id
  FROM fs_service_line l
  JOIN res_partner p ON p.id = l.partner_id
 WHERE l.company_id = %(company)s AND %(customers)s
   AND (l.active OR EXISTS (
        SELECT 1 FROM helpdesk_ticket t
         WHERE t.service_line_id = l.id AND %(scope)s AND t.fs_is_fault))
"""

# a fault is out of service from its report to its restore (or, never
# restored, its close); one still open is out until the period's end
OUTAGES_SQL = """
SELECT t.service_line_id, t.reported_date, COALESCE(t.restored_date, t.closed_date)
  FROM helpdesk_ticket t
 WHERE t.service_line_id = ANY(%(lines)s) AND t.active AND t.fs_is_fault
   AND t.reported_date < %(end)s
   AND (COALESCE(t.restored_date, t.closed_date) IS NULL
        OR COALESCE(t.restored_date, t.closed_date) > %(start)s)
"""

PLANNED_SQL = """
SELECT pl.service_line_id, w.date_start, w.date_end
  FROM fs_planned_work_line pl
  JOIN fs_planned_work w ON w.id = pl.planned_work_id
 WHERE pl.service_line_id = ANY(%(lines)s) AND w.state IN %(states)s
   AND w.date_start < %(end)s AND w.date_end > %(start)s
"""


class FsMonthlyReportData(models.AbstractModel):
    _inherit = "fs.monthly.report.data"

    @api.model
    def _customers_sql(self, scope):
        if not scope.partner_ids:
            return SQL("TRUE")
        return SQL(
            "COALESCE(p.commercial_partner_id, p.id) = ANY(%s)",
            list(scope.partner_ids),
        )

    @api.model
    def _scope_lines(self, scope):
        rows = self._execute(
            SCOPE_LINES_SQL,
            company=scope.company_id,
            customers=self._customers_sql(scope),
            scope=self._scope_sql(scope),
        )
        return sorted(row[0] for row in rows)

    @api.model
    def _line_figures(self, scope, now=None):
        """``{line id: LineFigures}`` for the scope's lines (its customers'
        lines in service, and those with a fault in the period): faults,
        repeats and restores of the tickets the monthly figures count, the
        milestones' on-time counts, the restore target of their clocks, and
        the availability over the period (``_availability``)."""
        scope_sql = self._scope_sql(scope)
        result = {line: LineFigures(line) for line in self._scope_lines(scope)}
        for line, faults, repeats, restored, hours, worst in self._execute(
            LINE_TICKETS_SQL, scope=scope_sql
        ):
            figures = result.setdefault(line, LineFigures(line))
            figures.faults, figures.repeats = faults, repeats
            figures.restored, figures.restore_hours = restored, hours or 0.0
            figures.worst_hours = worst
        for line, on_time, missed, target in self._execute(
            LINE_MILESTONES_SQL, scope=scope_sql
        ):
            figures = result.setdefault(line, LineFigures(line))
            figures.on_time, figures.missed = on_time or 0, missed or 0
            figures.target_hours = target
        for line, availability in self._availability(
            scope, list(result), now=now
        ).items():
            result[line].availability = availability
        return result

    @api.model
    def _availability(self, scope, line_ids, now=None, bounds=None):
        """``{line id: Availability}`` of ``line_ids`` over the scope's
        period (or each of ``bounds``, UTC ``(start, end)`` pairs: then
        ``{line id: [Availability]}``), from two queries: the lines' faults
        and their announced planned-work windows."""
        now = now or fields.Datetime.now()
        periods = bounds or [(scope.start, scope.end)]
        if not line_ids:
            return {}
        start = min(s for s, _e in periods)
        end = max(e for _s, e in periods)
        outages = {line: [] for line in line_ids}
        planned = {line: [] for line in line_ids}
        for line, down, back in self._execute(
            OUTAGES_SQL, lines=list(line_ids), start=start, end=end
        ):
            outages[line].append((down, back))
        for line, window_start, window_end in self._execute(
            PLANNED_SQL,
            lines=list(line_ids),
            states=ANNOUNCED_OR_HELD,
            start=start,
            end=end,
        ):
            planned[line].append((window_start, window_end))
        result = {}
        for line in line_ids:
            each = [
                line_availability(s, e, outages[line], planned[line], now)
                for s, e in periods
            ]
            result[line] = each if bounds else each[0]
        return result
