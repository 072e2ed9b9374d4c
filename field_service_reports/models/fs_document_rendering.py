from odoo import models

from ..reports_core import documents as core
from .fs_document import REPORT


class FsDocument(models.Model):
    """Rendering: the PDF as printed, and as archived when the
    document is frozen by a signature or an approval."""

    _inherit = "fs.document"

    def _fs_freeze(self, state):
        """Render the PDF as signed (or approved), archive it with its hash,
        and set the final state: the last write the document accepts."""
        self.ensure_one()
        pdf = self._fs_render_pdf()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self._fs_engine_write(
            {
                "state": state,
                "pdf_attachment_id": attachment.id,
                "pdf_hash": core.sha256_hex(pdf),
            }
        )

    def _fs_own_archive(self, attachment):
        """Whether ``attachment`` is this document's own archive: the PDF
        the engine made and attached to it when it froze it."""
        self.ensure_one()
        attachment = attachment.sudo()
        return (
            attachment.res_model == self._name
            and attachment.res_id == self.id
            and not attachment.res_field
            and attachment.mimetype == "application/pdf"
        )

    def _fs_render_pdf(self):
        """The PDF as the customer gets it; a real PDF even where Odoo's test
        mode would render HTML instead (the archive is what was signed)."""
        return (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=self.lang or "en_US", force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.ids)[0]
        )

    def action_print(self):
        for doc in self:
            # a content that cannot be printed says so before wkhtmltopdf runs
            doc._fs_values()
        return self.env.ref(REPORT).report_action(self)

    def action_open_signed_pdf(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
            "target": "self",
        }
