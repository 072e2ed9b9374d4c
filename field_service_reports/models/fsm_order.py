from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core import documents as core


class FsmOrder(models.Model):
    """The field order prints the on-site confirmation and the quality
    supervision form, and the customer signs them on the technician's phone.
    What a signed confirmation shows of the order no longer changes."""

    _inherit = "fsm.order"

    fs_document_ids = fields.One2many(
        "fs.document",
        "order_id",
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
        for order in self:
            order.fs_document_count = counts[order.id]

    def write(self, vals):
        self.env["fs.document"]._fs_guard_source_write(self, vals)
        return super().write(vals)

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

    def action_fs_documents(self):
        self.ensure_one()
        return self.env["fs.document"]._fs_documents_action(self)

    def action_fs_print_confirmation(self):
        self._fs_check_work_log()
        return self.env["fs.document"]._fs_print_for(self, core.CONFIRMATION)

    def action_fs_sign_confirmation(self):
        self._fs_check_work_log()
        return self.env["fs.document"]._fs_sign_for(self, core.CONFIRMATION)

    def action_fs_print_quality_form(self):
        return self.env["fs.document"]._fs_print_for(self, core.QUALITY_FORM)

    def action_fs_sign_quality_form(self):
        return self.env["fs.document"]._fs_sign_for(self, core.QUALITY_FORM)
