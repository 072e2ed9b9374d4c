from odoo import models
from odoo.exceptions import UserError

from ..reports_core import documents as core
from .fs_document import shows

LINE_SHOWN = ("circuit_ref", "service_type_id", "assurance_level_id", "bandwidth")
shows(
    [core.VISIT_REPORT],
    [
        *(
            f"visit_id.{f}"
            for f in (
                "partner_id",
                "user_id",
                "planned_date",
                "done_date",
                "reason",
                "state",
                "quality_told",
                "quality_note",
                "rates_confirmed",
                "confirmed_fault_rate",
                "confirmed_repeat_rate",
                "new_needs",
            )
        ),
        *(f"visit_id.follow_up_ticket_ids.{f}" for f in ("number", "name")),
    ],
    not_frozen=[
        # the customer's lines and account manager as of the visit: the
        # customer keeps ordering lines; the signed content keeps the list
        *(
            f"visit_id.partner_id.service_line_ids.{f}"
            for f in (*LINE_SHOWN, "active", "partner_id")
        ),
        "visit_id.partner_id.account_manager_id",
        "visit_id.partner_id.customer_tier_id",
    ],
)


class FsDocument(models.Model):
    """The visit report (走访报告): what the customer was told of the recent
    service quality and of the fault rates, and the customer's new needs,
    signed or stamped by the customer; three copies."""

    _inherit = "fs.document"

    def _fs_content_visit_report(self):
        visit = self.visit_id
        done = visit.state == "done"
        fault_rate = visit.confirmed_fault_rate if done else visit.fault_rate
        repeat_rate = visit.confirmed_repeat_rate if done else visit.repeat_rate
        return {
            "tier": visit.customer_tier_id.name or "",
            "account_manager": visit.account_manager_id.name or "",
            "maintainer": visit.user_id.name or "",
            "planned": str(visit.planned_date or ""),
            "visited": self._fs_fmt(visit.done_date),
            "reason": visit.reason or "",
            "lines": [
                {
                    "circuit": line.circuit_ref,
                    "service": line.service_type_id.name or "",
                    "level": line.assurance_level_id.name or "",
                    "bandwidth": line.bandwidth or "",
                }
                for line in visit.service_line_ids.sorted("circuit_ref")
            ],
            "quality_told": visit.quality_told,
            "quality_note": visit.quality_note or "",
            "rates_confirmed": visit.rates_confirmed,
            "fault_rate": f"{fault_rate:.2f}",
            "repeat_rate": f"{repeat_rate:.0%}",
            "window_days": visit.rate_window_days,
            "new_needs": visit.new_needs or "",
            "follow_ups": [
                {"number": ticket.number or "", "title": ticket.name or ""}
                for ticket in visit.follow_up_ticket_ids.sorted("id")
            ],
        }

    def _fs_check_ready_visit_report(self):
        if self.visit_id.state != "done":
            raise UserError(
                self.env._(
                    "%(visit)s: mark the visit done before the customer signs "
                    "the visit report.",
                    visit=self.visit_id.display_name,
                )
            )
