from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """What the customer's portal shows of a ticket's service line."""

    _inherit = "helpdesk.ticket"

    fs_portal_service_line = fields.Char(
        string="Service line (portal)",
        compute="_compute_fs_portal_service_line",
        compute_sudo=True,
        help="The ticket's service line, when it is a line of the ticket's "
        "customer: the portal never names another customer's circuit, even "
        "on a ticket whose line was mistakenly set.",
    )

    @api.depends(
        "service_line_id.partner_id.commercial_partner_id", "commercial_partner_id"
    )
    @api.depends_context("lang")
    def _compute_fs_portal_service_line(self):
        for ticket in self:
            line = ticket.service_line_id
            own = line.partner_id.commercial_partner_id == ticket.commercial_partner_id
            ticket.fs_portal_service_line = line.display_name if line and own else False
