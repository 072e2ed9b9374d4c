from odoo import fields, models

from odoo.addons.field_service_sla.sla_core import documents as core


class FsInspection(models.Model):
    """The inspection prints its record, which the customer signs; what a
    signed record shows no longer changes."""

    _inherit = "fs.inspection"

    fs_document_ids = fields.One2many(
        "fs.document",
        "inspection_id",
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
        for inspection in self:
            inspection.fs_document_count = counts[inspection.id]

    def write(self, vals):
        self.env["fs.document"]._fs_guard_source_write(self, vals)
        return super().write(vals)

    def action_fs_documents(self):
        self.ensure_one()
        return self.env["fs.document"]._fs_documents_action(self)

    def action_fs_print_inspection_record(self):
        return self.env["fs.document"]._fs_print_for(self, core.INSPECTION_RECORD)

    def action_fs_sign_inspection_record(self):
        return self.env["fs.document"]._fs_sign_for(self, core.INSPECTION_RECORD)
