from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.field_service_sla.models.bulk_insert import insert_rows
from odoo.addons.field_service_sla.models.helpdesk_ticket_severity import (
    SEVERITY_RANK,
)

from ..reports_core import scoring as core
from ..reports_core.monthly import Month
from .fs_assessment_line import COUNTED

# The crew a fault was given to: the team of the ticket's first field order
# (a ticket handed on to another crew later stays the first crew's: the late
# arrival was theirs). One row per ticket of the month, with that crew.
FIRST_ORDERS_SQL = """
SELECT DISTINCT ON (o.ticket_id) o.ticket_id, o.id, o.team_id, t.severity
  FROM fsm_order o
  JOIN helpdesk_ticket t ON t.id = o.ticket_id
 WHERE %(scope)s
 ORDER BY o.ticket_id, o.id
"""
MILESTONE_SQL = """
WITH first_orders AS ({first_orders})
SELECT f.team_id, f.ticket_id, f.id, f.severity, c.kind, c.start_date,
       c.deadline, c.reached_date, c.breach_count = 1, COALESCE(c.breach_waived, FALSE)
  FROM first_orders f
  JOIN fs_sla_clock c ON c.ticket_id = f.ticket_id
 WHERE f.team_id = ANY(%(teams)s) AND c.kind = ANY(%(kinds)s)
 ORDER BY f.team_id, c.start_date, c.id
"""
# a complaint ticket of the month about a field order of one of the crews
COMPLAINT_SQL = """
SELECT o.team_id, t.id, o.id, t.reported_date, t.severity
  FROM helpdesk_ticket t
  JOIN fsm_order o ON o.id = t.fs_complaint_order_id
 WHERE %(scope)s AND o.team_id = ANY(%(teams)s)
 ORDER BY o.team_id, t.reported_date, t.id
"""
# each failed check of a spot check finished in the month, of an order of
# one of the crews
SPOT_CHECK_SQL = """
SELECT o.team_id, i.id, o.id, i.date_end, count(*)
  FROM fs_inspection i
  JOIN fs_inspection_template tpl ON tpl.id = i.template_id
  JOIN fsm_order o ON o.id = i.fsm_order_id
  JOIN fs_inspection_item it ON it.inspection_id = i.id AND it.result = 'fail'
 WHERE tpl.fs_spot_check AND i.state = 'done' AND i.company_id = %(company)s
   AND i.date_end >= %(start)s AND i.date_end < %(end)s
   AND o.team_id = ANY(%(teams)s)
 GROUP BY o.team_id, i.id, o.id, i.date_end
 ORDER BY o.team_id, i.date_end, i.id
"""


# the stored computed fields _fs_found fills in (one UPDATE per 100 lines
# and their computes on 30,000 lines otherwise: bench_assessment.py)
# the sheet's fields computed from its lines
SHEET_SCORES = ("base", "deducted", "score", "contested_count")


