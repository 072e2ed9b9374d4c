from odoo import models
from odoo.exceptions import UserError

from ..reports_core import documents as core


class FsmOrder(models.Model):
    """The field order prints the on-site confirmation and the quality
    supervision form, and the customer signs them on the technician's phone.
    What a signed confirmation shows of the order no longer changes."""

    _name = "fsm.order"
    _inherit = ["fs.document.source.mixin", "fsm.order"]

    def _fs_check_work_log(self):
        for order in self:
            if not (
                order.fs_fault_found or order.fs_cause_category or order.fs_work_result
            ):
                raise UserError(
                    self.env._(
                        "Order %(order)s has no work log yet: record what was "
                        "found, the cause and the result before printing the "
                        "on-site confirmation.",
                        order=order.name,
                    )
                )

    def action_fs_print_confirmation(self):
        self._fs_check_work_log()
        return self._fs_print_document(core.CONFIRMATION)

    def action_fs_sign_confirmation(self):
        self._fs_check_work_log()
        return self._fs_sign_document(core.CONFIRMATION)

    def action_fs_print_quality_form(self):
        return self._fs_print_document(core.QUALITY_FORM)

    def action_fs_sign_quality_form(self):
        return self._fs_sign_document(core.QUALITY_FORM)
