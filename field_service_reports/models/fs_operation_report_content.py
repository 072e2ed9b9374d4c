from odoo import fields, models

from ..reports_core.operation_report import chart_bars
from .fs_planned_work import company_values, local_formatter

# the planned works a customer was told of, or that were held
HELD_STATES = ("notified", "confirmed", "in_progress", "done", "rolled_back")
ROW_LIMIT = 200


def pct(value, digits=3):
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def hours(value):
    return "-" if value is None or value is False else f"{value:.2f}"


class FsOperationReport(models.Model):
    """What the PDF prints: the stored figures (per line, in total, the
    chart), and the period's records the report lists: severe faults and
    incidents, inspections and visits done, findings still open, planned
    work. Read as superuser once the reader's access to the report is
    checked."""

    _inherit = "fs.operation.report"

    def _fs_report_values(self):
        self.ensure_one()
        self.check_access("read")
        report = self.sudo()
        company = report.company_id
        tz = company._fs_operator_tz()
        fmt = local_formatter(report, tz)
        scope = report._fs_scope()
        customer = report.partner_id
        labels = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        return {
            "company": company_values(self.env, company),
            "period": str(report._fs_period()),
            "tz": tz,
            "generated": fmt(report.generated_date),
            "released": fmt(report.released_date),
            "lines": [
                {
                    "circuit": line.circuit_ref or "",
                    "service": line.service_type_id.name or "",
                    "level": line.assurance_level_id.code or "",
                    "availability": pct(line.availability),
                    "outage": hours(line.outage_hours),
                    "planned": hours(line.planned_hours),
                    "faults": line.fault_count,
                    "repeats": line.repeat_count,
                    "mean": hours(
                        line.mean_restore_hours if line.restored_count else None
                    ),
                    "worst": hours(
                        line.worst_restore_hours if line.restored_count else None
                    ),
                    "target": hours(line.target_hours or None),
                    "over": bool(
                        line.target_hours
                        and line.restored_count
                        and line.worst_restore_hours > line.target_hours
                    ),
                    "on_time": pct(
                        line.on_time_count / (line.on_time_count + line.missed_count)
                        if line.on_time_count + line.missed_count
                        else None,
                        1,
                    ),
                }
                for line in report.line_ids
            ],
            "total": {
                "availability": pct(report.availability if report.line_ids else None),
                "outage": hours(report.outage_hours),
                "planned": hours(report.planned_hours),
                "faults": report.fault_count,
                "repeats": report.repeat_count,
                "mean": hours(
                    report.mean_restore_hours if report.restored_count else None
                ),
                "worst": hours(
                    report.worst_restore_hours if report.restored_count else None
                ),
                "on_time": pct(
                    report.on_time_rate
                    if report.on_time_count + report.missed_count
                    else None,
                    1,
                ),
            },
            "milestones": self._fs_milestone_rates(scope, labels),
            "severe": self._fs_severe(scope, fmt),
            "inspections": self._fs_inspections(customer, scope, fmt),
            "visits": self._fs_visits(customer, scope, fmt),
            "findings": self._fs_open_findings(customer),
            "planned_works": self._fs_planned_works(customer, scope, fmt),
            "bars": [
                {"bar": bar, "text": pct(bar.availability, 2)}
                for bar in chart_bars(
                    [tuple(point) for point in report.chart_data or []], height=80.0
                )
            ],
        }

    def _fs_milestone_rates(self, scope, labels):
        """The customer's on-time rate per milestone: the monthly figures'
        totals for this customer (the workbook's and the pivot's counts)."""
        figures = self.env["fs.monthly.report.data"]._figures(scope)
        return [
            {
                "kind": labels.get(kind, kind),
                "on_time": counts.on_time,
                "missed": counts.missed,
                "rate": pct(counts.on_time_rate, 1),
            }
            for kind, counts in sorted(figures.totals.milestones.items())
            if counts.assessed
        ]

    def _fs_severe(self, scope, fmt):
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("company_id", "=", scope.company_id),
                    ("commercial_partner_id", "in", list(scope.partner_ids)),
                    ("reported_date", ">=", scope.start),
                    ("reported_date", "<", scope.end),
                    "|",
                    ("severity", "=", "severe"),
                    ("incident_id", "!=", False),
                ],
                order="reported_date",
                limit=ROW_LIMIT,
            )
        )
        return [
            {
                "number": ticket.number or ticket.display_name,
                "summary": ticket.name,
                "circuit": ticket.service_line_id.circuit_ref or "",
                "incident": ticket.incident_id.name or "",
                "incident_summary": ticket.incident_id.description or "",
                "reported": fmt(ticket.reported_date),
                "restored": fmt(ticket.restored_date),
                "duration": hours(
                    ticket.restore_duration_hours if ticket.restored_date else None
                ),
                "excluded": ticket.severity_excluded,
            }
            for ticket in tickets
        ]

    def _fs_inspections(self, customer, scope, fmt):
        inspections = (
            self.env["fs.inspection"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", customer.id),
                    ("state", "=", "done"),
                    ("date_end", ">=", scope.start),
                    ("date_end", "<", scope.end),
                ],
                order="date_end",
                limit=ROW_LIMIT,
            )
        )
        return [
            {
                "name": inspection.name,
                "circuit": inspection.service_line_id.circuit_ref or "",
                "date": fmt(inspection.date_end),
            }
            for inspection in inspections
        ]

    def _fs_visits(self, customer, scope, fmt):
        visits = (
            self.env["fs.visit"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("state", "=", "done"),
                    ("done_date", ">=", scope.start),
                    ("done_date", "<", scope.end),
                ],
                order="done_date",
                limit=ROW_LIMIT,
            )
        )
        return [
            {"date": fmt(visit.done_date), "note": visit.quality_note or ""}
            for visit in visits
        ]

    def _fs_open_findings(self, customer):
        """Findings not fixed on site whose follow-up is not closed yet."""
        findings = (
            self.env["fs.inspection.finding"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", customer.id),
                    ("fixed_on_site", "=", False),
                    "|",
                    ("ticket_id", "=", False),
                    ("ticket_id.stage_id.closed", "=", False),
                ],
                order="date, id",
                limit=ROW_LIMIT,
            )
        )
        return [
            {
                "name": finding.name,
                "detail": finding.detail or "",
                "circuit": finding.service_line_id.circuit_ref or "",
                "date": finding.date and fields.Date.to_string(finding.date) or "",
                "ticket": finding.ticket_id.number or "",
            }
            for finding in findings
        ]

    def _fs_planned_works(self, customer, scope, fmt):
        lines = (
            self.env["fs.planned.work.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("planned_work_id.state", "in", HELD_STATES),
                    ("planned_work_id.date_start", "<", scope.end),
                    ("planned_work_id.date_end", ">", scope.start),
                ],
                limit=ROW_LIMIT,
            )
        )
        return [
            {
                "reference": line.planned_work_id.reference,
                "title": line.planned_work_id.name,
                "circuit": line.service_line_id.circuit_ref or "",
                "start": fmt(line.planned_work_id.date_start),
                "end": fmt(line.planned_work_id.date_end),
                "announced": line.expected_minutes,
            }
            for line in lines.sorted(lambda l: l.planned_work_id.date_start)
        ]
