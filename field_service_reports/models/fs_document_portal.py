from odoo import api, models

from ..reports_core import documents as core
from .fs_document_quality_form import QUESTIONS

# what the customer's portal shows: the documents sent to them and those
# they signed or declined, never a draft nor the internal technical report
PORTAL_STATES = (core.TO_SIGN, core.SIGNED, core.DECLINED)


class FsDocument(models.Model):
    """What the customer's portal shows of the documents (the pages are in
    controllers/portal_document.py; the record rule fs_document_portal_rule
    says the same for the customer's portal users)."""

    _inherit = "fs.document"

    @api.model
    def _fs_portal_domain(self):
        return [("kind", "!=", core.FAULT_REPORT_TECH), ("state", "in", PORTAL_STATES)]

    @api.model
    def _fs_portal_documents_of(self, record, sudo=False):
        """The documents the portal shows on a ticket's or a field order's
        page: theirs, their field orders' and those orders' inspections'.
        As the user reads them (record rules), or all of them for a visitor
        holding the record's own token (``sudo``)."""
        tickets = record if record._name == "helpdesk.ticket" else record.browse()
        orders = tickets.sudo().fsm_order_ids if tickets else record
        # portal users read no inspection: found here, the documents filtered
        # by the record rules below
        inspections = (
            self.env["fs.inspection"]
            .sudo()
            .search([("fsm_order_id", "in", orders.ids)])
        )
        documents = self.sudo() if sudo else self
        if not documents.has_access("read"):
            return self.browse()
        return documents.search(
            [
                *self._fs_portal_domain(),
                "|",
                "|",
                ("ticket_id", "in", tickets.ids),
                ("order_id", "in", orders.ids),
                ("inspection_id", "in", inspections.ids),
            ]
        )

    def _fs_portal_questions(self):
        """The questions the customer answers in the portal before signing
        (the quality form's scores), in the page's language."""
        self.ensure_one()
        if self.kind != core.QUALITY_FORM:
            return []
        scores = self._fields[QUESTIONS[0]]._description_selection(self.env)
        return [
            {
                "name": name,
                "label": self._fields[name]._description_string(self.env),
                "scores": [{"value": v, "label": label} for v, label in scores],
            }
            for name in QUESTIONS
        ]

    def _fs_portal_badge(self):
        """The Bootstrap class of the document's state badge in the portal."""
        return {
            core.TO_SIGN: "text-bg-warning",
            core.SIGNED: "text-bg-success",
            core.DECLINED: "text-bg-danger",
        }.get(self.state, "text-bg-secondary")

    def _fs_portal_date(self):
        """The date the portal lists: when it was signed, declined or sent."""
        return self.signed_on or self.declined_on or self.sent_on or self.create_date

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name.replace("/", "-")
