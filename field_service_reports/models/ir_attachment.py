from odoo import models
from odoo.exceptions import UserError

# the attachments a signed document holds: its signature image (an Image
# field stored as attachment) and the PDF archived when it was signed
GUARDED_FIELDS = ("signature",)
FREE = {"access_token"}


class IrAttachment(models.Model):
    """The archived PDF and the signature of a signed document are part of
    what was signed: they are neither changed nor deleted."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if vals.keys() - FREE:
            self._fs_check_not_signed()
        return super().write(vals)

    def unlink(self):
        self._fs_check_not_signed()
        return super().unlink()

    def _fs_check_not_signed(self):
        mine = self.sudo().filtered(lambda a: a.res_model == "fs.document")
        if not mine:
            return
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
        for attachment in mine:
            document = documents.filtered(lambda d, a=attachment: d.id == a.res_id)
            if document and (
                document.pdf_attachment_id == attachment
                or attachment.res_field in GUARDED_FIELDS
            ):
                raise UserError(
                    self.env._(
                        "%(file)s belongs to %(document)s as signed: it cannot "
                        "be changed or deleted.",
                        file=attachment.name,
                        document=document.name,
                    )
                )
