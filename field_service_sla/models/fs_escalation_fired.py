from odoo import fields, models

from .fs_escalation_step import TRIGGERS


class FsEscalationFired(models.Model):
    """One escalation step fired on one ticket: the ticket's escalation
    history, and the guarantee that a step is done once. The sweep inserts
    these rows with ON CONFLICT DO NOTHING and performs only the actions of
    the rows it inserted, in the same transaction: a step recorded is a step
    done, and a step done is recorded. Nobody edits them."""

    _name = "fs.escalation.fired"
    _description = "Escalation step fired"
    _order = "fired_at desc, id desc"
    _log_access = False

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, readonly=True, ondelete="cascade"
    )
    step_id = fields.Many2one(
        "fs.escalation.step", required=True, readonly=True, ondelete="cascade"
    )
    ladder_id = fields.Many2one(
        "fs.escalation.ladder", readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    occurrence = fields.Integer(
        readonly=True, help="0 for a step that fires once; 1, 2... for repetitions."
    )
    fired_at = fields.Datetime(readonly=True, index=True)
    trigger = fields.Selection(TRIGGERS, readonly=True)
    actions = fields.Text(string="Actions taken", readonly=True)
    recipients = fields.Text(string="Who was told", readonly=True)
    activity_count = fields.Integer(string="Activities", readonly=True)
    mail_count = fields.Integer(string="E-mails", readonly=True)
    sms_count = fields.Integer(string="SMS", readonly=True)
    digest = fields.Boolean(
        readonly=True,
        help="Told in a digest with other tickets of the same sweep.",
    )

    # its first column serves the ticket's history and the sweep's look-up
    _ticket_step_occurrence_uniq = models.Constraint(
        "UNIQUE(ticket_id, step_id, occurrence)",
        "An escalation step fires once per occurrence on a ticket.",
    )
