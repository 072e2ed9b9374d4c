from datetime import timedelta

from odoo import api, fields, models

# how far back a visit's preparation pack looks for inspection records
INSPECTION_LOOKBACK_DAYS = 365


class FsVisit(models.Model):
    """A visit's preparation pack shows the customer's inspection and routine
    test records of the last year, next to its circuits and faults."""

    _inherit = "fs.visit"

    inspection_ids = fields.Many2many(
        "fs.inspection",
        string="Inspection records",
        compute="_compute_inspection_ids",
        help="The customer's inspections and routine tests of the last year.",
    )

    @api.depends("partner_id")
    def _compute_inspection_ids(self):
        """One search for all the visits; the reader's access rules apply."""
        since = fields.Date.context_today(self) - timedelta(
            days=INSPECTION_LOOKBACK_DAYS
        )
        inspections = self.env["fs.inspection"].search(
            [("partner_id", "in", self.partner_id.ids), ("planned_date", ">=", since)],
            order="planned_date desc, id desc",
        )
        for visit in self:
            visit.inspection_ids = inspections.filtered(
                lambda i, p=visit.partner_id: i.partner_id == p
            )
