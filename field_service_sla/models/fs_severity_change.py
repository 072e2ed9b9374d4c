from odoo import fields, models

from .helpdesk_ticket_severity import SEVERITIES

SOURCES = [
    ("rule", "Outage rule"),
    ("aggregation", "Complaint aggregation"),
    ("correlation", "Alarm correlation"),
    ("dispatcher", "Dispatcher"),
    ("exclusion", "Excluded from assessment"),
    ("inclusion", "Counted again"),
]


class FsSeverityChange(models.Model):
    """One change of a ticket's severity or of its exclusion from assessment:
    who, when, why. Written by the ticket itself, never edited."""

    _name = "fs.severity.change"
    _description = "Severity change"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda s: s.env.user, readonly=True
    )
    source = fields.Selection(SOURCES, required=True, readonly=True)
    old_severity = fields.Selection(SEVERITIES, string="From", readonly=True)
    new_severity = fields.Selection(SEVERITIES, string="To", readonly=True)
    excluded = fields.Boolean(
        string="Excluded from assessment",
        readonly=True,
        help="Whether the ticket was left out of the monthly figures after this "
        "change.",
    )
    reason = fields.Text(readonly=True)
    rule_id = fields.Many2one(
        "fs.severity.rule", string="Rule", ondelete="set null", readonly=True
    )
    incident_id = fields.Many2one(
        "fs.incident", string="Incident", ondelete="set null", readonly=True
    )
