from odoo import fields, models


class FsSlaClock(models.Model):
    """A milestone of a ticket excluded from assessment ("not our fault")
    stays on record but leaves the figures: the reports filter on this."""

    _inherit = "fs.sla.clock"

    severity_excluded = fields.Boolean(
        string="Excluded from assessment",
        related="ticket_id.severity_excluded",
        store=True,
        help="The ticket was excluded from assessment: this milestone does not "
        "count in the monthly figures.",
    )
