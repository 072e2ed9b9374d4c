from odoo import api, models
from odoo.exceptions import UserError


class FsOrderDialog(models.AbstractModel):
    """A record made from a dialog that a field order's button opens
    (appointment change, customer absent): it belongs to that order.

    The web client does not send a readonly field, so the order may come
    only as the dialog's context default: create() reads it from the values
    or from that default, and refuses clearly when neither names an order,
    before the ORM would fill it in too late for the create's own rules."""

    _name = "fs.order.dialog.mixin"
    _description = "Record made from a field order's dialog"

    @api.model
    def _fs_dialog_orders(self, vals_list):
        """The order of each of ``vals_list`` (its ``order_id`` set from the
        context default where missing), as {id: fsm.order}."""
        default = self.env.context.get("default_order_id")
        for vals in vals_list:
            if not vals.get("order_id") and default:
                vals["order_id"] = default
            if not vals.get("order_id"):
                raise UserError(
                    self.env._(
                        "No field order was given: open this from the field "
                        "order's button."
                    )
                )
        orders = self.env["fsm.order"].browse({v["order_id"] for v in vals_list})
        missing = orders - orders.exists()
        if missing:
            raise UserError(
                self.env._(
                    "The field order %s does not exist (any more).",
                    ", ".join(str(i) for i in missing.ids),
                )
            )
        return {order.id: order for order in orders}
