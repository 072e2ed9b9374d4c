from odoo import models

from ..reports_core import documents as core


class HelpdeskTicket(models.Model):
    """The ticket prints the fault handling report: the technical version,
    approved in house, and the customer version made from it. What an
    approved report shows of the ticket no longer changes."""

    _name = "helpdesk.ticket"
    _inherit = ["fs.document.source.mixin", "helpdesk.ticket"]

    def action_fs_fault_report(self):
        self.ensure_one()
        documents = self.env["fs.document"]
        return documents._fs_document_for(
            self, core.FAULT_REPORT_TECH
        )._fs_form_action()

    def action_fs_print_fault_report(self):
        return self._fs_print_document(core.FAULT_REPORT_TECH)

    def action_fs_print_fault_report_customer(self):
        documents = self.env["fs.document"]
        versions = documents.browse()
        for ticket in self:
            technical = documents._fs_document_for(ticket, core.FAULT_REPORT_TECH)
            versions |= documents.browse(technical.action_customer_version()["res_id"])
        return versions.action_print()
