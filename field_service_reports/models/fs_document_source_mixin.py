from odoo import fields, models


class FsDocumentShownMixin(models.AbstractModel):
    """A record a signed or approved document shows (its source, or a record
    along what it shows: the line, the contact, the location, the lines of
    an inspection): what the document shows of it no longer changes. The
    fields are those the documents' content builders declare (SHOWN_PATHS):
    the guard is derived from them, in one place (fs_document_sources.py)."""

    _name = "fs.document.shown.mixin"
    _description = "Record shown by customer documents"

    def write(self, vals):
        self.env["fs.document"]._fs_guard_source_write(self, vals)
        return super().write(vals)


class FsDocumentSourceMixin(models.AbstractModel):
    """A record customer documents are printed from (ticket, field order,
    inspection, visit): its documents and their count, printing and signing
    them from the record, and the write guard that keeps what a signed or
    approved document shows of it unchanged. One block for the four, so the
    guard cannot differ between them; the rules live on fs.document
    (fs_document_sources.py)."""

    _name = "fs.document.source.mixin"
    _inherit = ["fs.document.shown.mixin"]
    _description = "Record customer documents are printed from"

    fs_document_ids = fields.Many2many(
        "fs.document",
        string="Customer documents",
        compute="_compute_fs_document_ids",
        groups="field_service_sla.group_fs_technician",
    )
    fs_document_count = fields.Integer(
        "Documents",
        compute="_compute_fs_document_count",
        groups="field_service_sla.group_fs_technician",
    )

    def _compute_fs_document_ids(self):
        documents = self.env["fs.document"]
        field = documents._fs_source_field(self._name)
        found = documents.search([(field, "in", self.ids)]) if self.ids else documents
        by_source = {}
        for document in found:
            by_source.setdefault(document[field].id, []).append(document.id)
        for record in self:
            record.fs_document_ids = documents.browse(by_source.get(record.id, []))

    def _compute_fs_document_count(self):
        counts = self.env["fs.document"]._fs_count_for(self)
        for record in self:
            record.fs_document_count = counts[record.id]

    def action_fs_documents(self):
        self.ensure_one()
        return self.env["fs.document"]._fs_documents_action(self)

    def _fs_print_document(self, kind):
        return self.env["fs.document"]._fs_print_for(self, kind)

    def _fs_sign_document(self, kind):
        return self.env["fs.document"]._fs_sign_for(self, kind)
