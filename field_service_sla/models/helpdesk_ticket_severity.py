from odoo import fields, models

# A fault's severity (DOMAIN.md "Severity and escalation"), lowest first.
SEVERITIES = [("general", "General"), ("major", "Major"), ("severe", "Severe")]
SEVERITY_RANK = {code: rank for rank, (code, _label) in enumerate(SEVERITIES)}


class HelpdeskTicket(models.Model):
    """The ticket's severity: what the classification rules, the complaint
    aggregation and the dispatcher decide, and what escalation ladders read."""

    _inherit = "helpdesk.ticket"

    severity = fields.Selection(
        SEVERITIES, default="general", required=True, tracking=True, index=True
    )
    severity_excluded = fields.Boolean(
        string="Excluded from assessment",
        readonly=True,
        copy=False,
        index=True,
        help="Not our fault: the ticket stays visible but leaves the monthly "
        "figures.",
    )

    def _fs_severity_changed(self, old_severities):
        """Hook called once the severity of these tickets has changed, with
        {ticket id: previous severity}. Escalation extends it."""
        return True