class FsAssessmentLine(models.Model):
    """The month's computation: for the sheets of a month, one query per
    kind of source over every crew at once (the queries do not grow with
    the number of crews), the per-clock arithmetic the core's."""

    _inherit = "fs.assessment.line"

    @api.model
    def _fs_recompute(self, sheets):
        groups = {}
        for sheet in sheets:
            key = (sheet.company_id, sheet.month, sheet.scheme_id)
            groups.setdefault(key, self.env["fs.assessment.sheet"])
            groups[key] |= sheet
        now = fields.Datetime.now()
        for (company, month, scheme), group in groups.items():
            group = group.sudo()
            values = self._fs_found(company, Month.of(month), scheme, group, now)
            self._fs_replace_computed(group, values)
            group.with_context(fs_state_transition=True).write({"computed_on": now})
            # one note per sheet, logged in one batch: a message_post per
            # sheet cost queries per crew (bench_assessment.py)
            group._message_log_batch(
                {
                    sheet.id: self.env._(
                        "Deductions computed: %(count)s, %(points)s points off, "
                        "score %(score)s.",
                        count=len(sheet.line_ids),
                        points=sheet.deducted,
                        score=sheet.score,
                    )
                    for sheet in group
                }
            )

    @api.model
    def _fs_replace_computed(self, sheets, values):
        """The computed lines of ``sheets`` replaced by ``values``, complete
        rows (their stored computed fields filled in as their computes give
        them): one DELETE and one INSERT whatever the number of crews and
        lines (the ORM's create inserts a hundred rows a statement, and
        thirty crews have thirty thousand lines: bench_assessment.py). The
        lines are no mail thread, have no attachment of their own when
        computed, and nothing else refers to them; the sheets' scores are
        then computed from them."""
        self.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM fs_assessment_line"
                " WHERE sheet_id = ANY(%s) AND NOT manual",
                sheets.ids,
            )
        )
        insert_rows(self, [{**row, "state": COUNTED} for row in values])
        self.invalidate_model()
        sheets.invalidate_recordset(["line_ids"])
        for name in SHEET_SCORES:
            self.env.add_to_compute(sheets._fields[name], sheets)
        sheets.flush_recordset(SHEET_SCORES)

    @api.model
    def _fs_found(self, company, month, scheme, sheets, now):
        """The computed lines of ``sheets`` (one company, month, scheme),
        with their stored computed fields filled in (the same values their
        computes give), so that thousands of lines are inserted at once and
        not updated after."""
        data = self.env["fs.monthly.report.data"].with_company(company)
        scope = data._scope(company, month, self.env["helpdesk.ticket.team"])
        # a clock not reached counts its days over up to the end of the month
        # assessed, not to the day of computing: the same month always gives
        # the same sheet, whenever it is computed
        until = min(now, scope.end)
        sheet_of = {sheet.team_id.id: sheet.id for sheet in sheets}
        teams = list(sheet_of)
        # what the loops read of the items, read once: plain values, not
        # records, in the per-clock loop
        items = {
            item.id: (item, item._fs_core_item(), self._fs_severity_range(item))
            for item in scheme.item_ids
        }
        values = []

        def line(team, item_id, quantity=1, **refs):
            item, core_item, _range = items[item_id]
            values.append(
                {
                    "sheet_id": sheet_of[team],
                    "company_id": company.id,
                    "team_id": team,
                    "item_id": item_id,
                    "sequence": item.sequence,
                    "quantity": quantity,
                    "points": int(core.item_points(core_item, quantity)),
                    "manual": False,
                    **refs,
                }
            )

        def of_source(source):
            return [
                (item_id, *spec)
                for item_id, spec in items.items()
                if spec[0].source == source
            ]

        by_kind = {}
        for item_id, item, _core_item, (low, high) in of_source(core.MILESTONE):
            target = timedelta(hours=item.target_hours) if item.target_hours else None
            by_kind.setdefault(item.milestone, []).append(
                (item_id, item.mode, target, low, high)
            )
        if by_kind:
            rows = data._execute(
                MILESTONE_SQL.format(first_orders=FIRST_ORDERS_SQL),
                scope=data._scope_sql(scope),
                teams=teams,
                kinds=list(by_kind),
            )
            for team, ticket, order, severity, kind, *clock in rows:
                facts = core.Clock(*clock)
                rank = SEVERITY_RANK.get(severity, 0)
                for item_id, mode, target, low, high in by_kind[kind]:
                    if not low <= rank <= high:
                        continue
                    quantity = core.milestone_quantity(mode, facts, until, target)
                    if quantity:
                        line(
                            team,
                            item_id,
                            quantity,
                            date=facts.reached or facts.deadline or facts.start,
                            ticket_id=ticket,
                            order_id=order,
                        )
        complaint_items = of_source(core.COMPLAINT)
        if complaint_items:
            rows = data._execute(
                COMPLAINT_SQL, scope=data._scope_sql(scope), teams=teams
            )
            for item_id, _item, _core_item, (low, high) in complaint_items:
                for team, ticket, order, when, severity in rows:
                    if low <= SEVERITY_RANK.get(severity, 0) <= high:
                        line(team, item_id, date=when, ticket_id=ticket, order_id=order)
        spot_items = of_source(core.SPOT_CHECK)
        if spot_items:
            rows = data._execute(
                SPOT_CHECK_SQL,
                company=company.id,
                start=scope.start,
                end=scope.end,
                teams=teams,
            )
            for item_id, *_spec in spot_items:
                for team, inspection, order, when, failed in rows:
                    line(
                        team,
                        item_id,
                        failed,
                        date=when,
                        inspection_id=inspection,
                        order_id=order,
                    )
        return values

    @api.model
    def _fs_severity_range(self, item):
        """The ranks of the severities ``item`` counts: (lowest, highest)."""
        low = SEVERITY_RANK[item.severity_from] if item.severity_from else 0
        high = (
            SEVERITY_RANK[item.severity_to]
            if item.severity_to
            else len(SEVERITY_RANK) - 1
        )
        return low, high
