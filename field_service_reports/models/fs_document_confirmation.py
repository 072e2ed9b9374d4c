from odoo import models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..reports_core import documents as core
from .fs_document import shows
from .fs_document_content import address_of

# the people who print by name: who they are is frozen, their names print
# as they were signed (not frozen)
STAFF = ("person_id", "person_ids")
shows(
    [core.CONFIRMATION],
    [
        *(
            f"order_id.{f}"
            for f in (
                "name",
                "description",
                *STAFF,
                "fs_arrival_date",
                "fs_restored_date",
                "fs_fault_found",
                "fs_cause_category",
                "fs_cause_other",
                "fs_work_result",
                "fs_work_result_other",
                "fs_corrective_measures",
                "fs_customer_opinion",
            )
        ),
        *(f"order_id.ticket_id.{f}" for f in ("number", "name", "description")),
        # the contact (_fs_default_signer) and the phone
        *(
            f"order_id.ticket_id.partner_id.{f}"
            for f in ("is_company", "name", "phone")
        ),
        *(f"order_id.location_id.contact_id.{f}" for f in ("name", "phone")),
        "order_id.location_id.phone",
        "partner_id.phone",
        *address_of("order_id.location_id.partner_id"),
        # the network
        *(
            f"order_id.ticket_id.service_line_id.{f}"
            for f in (
                "circuit_ref",
                "bandwidth",
                "service_type_id",
                "assurance_level_id",
            )
        ),
        "order_id.location_id.complete_name",
        "order_id.location_id.name",
        *(
            f"order_id.fs_replaced_equipment_ids.{f}"
            for f in ("device_type", "device_model", "serial_number")
        ),
    ],
    not_frozen=[
        *(f"order_id.{f}.partner_id.name" for f in STAFF),
        *(f"order_id.{f}.active" for f in STAFF),
    ],
)


class FsDocument(models.Model):
    """The on-site fault handling confirmation (客户现场故障处理确认表): the
    field order's work log as the customer confirms it before the crew
    leaves."""

    _inherit = "fs.document"

    def _fs_content_confirmation(self):
        order = self.order_id
        order._fs_check_work_log()
        ticket = order.ticket_id
        line = ticket.service_line_id
        location = order.location_id
        contact = self._fs_default_signer()
        return {
            "order": order.name,
            "ticket_number": ticket.number or "",
            "issuing_unit": ticket.team_id.name
            or order.team_id.name
            or self.company_id.name,
            "contact": contact.name or "",
            "phone": contact.phone or location.phone or self.partner_id.phone or "",
            "address": self._fs_address(location.partner_id),
            "service": self._fs_line_text(line),
            "network": self._fs_network(line, location),
            "staff": order.person_id.name or "",
            "assistants": ", ".join(
                (order.person_ids - order.person_id).mapped("name")
            ),
            "arrival": self._fs_fmt(order.fs_arrival_date),
            # the restore the customer confirms on site: set once; the
            # order's own end comes after the signature
            "finish": self._fs_fmt(order.fs_restored_date),
            "problem": self._fs_problem(ticket, order),
            "findings": order.fs_fault_found or "",
            "cause": order.fs_cause_category or "",
            "cause_other": order.fs_cause_other or "",
            "result": order.fs_work_result or "",
            "result_other": order.fs_work_result_other or "",
            "measures": order.fs_corrective_measures or "",
            "opinion": order.fs_customer_opinion or "",
            "equipment": [
                {
                    "type": e.device_type,
                    "model": e.device_model,
                    "serial": e.serial_number,
                }
                for e in order.fs_replaced_equipment_ids
            ],
        }

    def _fs_check_ready_confirmation(self):
        order = self.order_id
        order._fs_check_work_log()
        if not (order.fs_cause_category and order.fs_work_result):
            raise UserError(
                self.env._(
                    "Order %(order)s: record the cause and the result of the "
                    "work before the customer signs the confirmation.",
                    order=order.name,
                )
            )

    def _fs_network(self, line, location):
        return {
            "circuit": line.circuit_ref or "",
            "bandwidth": line.bandwidth or "",
            "level": line.assurance_level_id.name or "",
            "location": location.complete_name or location.name or "",
        }

    def _fs_problem(self, ticket, order):
        text = html2plaintext(ticket.description or order.description or "").strip()
        title = ticket.name or ""
        if title and text and not text.startswith(title):
            return f"{title}\n{text}"
        return text or title
