from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import pytz

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.field_service_sla.sla_core import visits

from ..reports_core.monthly import (
    SERVICE_TYPE,
    TEAM,
    TIER,
    TOTAL,
    MilestoneCounts,
    Month,
    MonthlyFigures,
)

# the report's views and the ticket column each one groups by
VIEW_COLUMNS = (
    (TIER, "customer_tier_id"),
    (SERVICE_TYPE, "service_type_id"),
    (TEAM, "team_id"),
)
# GROUPING(tier, service type, team) of each grouping set: a bit is 1 for a
# column the set leaves out
VIEW_OF_GROUPING = {0b011: TIER, 0b101: SERVICE_TYPE, 0b110: TEAM, 0b111: TOTAL}
# detail rows are fetched from a server-side cursor this many at a time, so
# that memory never holds more than a batch of them
FETCH_BATCH = 2000
# why a ticket is excluded: the reason of its latest exclusion in the
# severity log (field_service_sla's fs.severity.change)
EXCLUSION_REASON_SQL = """(
    SELECT c.reason FROM fs_severity_change c
     WHERE c.ticket_id = t.id AND c.source = 'exclusion'
  ORDER BY c.date DESC, c.id DESC LIMIT 1)"""

# a fault is field_service_sla's ``fs_is_fault`` (not excluded, not
# maintenance work, on a line), a repeat its stored ``fs_repeated_fault``: the
# same definitions as the customer's rates and the visit trigger
TICKET_FIGURES_SQL = """
SELECT GROUPING(t.customer_tier_id, t.service_type_id, t.team_id),
       t.customer_tier_id, t.service_type_id, t.team_id,
       count(*), count(t.restored_date),
       COALESCE(sum(t.restore_duration_hours)
                FILTER (WHERE t.restored_date IS NOT NULL), 0),
       count(*) FILTER (WHERE t.fs_is_fault),
       count(*) FILTER (WHERE t.fs_is_fault AND t.fs_repeated_fault)
  FROM helpdesk_ticket t
 WHERE %(scope)s
 GROUP BY GROUPING SETS ((t.customer_tier_id), (t.service_type_id), (t.team_id), ())
"""

MILESTONE_FIGURES_SQL = """
SELECT GROUPING(t.customer_tier_id, t.service_type_id, t.team_id),
       t.customer_tier_id, t.service_type_id, t.team_id, c.kind,
       sum(c.on_time_count), sum(c.missed_count),
       count(*) FILTER (WHERE c.sla_outcome = 'open'), sum(c.breach_count)
  FROM helpdesk_ticket t
  JOIN fs_sla_clock c ON c.ticket_id = t.id
 WHERE %(scope)s
 GROUP BY GROUPING SETS (
     (t.customer_tier_id, c.kind), (t.service_type_id, c.kind),
     (t.team_id, c.kind), (c.kind)
 )
"""

# the lines a fault rate divides by: those in service, plus those that had a
# fault in the month (a withdrawn line keeps its faults), per tier and type
LINE_FIGURES_SQL = """
WITH lines AS (
    SELECT l.id, cp.customer_tier_id AS tier_id, l.service_type_id AS type_id
      FROM fs_service_line l
      JOIN res_partner p ON p.id = l.partner_id
      JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
     WHERE l.company_id = %(company)s AND l.active AND %(customers)s
     UNION
    SELECT t.service_line_id, t.customer_tier_id, t.service_type_id
      FROM helpdesk_ticket t
     WHERE %(scope)s AND t.fs_is_fault
)
SELECT GROUPING(tier_id, type_id), tier_id, type_id, count(DISTINCT id)
  FROM lines
 GROUP BY GROUPING SETS ((tier_id), (type_id), ())
"""

TREND_SQL = """
SELECT date_trunc('month', timezone(%(tz)s, timezone('UTC', t.reported_date))),
       t.customer_tier_id, sum(c.on_time_count), sum(c.missed_count)
  FROM helpdesk_ticket t
  JOIN fs_sla_clock c ON c.ticket_id = t.id
 WHERE %(scope)s
 GROUP BY 1, 2
"""


def excel_time(column):
    """SQL for a stored UTC time as an Excel serial day in the reader's time
    zone: the detail sheets write numbers, with no conversion per cell."""
    return (
        f"EXTRACT(EPOCH FROM timezone(%(tz)s, timezone('UTC', {column})))::float8"
        " / 86400 + 25569"
    )


