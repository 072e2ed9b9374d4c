from odoo import fields, models

from odoo.addons.field_service_sla.sla_core import documents as core


class FsVisit(models.Model):
    """The visit prints its report, which the customer signs or stamps;
    what a signed report shows no longer changes."""

    _inherit = "fs.visit"

    fs_document_ids = fields.One2many(
        "fs.document",
        "visit_id",
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
        for visit in self:
            visit.fs_document_count = counts[visit.id]

    def write(self, vals):
        self.env["fs.document"]._fs_guard_source_write(self, vals)
        return super().write(vals)

    def action_fs_documents(self):
        self.ensure_one()
        return self.env["fs.document"]._fs_documents_action(self)

    def action_fs_print_visit_report(self):
        return self.env["fs.document"]._fs_print_for(self, core.VISIT_REPORT)

    def action_fs_sign_visit_report(self):
        return self.env["fs.document"]._fs_sign_for(self, core.VISIT_REPORT)
