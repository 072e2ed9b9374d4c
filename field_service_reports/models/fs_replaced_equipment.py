from odoo import api, models


class FsReplacedEquipment(models.Model):
    """The equipment a signed confirmation lists stays as signed, whether
    changed through the order or on its own (its fields: the shown mixin;
    adding and removing: here)."""

    _name = "fs.replaced.equipment"
    _inherit = ["fs.document.shown.mixin", "fs.replaced.equipment"]

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["fsm.order"].browse(
            {v["order_id"] for v in vals_list if v.get("order_id")}
        )
        self._fs_guard(orders)
        return super().create(vals_list)

    def unlink(self):
        self._fs_guard(self.order_id)
        return super().unlink()

    def _fs_guard(self, orders):
        self.env["fs.document"]._fs_guard_source(orders, {"fs_replaced_equipment_ids"})
