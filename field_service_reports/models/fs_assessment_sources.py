from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.field_service_sla.models.helpdesk_ticket_severity import (
    SEVERITY_RANK,
)

from ..reports_core import scoring as core
from ..reports_core.monthly import Month

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
            group.line_ids.filtered(lambda line: not line.manual).with_context(
                fs_state_transition=True
            ).unlink()
            values = self._fs_found(company, Month.of(month), scheme, group, now)
            self.sudo().with_context(fs_state_transition=True).create(values)
            group.with_context(fs_state_transition=True).write({"computed_on": now})
            for sheet in group:
                sheet.message_post(
                    body=self.env._(
                        "Deductions computed: %(count)s, %(points)s points off, "
                        "score %(score)s.",
                        count=len(sheet.line_ids),
                        points=sheet.deducted,
                        score=sheet.score,
                    ),
                    message_type="notification",
                )

    @api.model
    def _fs_found(self, company, month, scheme, sheets, now):
        """The computed lines of ``sheets`` (one company, month, scheme)."""
        data = self.env["fs.monthly.report.data"].with_company(company)
        scope = data._scope(company, month, self.env["helpdesk.ticket.team"])
        sheet_of = {sheet.team_id.id: sheet.id for sheet in sheets}
        teams = list(sheet_of)
        items = scheme.item_ids
        values = []
        milestone_items = items.filtered(lambda i: i.source == core.MILESTONE)
        if milestone_items:
            rows = data._execute(
                MILESTONE_SQL.format(first_orders=FIRST_ORDERS_SQL),
                scope=data._scope_sql(scope),
                teams=teams,
                kinds=list(set(milestone_items.mapped("milestone"))),
            )
            for team, ticket, order, severity, kind, *clock in rows:
                facts = core.Clock(*clock)
                for item in milestone_items:
                    if item.milestone != kind or not self._fs_severity_in(
                        item, severity
                    ):
                        continue
                    target = (
                        timedelta(hours=item.target_hours)
                        if item.target_hours
                        else None
                    )
                    quantity = core.milestone_quantity(item.mode, facts, now, target)
                    if quantity:
                        values.append(
                            {
                                "sheet_id": sheet_of[team],
                                "item_id": item.id,
                                "quantity": quantity,
                                "date": facts.reached or facts.deadline or facts.start,
                                "ticket_id": ticket,
                                "order_id": order,
                                "manual": False,
                            }
                        )
        for item in items.filtered(lambda i: i.source == core.COMPLAINT):
            for team, ticket, order, when, severity in data._execute(
                COMPLAINT_SQL, scope=data._scope_sql(scope), teams=teams
            ):
                if self._fs_severity_in(item, severity):
                    values.append(
                        {
                            "sheet_id": sheet_of[team],
                            "item_id": item.id,
                            "date": when,
                            "ticket_id": ticket,
                            "order_id": order,
                            "manual": False,
                        }
                    )
        spot_items = items.filtered(lambda i: i.source == core.SPOT_CHECK)
        if spot_items:
            rows = data._execute(
                SPOT_CHECK_SQL,
                company=company.id,
                start=scope.start,
                end=scope.end,
                teams=teams,
            )
            for item in spot_items:
                for team, inspection, order, when, failed in rows:
                    values.append(
                        {
                            "sheet_id": sheet_of[team],
                            "item_id": item.id,
                            "quantity": failed,
                            "date": when,
                            "inspection_id": inspection,
                            "order_id": order,
                            "manual": False,
                        }
                    )
        return values

    @api.model
    def _fs_severity_in(self, item, severity):
        rank = SEVERITY_RANK.get(severity, 0)
        low = SEVERITY_RANK[item.severity_from] if item.severity_from else 0
        high = (
            SEVERITY_RANK[item.severity_to]
            if item.severity_to
            else len(SEVERITY_RANK) - 1
        )
        return low <= rank <= high

