from odoo import models
from odoo.exceptions import UserError

from .ir_attachment import FREE


class IrAttachment(models.Model):
    """The PDF a released operation report archived is what the customer
    received (its SHA-256 is on the report): neither changed nor deleted
    (a storage move rewriting the same bytes aside)."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if vals.keys() - FREE:
            for attachment, report in self._fs_operation_report_archives():
                if not attachment._fs_same_bytes(vals):
                    raise attachment._fs_archive_refusal(report)
        return super().write(vals)

    def unlink(self):
        for attachment, report in self._fs_operation_report_archives():
            raise attachment._fs_archive_refusal(report)
        return super().unlink()

    def _fs_operation_report_archives(self):
        mine = self.sudo().filtered(lambda a: a.res_model == "fs.operation.report")
        if not mine:
            return []
        reports = (
            self.env["fs.operation.report"]
            .sudo()
            .search([("attachment_id", "in", mine.ids)])
        )
        return [(report.attachment_id, report) for report in reports]

    def _fs_archive_refusal(self, report):
        return UserError(
            self.env._(
                "%(name)s is the archived PDF of the released operation report "
                "%(report)s: it is neither changed nor deleted.",
                name=self.name,
                report=report.display_name,
            )
        )
