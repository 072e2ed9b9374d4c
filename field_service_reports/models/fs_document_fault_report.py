from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.field_service_sla.sla_core import summary

from ..reports_core import documents as core
from .fs_document import shows

# what the staff write of a fault report; editable while it is a draft
TEXT_FIELDS = (
    "fault_summary",
    "affected_services",
    "fault_cause",
    "handling_process",
    "corrective_measures",
    "preventive_measures",
    "internal_analysis",
)
# what the customer version takes from the approved technical report
CUSTOMER_TEXT_FIELDS = TEXT_FIELDS[:-1]
FAULT_REPORTS = (core.FAULT_REPORT_TECH, core.FAULT_REPORT_CUSTOMER)


ORDER_SHOWN = (
    "ticket_id",
    "name",
    "fs_arrival_date",
    "fs_work_result",
    "person_id",
    "person_ids",
)
shows(
    FAULT_REPORTS,
    [
        *(
            f"ticket_id.{f}"
            for f in (
                "number",
                "name",
                "severity",
                "reported_date",
                "fault_confirmed_date",
                "restored_date",
            )
        ),
        *(f"ticket_id.service_line_id.{f}" for f in ("circuit_ref", "service_type_id")),
        *(f"ticket_id.partner_id.{f}" for f in ("is_company", "name")),
    ],
    not_frozen=[
        # the ticket closes after its report is approved; the report keeps
        # the close as it was then
        "ticket_id.closed_date",
        "ticket_id.resolved_date",
        # the customer's account manager of the day: reassigned for the
        # documents to come
        "partner_id.account_manager_id",
    ],
)
shows(
    [core.FAULT_REPORT_TECH],
    [f"ticket_id.fsm_order_ids.{f}" for f in ORDER_SHOWN],
    not_frozen=[
        # written by the engine only, from the frozen ticket times
        "ticket_id.sla_clock_ids",
        "ticket_id.sla_pause_ids",
        *(
            f"ticket_id.fsm_order_ids.{f}.{g}"
            for f in ("person_id", "person_ids")
            for g in ("partner_id.name", "active")
        ),
    ],
)


