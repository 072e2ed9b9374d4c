from odoo import api, models


class FsSlaEngine(models.AbstractModel):
    """A change of a ticket's clocks may bring an escalation step forward or
    push it back: the tickets the SLA engine just synced are due for an
    escalation look (one UPDATE for the batch)."""

    _inherit = "fs.sla.engine"

    @api.model
    def _refresh_summary(self, ticket_ids):
        result = super()._refresh_summary(ticket_ids)
        self.env["fs.escalation.engine"]._mark(ticket_ids)
        return result
