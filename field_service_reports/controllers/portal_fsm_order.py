from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.fieldservice_portal.controllers.fsm_order_portal import (
    CustomerPortal as FsmOrderPortal,
)


class FsFsmOrderPortal(FsmOrderPortal):
    """fieldservice_portal's field orders, for the orders whose customer is
    the user's company."""

    def _prepare_fsm_orders_domain(self):
        # fieldservice_portal counts the orders of the home page as superuser
        # with this domain: without the customer, every customer's count.
        return [
            *super()._prepare_fsm_orders_domain(),
            ("fs_customer_id", "=", request.env.user.commercial_partner_id.id),
        ]

    def _fsm_order_check_access(self, order_id):
        # an id that does not exist is refused like another company's order
        # (fieldservice_portal only turns access errors into its redirect)
        if not request.env["fsm.order"].search_count([("id", "=", order_id)]):
            raise AccessError(request.env._("This field order is not yours."))
        return super()._fsm_order_check_access(order_id)
