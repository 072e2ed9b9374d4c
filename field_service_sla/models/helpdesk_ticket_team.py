from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    """Who escalation steps reach on a team besides its leader (helpdesk_mgmt's
    user_id): the engineer on call and the shift lead."""

    _inherit = "helpdesk.ticket.team"

    fs_on_call_user_id = fields.Many2one(
        "res.users",
        string="On-call engineer",
        domain=[("share", "=", False)],
        check_company=True,
    )
    fs_shift_lead_id = fields.Many2one(
        "res.users",
        string="Shift lead",
        domain=[("share", "=", False)],
        check_company=True,
        help="Also receives the call-back (回访) activities of the team's "
        "closed faults.",
    )
