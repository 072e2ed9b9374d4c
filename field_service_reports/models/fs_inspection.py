from odoo import models

from ..reports_core import documents as core


class FsInspection(models.Model):
    """The inspection prints its record, which the customer signs; what a
    signed record shows no longer changes."""

    _name = "fs.inspection"
    _inherit = ["fs.document.source.mixin", "fs.inspection"]

    def action_fs_print_inspection_record(self):
        return self._fs_print_document(core.INSPECTION_RECORD)

    def action_fs_sign_inspection_record(self):
        return self._fs_sign_document(core.INSPECTION_RECORD)
