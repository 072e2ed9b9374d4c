import io

from odoo import models

from .fs_document import REPORT_NAME


class IrActionsReport(models.Model):
    """A signed or approved document prints as it was archived when it was
    signed: the same bytes, whose SHA-256 the document keeps, to whoever may
    read the document. Odoo's own
    attachment mechanism is not used: it needs one HTML body per document,
    which the unpatched wkhtmltopdf of Debian cannot render at once."""

    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if not res_ids or report.report_name != REPORT_NAME:
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        # the requester reads these documents (record rules included) before
        # anything of them is read under sudo on his behalf
        self.env["fs.document"].browse(res_ids).check_access("read")
        documents = self.env["fs.document"].sudo().browse(res_ids)
        archived = {
            d.id: d.pdf_attachment_id
            for d in documents
            if d.pdf_attachment_id and d._fs_own_archive(d.pdf_attachment_id)
        }
        rest = [res_id for res_id in res_ids if res_id not in archived]
        rendered = (
            super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=rest)
            if rest
            else {}
        )
        streams = {}
        for res_id in res_ids:
            if res_id in archived:
                attachment = archived[res_id]
                streams[res_id] = {
                    "stream": io.BytesIO(attachment.raw),
                    "attachment": attachment,
                }
            elif res_id in rendered:
                streams[res_id] = rendered[res_id]
        if False in rendered:
            streams[False] = rendered[False]
        return streams
