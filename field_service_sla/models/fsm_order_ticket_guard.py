from odoo import api, models


class FsmOrder(models.Model):
    """An order stamps its ticket's on-site and restore times on the
    engine's behalf (check-in, result "restored"): it is linked only to a
    ticket its user may work, in create, write and copy alike."""

    _inherit = "fsm.order"

    @api.model_create_multi
    def create(self, vals_list):
        self._fs_check_ticket_link([vals.get("ticket_id") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("ticket_id"):
            self._fs_check_ticket_link([vals["ticket_id"]])
        return super().write(vals)

    def _fs_check_ticket_link(self, ticket_ids):
        if self.env.su:
            return
        self.env["helpdesk.ticket"].browse(
            {tid for tid in ticket_ids if tid}
        ).check_access("write")
