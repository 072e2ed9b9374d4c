from odoo import models

from .fs_planned_work import company_values, local_formatter


class FsAssurancePeriod(models.Model):
    """A special assurance period's summary for its customer: the faults on
    its lines during the period and how fast they were restored."""

    _inherit = "fs.assurance.period"

    def _fs_summary_values(self):
        self.ensure_one()
        period = self.sudo()
        company = period.company_id
        tz = company._fs_operator_tz()
        fmt = local_formatter(period, tz)

        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("service_line_id", "in", period._lines().ids),
                    ("reported_date", ">=", period.date_start),
                    ("reported_date", "<", period.date_end),
                ],
                order="reported_date",
            )
        )
        target = {m.kind: m.target_hours for m in period.policy_id.milestone_ids}.get(
            "restored"
        )
        rows = []
        for ticket in tickets:
            restore = ticket.sla_clock_ids.filtered(lambda c: c.kind == "restored")
            rows.append(
                {
                    "number": ticket.number or ticket.display_name,
                    "circuit": ticket.service_line_id.circuit_ref,
                    "title": ticket.name,
                    "reported": fmt(ticket.reported_date),
                    "restored": fmt(ticket.restored_date),
                    "hours": ticket.restore_duration_hours
                    if ticket.restored_date
                    else None,
                    "met": restore[:1].sla_outcome == "on_time"
                    if restore and ticket.restored_date
                    else None,
                }
            )
        done = [r["hours"] for r in rows if r["hours"] is not None]
        return {
            "company": company_values(self.env, company),
            "start": fmt(period.date_start),
            "end": fmt(period.date_end),
            "tz": tz,
            "lines": len(period._lines()),
            "target": target,
            "tickets": rows,
            "worst": max(done) if done else None,
            "mean": sum(done) / len(done) if done else None,
            "met": sum(1 for r in rows if r["met"]),
        }