# the causes recorded on the tickets' field orders, gathered in one pass
BREACH_ROWS_SQL = f"""
WITH causes AS (
    SELECT o.ticket_id,
           array_agg(DISTINCT o.fs_cause_category)
               FILTER (WHERE o.fs_cause_category IS NOT NULL) AS codes,
           string_agg(DISTINCT o.fs_cause_other, '; ')
               FILTER (WHERE o.fs_cause_category = 'other') AS other
      FROM fsm_order o
      JOIN helpdesk_ticket t ON t.id = o.ticket_id
     WHERE %(scope)s
     GROUP BY o.ticket_id
)
SELECT t.number, t.name, cp.name, t.customer_tier_id, t.service_type_id,
       t.team_id, {excel_time("t.reported_date")}, c.kind,
       {excel_time("c.deadline")}, {excel_time("c.reached_date")},
       CASE WHEN c.reached_date > c.deadline
            THEN EXTRACT(EPOCH FROM c.reached_date - c.deadline)::float8 / 86400
       END,
       c.sla_outcome, c.breach_count, c.breach_waived, c.waiver_reason,
       wp.name, causes.codes, causes.other
  FROM helpdesk_ticket t
  JOIN fs_sla_clock c ON c.ticket_id = t.id
  LEFT JOIN causes ON causes.ticket_id = t.id
  LEFT JOIN res_partner p ON p.id = t.partner_id
  LEFT JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
  LEFT JOIN res_users wu ON wu.id = c.waived_by_id
  LEFT JOIN res_partner wp ON wp.id = wu.partner_id
 WHERE %(scope)s AND (c.sla_outcome = 'missed' OR c.breach_waived)
 ORDER BY t.reported_date, t.id, c.sequence, c.id
"""

EXCLUDED_ROWS_SQL = f"""
SELECT t.number, t.name, cp.name, t.customer_tier_id, t.service_type_id,
       t.team_id, {excel_time("t.reported_date")},
       t.severity, %(reason)s
  FROM helpdesk_ticket t
  LEFT JOIN res_partner p ON p.id = t.partner_id
  LEFT JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
 WHERE %(scope)s
 ORDER BY t.reported_date, t.id
"""

EQUIPMENT_SQL = """
SELECT GROUPING(e.device_type, e.device_model, e.supplier, e.failure_cause),
       e.device_type, e.device_model, e.supplier, e.failure_cause, count(*)
  FROM fs_replaced_equipment e
  JOIN fsm_order o ON o.id = e.order_id
  LEFT JOIN helpdesk_ticket t ON t.id = o.ticket_id
 WHERE e.company_id = %(company)s
   AND e.replaced_date >= %(first_day)s AND e.replaced_date < %(next_first_day)s
   AND NOT COALESCE(t.severity_excluded, FALSE)
   AND %(teams)s
 GROUP BY GROUPING SETS (
     (e.device_type), (e.device_type, e.device_model), (e.supplier),
     (e.failure_cause), (e.device_type, e.device_model, e.supplier, e.failure_cause),
     ()
 )
 ORDER BY count(*) DESC, 2, 3, 4, 5
"""
# GROUPING(type, model, supplier, cause) of each equipment grouping set
EQUIPMENT_VIEWS = {
    0b0111: "device_type",
    0b0011: "device_model",
    0b1101: "supplier",
    0b1110: "failure_cause",
    0b0000: "detail",
    0b1111: "total",
}


@dataclass(frozen=True)
class ReportScope:
    """What one report covers: a company's tickets reported in a month of
    the reader's time zone (``start``, ``end``: its UTC bounds, as stored),
    of some teams or all."""

    company_id: int
    month: Month
    start: datetime
    end: datetime
    team_ids: tuple
    tz: str
    # the customers (commercial partners) it is narrowed to, or all: the
    # operation report's figures are the workbook's, for one customer
    partner_ids: tuple = ()


