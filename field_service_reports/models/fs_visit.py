from odoo import models

from ..reports_core import documents as core


class FsVisit(models.Model):
    """The visit prints its report, which the customer signs or stamps;
    what a signed report shows no longer changes."""

    _name = "fs.visit"
    _inherit = ["fs.document.source.mixin", "fs.visit"]

    def action_fs_print_visit_report(self):
        return self._fs_print_document(core.VISIT_REPORT)

    def action_fs_sign_visit_report(self):
        return self._fs_sign_document(core.VISIT_REPORT)
