from odoo import fields, models


class FsmOrder(models.Model):
    """The field order an inspection is done on: the technician opens its
    inspection from the order."""

    _inherit = "fsm.order"

    inspection_ids = fields.One2many(
        "fs.inspection", "fsm_order_id", string="Inspections"
    )
    inspection_count = fields.Integer(
        string="Number of inspections", compute="_compute_inspection_count"
    )

    def _compute_inspection_count(self):
        counts = dict(
            self.env["fs.inspection"]._read_group(
                [("fsm_order_id", "in", self.ids)], ["fsm_order_id"], ["__count"]
            )
        )
        for order in self:
            order.inspection_count = counts.get(order, 0)

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_inspection_action"
        )
        action["domain"] = [("fsm_order_id", "=", self.id)]
        action["context"] = {
            "default_fsm_order_id": self.id,
            "default_location_id": self.location_id.id,
        }
        if self.inspection_count == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.inspection_ids.id
        return action