def utc(moment, tz_name):
    """A naive local datetime of ``tz_name`` as the naive UTC Odoo stores."""
    local = pytz.timezone(tz_name).localize(moment)
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class FsMonthlyReportData(models.AbstractModel):
    """The figures of the monthly customer-response report, from a few
    grouped queries whose results do not grow with the number of tickets;
    the detail rows (breaches, exclusions) are streamed from a server-side
    cursor. The arithmetic is the reports core's (reports_core.monthly),
    with the SLA core's fault and repeat-fault rates; the milestones are
    counted on their stored assessment, as the SLA on-time rates pivot
    counts them."""

    _name = "fs.monthly.report.data"
    _description = "Monthly customer-response figures"

    # ------------------------------------------------------------------
    # scope
    # ------------------------------------------------------------------
    @api.model
    def _scope(self, company, month, teams):
        tz_name = self.env.tz.zone
        start, end = (utc(moment, tz_name) for moment in month.bounds())
        return ReportScope(company.id, month, start, end, tuple(teams.ids), tz_name)

    @api.model
    def _scope_sql(self, scope, excluded=False, start=None):
        conditions = [
            SQL("t.company_id = %s", scope.company_id),
            SQL("t.active"),
            SQL("t.reported_date >= %s", start or scope.start),
            SQL("t.reported_date < %s", scope.end),
            SQL("t.severity_excluded")
            if excluded
            else SQL("NOT COALESCE(t.severity_excluded, FALSE)"),
        ]
        if scope.team_ids:
            conditions.append(SQL("t.team_id = ANY(%s)", list(scope.team_ids)))
        if scope.partner_ids:
            conditions.append(
                SQL("t.commercial_partner_id = ANY(%s)", list(scope.partner_ids))
            )
        return SQL(" AND ").join(conditions)

    @api.model
    def _execute(self, query, **params):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, **params))
        return self.env.cr.fetchall()

    # ------------------------------------------------------------------
    # the month's figures per tier, service type and team
    # ------------------------------------------------------------------
    @api.model
    def _figures(self, scope):
        figures = MonthlyFigures(scope.month, rates=visits)
        scope_sql = self._scope_sql(scope)
        self._add_ticket_figures(figures, scope, scope_sql)
        for grouping, tier, stype, team, kind, *counts in self._execute(
            MILESTONE_FIGURES_SQL, scope=scope_sql
        ):
            view = VIEW_OF_GROUPING[grouping]
            on_time, missed, open_, breaches = counts
            figures.add_milestones(
                view,
                self._key(view, tier, stype, team),
                kind,
                on_time=on_time or 0,
                missed=missed or 0,
                open=open_ or 0,
                breaches=breaches or 0,
            )
        customers = (
            SQL("cp.id = ANY(%s)", list(scope.partner_ids))
            if scope.partner_ids
            else SQL("TRUE")
        )
        for grouping, tier, stype, lines in self._execute(
            LINE_FIGURES_SQL,
            company=scope.company_id,
            scope=scope_sql,
            customers=customers,
        ):
            view = {0b01: TIER, 0b10: SERVICE_TYPE, 0b11: TOTAL}[grouping]
            key = tier if view == TIER else stype
            if view == TOTAL or key in figures.views[view]:
                figures.set_lines(view, key, lines)
        return figures

    @api.model
    def _add_ticket_figures(self, figures, scope, scope_sql):
        rows = self._execute(TICKET_FIGURES_SQL, scope=scope_sql)
        for grouping, tier, stype, team, *counts in rows:
            view = VIEW_OF_GROUPING[grouping]
            tickets, restored, restore_hours, faults, repeats = counts
            figures.add_tickets(
                view,
                self._key(view, tier, stype, team),
                tickets=tickets,
                restored=restored,
                restore_hours=restore_hours,
                faults=faults,
                repeats=repeats,
            )

    @staticmethod
    def _key(view, tier, stype, team):
        return {TIER: tier, SERVICE_TYPE: stype, TEAM: team, TOTAL: None}[view]

    # ------------------------------------------------------------------
    # on-time rates of the last months, per tier
    # ------------------------------------------------------------------
    @api.model
    def _trend(self, scope, count=12):
        """``{(Month, tier id): MilestoneCounts}`` over the ``count`` months
        ending with the report's, all milestones together."""
        months = scope.month.last(count)
        first_start = utc(months[0].bounds()[0], scope.tz)
        trend = defaultdict(MilestoneCounts)
        for month_start, tier, on_time, missed in self._execute(
            TREND_SQL, tz=scope.tz, scope=self._scope_sql(scope, start=first_start)
        ):
            counts = trend[(Month.of(month_start), tier)]
            counts.on_time += on_time or 0
            counts.missed += missed or 0
        return months, dict(trend)

    # ------------------------------------------------------------------
    # detail rows, streamed
    # ------------------------------------------------------------------
    @api.model
    def _stream(self, query):
        """Yield the rows of ``query`` from a server-side cursor, a batch at
        a time: the detail sheets never hold the month's rows in memory."""
        self.env.flush_all()
        cr = self.env.cr
        name = SQL.identifier(f"fs_monthly_report_{id(query)}")
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", name, query))
        try:
            while True:
                cr.execute(SQL("FETCH FORWARD %s FROM %s", FETCH_BATCH, name))
                rows = cr.fetchall()
                if not rows:
                    return
                yield from rows
        finally:
            cr.execute(SQL("CLOSE %s", name))

    @api.model
    def _breach_rows(self, scope):
        """The month's missed milestones and waived breaches, times as Excel
        serial days in the reader's time zone, how late (days) a late reach
        was."""
        return self._stream(
            SQL(BREACH_ROWS_SQL, tz=scope.tz, scope=self._scope_sql(scope))
        )

    @api.model
    def _excluded_rows(self, scope):
        reason = SQL(EXCLUSION_REASON_SQL)
        return self._stream(
            SQL(
                EXCLUDED_ROWS_SQL,
                tz=scope.tz,
                reason=reason,
                scope=self._scope_sql(scope, excluded=True),
            )
        )

    # ------------------------------------------------------------------
    # equipment replaced on site
    # ------------------------------------------------------------------
    @api.model
    def _equipment(self, scope):
        """``{view: [(type, model, supplier, cause, count)]}``, largest
        first, for the equipment replaced in the month: by device type, by
        type and model, by supplier, by first cause, by all four (detail),
        and the total."""
        teams = (
            SQL("t.team_id = ANY(%s)", list(scope.team_ids))
            if scope.team_ids
            else SQL("TRUE")
        )
        first_day = scope.month.first_day
        result = {view: [] for view in EQUIPMENT_VIEWS.values()}
        for grouping, *row in self._execute(
            EQUIPMENT_SQL,
            company=scope.company_id,
            first_day=first_day,
            next_first_day=scope.month.next().first_day,
            teams=teams,
        ):
            result[EQUIPMENT_VIEWS[grouping]].append(tuple(row))
        return result
