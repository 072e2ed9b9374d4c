from odoo import fields, models

from odoo.addons.field_service_sla.sla_core import documents as core


class HelpdeskTicket(models.Model):
    """The ticket prints the fault handling report: the technical version,
    approved in house, and the customer version made from it. What an
    approved report shows of the ticket no longer changes."""

    _inherit = "helpdesk.ticket"

    fs_document_ids = fields.One2many(
        "fs.document",
        "ticket_id",
        string="Customer documents",
        groups="field_service_sla.group_fs_technician",
    )
    fs_document_count = fields.Integer(
        "Documents",
        compute="_compute_fs_document_count",
        groups="field_service_sla.group_fs_technician",
    )

    def _compute_fs_document_count(self):
        counts = self.env["fs.document"]._fs_count_for(self)
        for ticket in self:
            ticket.fs_document_count = counts[ticket.id]

    def write(self, vals):
        self.env["fs.document"]._fs_guard_source_write(self, vals)
        return super().write(vals)

    def action_fs_documents(self):
        self.ensure_one()
        return self.env["fs.document"]._fs_documents_action(self)

    def action_fs_fault_report(self):
        self.ensure_one()
        documents = self.env["fs.document"]
        return documents._fs_document_for(
            self, core.FAULT_REPORT_TECH
        )._fs_form_action()

    def action_fs_print_fault_report(self):
        return self.env["fs.document"]._fs_print_for(self, core.FAULT_REPORT_TECH)

    def action_fs_print_fault_report_customer(self):
        documents = self.env["fs.document"]
        versions = documents.browse()
        for ticket in self:
            technical = documents._fs_document_for(ticket, core.FAULT_REPORT_TECH)
            versions |= documents.browse(technical.action_customer_version()["res_id"])
        return versions.action_print()
