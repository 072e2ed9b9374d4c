import base64

from odoo import models
from odoo.exceptions import UserError

# the attachments a signed document holds: its signature image (an Image
# field stored as attachment) and the PDF archived when it was signed
GUARDED_FIELDS = ("signature",)
# the chatter's preview of a PDF (written when the document is opened) is no
# part of what was signed
FREE = {"access_token", "thumbnail"}
# a storage move (database <-> filestore) rewrites the same bytes
SAME_BYTES = {"raw", "datas", "mimetype"}


class IrAttachment(models.Model):
    """The archived PDF and the signature of a signed document are part of
    what was signed: they are neither changed nor deleted."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if vals.keys() - FREE:
            for attachment, document in self._fs_signed_documents():
                if not attachment._fs_same_bytes(vals):
                    raise attachment._fs_refusal(document)
        return super().write(vals)

    def unlink(self):
        for attachment, document in self._fs_signed_documents():
            raise attachment._fs_refusal(document)
        return super().unlink()

    def _fs_signed_documents(self):
        """(attachment, document) for the attachments of these that are part
        of a signed or approved document."""
        mine = self.sudo().filtered(lambda a: a.res_model == "fs.document")
        if not mine:
            return []
        documents = (
            self.env["fs.document"]
            .sudo()
            .search(
                [
                    ("id", "in", mine.mapped("res_id")),
                    ("state", "in", ("signed", "approved")),
                ]
            )
        )
        return [
            (attachment, document)
            for attachment in mine
            for document in documents
            if document.id == attachment.res_id
            and (
                document.pdf_attachment_id == attachment
                or attachment.res_field in GUARDED_FIELDS
            )
        ]

    def _fs_same_bytes(self, vals):
        if vals.keys() - SAME_BYTES:
            return False
        new = self._fs_new_raw(vals)
        return new is not None and new == self.raw

    def _fs_new_raw(self, vals):
        if "raw" in vals:
            raw = vals["raw"]
            return raw.encode() if isinstance(raw, str) else raw
        if "datas" in vals:
            return base64.b64decode(vals["datas"] or b"")
        return None

    def _fs_refusal(self, document):
        return UserError(
            self.env._(
                "%(file)s belongs to %(document)s as signed: it cannot be "
                "changed or deleted.",
                file=self.name,
                document=document.name,
            )
        )
