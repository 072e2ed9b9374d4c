from odoo import api, fields, models
from odoo.exceptions import ValidationError

CAUSE_CATEGORIES = [
    ("transmission", "Transmission line"),
    ("our_equipment", "Our equipment"),
    ("customer_equipment", "Customer equipment"),
    ("customer_intranet", "Customer intranet"),
    ("aggregation", "Aggregation layer"),
    ("other", "Other"),
]
WORK_RESULTS = [
    ("restored", "Restored"),
    ("observation", "Needs observation"),
    ("not_repaired", "Not repaired"),
    ("other", "Other"),
]


class FsmOrder(models.Model):
    """The work log of a field order: the fault found, its cause, the
    result, the corrective measures, the customer's opinion and the
    equipment replaced."""

    _inherit = "fsm.order"

    fs_fault_found = fields.Text("Fault found")
    fs_cause_category = fields.Selection(CAUSE_CATEGORIES, string="Cause")
    fs_cause_other = fields.Char("Other cause")
    fs_work_result = fields.Selection(WORK_RESULTS, string="Result", tracking=True)
    fs_work_result_other = fields.Char("Other result")
    fs_corrective_measures = fields.Text("Corrective measures")
    fs_customer_opinion = fields.Text("Customer opinion")
    fs_replaced_equipment_ids = fields.One2many(
        "fs.replaced.equipment", "order_id", string="Equipment replaced"
    )

    @api.constrains("fs_cause_category", "fs_cause_other")
    def _check_fs_other_texts(self):
        for order in self:
            if order.fs_cause_category == "other" and not order.fs_cause_other:
                raise ValidationError(
                    self.env._("Order %s: describe the other cause.", order.name)
                )
            if order.fs_work_result == "other" and not order.fs_work_result_other:
                raise ValidationError(
                    self.env._("Order %s: describe the other result.", order.name)
                )