class FsDocument(models.Model):
    """The fault handling report (故障处理报告) of a ticket, in two versions:
    the technical report, internal, approved by a dispatcher (which reaches
    the ticket's "fault report submitted" milestone: the 48 h report after a
    severe fault), and the customer version made from it, which goes to the
    customer through the account manager in three copies."""

    _inherit = "fs.document"

    fault_summary = fields.Text("Fault summary")
    affected_services = fields.Text("Affected services")
    fault_cause = fields.Text("Cause")
    handling_process = fields.Text("Handling process")
    corrective_measures = fields.Text("Corrective measures")
    preventive_measures = fields.Text("Preventive measures")
    internal_analysis = fields.Text(
        "Internal analysis",
        help="Printed on the technical report only, never on the customer version.",
    )
    customer_version_ids = fields.One2many(
        "fs.document", "origin_id", string="Customer versions"
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["helpdesk.ticket"].browse(
            [
                v["ticket_id"]
                for v in vals_list
                if v.get("kind") == core.FAULT_REPORT_TECH and v.get("ticket_id")
            ]
        )
        # drafted in the language the report will print in: the customer's
        drafted = {
            t.id: self.with_context(
                lang=self._fs_customer(t).lang or self.env.user.lang
            )._fs_draft_texts(t)
            for t in tickets.sudo()
        }
        for vals in vals_list:
            for name, text in drafted.get(vals.get("ticket_id"), {}).items():
                if vals.get("kind") == core.FAULT_REPORT_TECH:
                    vals.setdefault(name, text)
        return super().create(vals_list)

    def write(self, vals):
        texts = set(TEXT_FIELDS) & vals.keys()
        if texts:
            for doc in self.filtered(lambda d: d.state == core.TO_SIGN):
                raise UserError(
                    self.env._(
                        "%(document)s was sent to the customer to sign: put it "
                        "back to draft before changing %(fields)s.",
                        document=doc.name,
                        fields=self._fs_field_names(texts),
                    )
                )
        return super().write(vals)

    @api.model
    def _fs_draft_texts(self, ticket):
        """A first draft of the report from the ticket and its field orders'
        work logs, for the staff to complete."""
        ticket = ticket.with_context(lang=self.env.lang)
        orders = ticket.fsm_order_ids.sorted(
            lambda o: o.fs_arrival_date or o.create_date
        )
        causes = self.env["fsm.order"]._fields["fs_cause_category"]
        cause_labels = dict(causes._description_selection(self.env))
        cause_lines, process, measures = [], [], []
        for order in orders:
            cause = cause_labels.get(order.fs_cause_category, "")
            if order.fs_cause_category == "other":
                cause = order.fs_cause_other or cause
            found = order.fs_fault_found or ""
            if cause or found:
                cause_lines.append(" - ".join(p for p in (cause, found) if p))
            process.append(
                self.env._(
                    "%(order)s: on site %(arrival)s (%(staff)s). %(found)s",
                    order=order.name,
                    arrival=self._fs_fmt(order.fs_arrival_date, ticket.company_id)
                    or "-",
                    staff=", ".join((order.person_id | order.person_ids).mapped("name"))
                    or "-",
                    found=found,
                ).strip()
            )
            if order.fs_corrective_measures:
                measures.append(order.fs_corrective_measures)
        description = html2plaintext(ticket.description or "").strip()
        return {
            "fault_summary": "\n".join(p for p in (ticket.name, description) if p),
            "affected_services": self._fs_line_text(ticket.service_line_id),
            "fault_cause": "\n".join(cause_lines),
            "handling_process": "\n".join(process),
            "corrective_measures": "\n".join(measures),
        }

    def _fs_content_fault_report_tech(self):
        return self._fs_content_fault_report(internal=True)

    def _fs_content_fault_report_customer(self):
        return self._fs_content_fault_report(internal=False)

    def _fs_content_fault_report(self, internal):
        ticket = self.ticket_id
        restored = ticket.restored_date
        reported = ticket.reported_date or ticket.create_date
        restore_minutes = (
            round(ticket.restore_duration_hours * 60) if restored else None
        )
        elapsed = round((restored - reported).total_seconds() / 60) if restored else 0
        content = {
            "ticket_number": ticket.number or "",
            "title": ticket.name or "",
            "severity": ticket.severity or "",
            "service_line": self._fs_line_text(ticket.service_line_id),
            "contact": self._fs_default_signer().name or "",
            "account_manager": self.partner_id.account_manager_id.name or "",
            "times": {
                "reported": self._fs_fmt(reported),
                "confirmed": self._fs_fmt(ticket.fault_confirmed_date),
                "restored": self._fs_fmt(restored),
                "closed": self._fs_fmt(ticket.closed_date or ticket.resolved_date),
            },
            "restore_minutes": restore_minutes,
            "paused_minutes": max(elapsed - (restore_minutes or 0), 0),
            "summary": self.fault_summary or "",
            "affected": self.affected_services or "",
            "cause": self.fault_cause or "",
            "process": self.handling_process or "",
            "corrective": self.corrective_measures or "",
            "preventive": self.preventive_measures or "",
        }
        if not internal:
            return content
        content.update(
            {
                "analysis": self.internal_analysis or "",
                "milestones": [
                    {
                        "kind": clock.kind,
                        "target_hours": clock.target_hours,
                        "deadline": self._fs_fmt(clock.deadline),
                        "reached": self._fs_fmt(clock.reached_date),
                        "state": clock.state,
                    }
                    for clock in ticket.sla_clock_ids
                    if clock.kind != "report"
                ],
                "pauses": [
                    {
                        "reason": pause.reason_id.name or "",
                        "start": self._fs_fmt(pause.start_date),
                        "end": self._fs_fmt(pause.end_date),
                        "note": pause.note or "",
                    }
                    for pause in ticket.sla_pause_ids.sorted("start_date")
                    if pause.origin != "closed"
                ],
                "orders": [
                    {
                        "name": order.name,
                        "staff": ", ".join(
                            (order.person_id | order.person_ids).mapped("name")
                        ),
                        "arrival": self._fs_fmt(order.fs_arrival_date),
                        "result": order.fs_work_result or "",
                    }
                    for order in ticket.fsm_order_ids.sorted("id")
                ],
                "prepared_by": self.user_id.name or "",
            }
        )
        return content

    def _fs_duration(self, minutes):
        """Minutes as the report prints them, in the document's language:
        15 min, 1 h 20 min, 2 d 3 h (the SLA core's one way)."""
        if minutes is None:
            return ""
        return summary.format_duration(timedelta(minutes=minutes), self.lang or "en_US")

    def _fs_check_ready_fault_report_tech(self):
        ticket = self.ticket_id
        if not ticket.restored_date:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s: the service is not restored yet; the "
                    "technical report is approved after the restore.",
                    ticket=ticket.display_name,
                )
            )
        missing = [
            name for name in ("fault_cause", "handling_process") if not self[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(document)s: write the %(fields)s before approving.",
                    document=self.name,
                    fields=self._fs_field_names(missing),
                )
            )

    def _fs_approved(self, when):
        super()._fs_approved(when)
        if self.kind == core.FAULT_REPORT_TECH and not self.ticket_id.report_date:
            # the milestone "fault report submitted" is reached
            self.ticket_id.sudo().write({"report_date": when})

    def action_customer_version(self):
        """The customer version of an approved technical report: its texts
        without the internal analysis, to be completed and signed."""
        self.ensure_one()
        if self.kind != core.FAULT_REPORT_TECH or self.state != core.APPROVED:
            raise UserError(
                self.env._(
                    "The customer version is made from an approved technical "
                    "report; %(document)s is not one.",
                    document=self.name,
                )
            )
        version = self.customer_version_ids.filtered(
            lambda d: d.state != core.DECLINED
        )[:1]
        if not version:
            version = self.create(
                {
                    "kind": core.FAULT_REPORT_CUSTOMER,
                    "ticket_id": self.ticket_id.id,
                    "lang": self.partner_id.lang or self.lang,
                    **{name: self[name] for name in CUSTOMER_TEXT_FIELDS},
                }
            )
            version._fs_engine_write({"origin_id": self.id})
        return version._fs_form_action()
