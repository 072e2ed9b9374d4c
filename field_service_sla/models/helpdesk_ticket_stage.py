from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause_reason_id = fields.Many2one(
        "fs.sla.pause.reason",
        string="Pauses SLA clocks",
        domain=[("stops_all_clocks", "=", False)],
        help="While a ticket is in this stage, a pause with this reason is open: "
        "the milestones that this reason pauses stop counting.",
    )
    sla_resolves = fields.Boolean(
        string="Resolves the ticket",
        help="Moving a ticket to this closed stage stamps its resolve time. "
        "Leave it off for closed stages such as Cancelled or Rejected: those "
        "tickets are not counted as resolved.",
    )
