from odoo import fields, models

# who a step notifies, resolved from the ticket (see fs.escalation.actions)
ROLE_CODES = [
    ("account_manager", "Customer's account manager"),
    ("network_manager", "Customer's network-service manager"),
    ("on_call", "Team's on-call engineer"),
    ("shift_lead", "Team's shift lead"),
    ("team_leader", "Team leader"),
    ("department_head", "Department leaders"),
    ("assignee", "Assigned technician"),
]


class FsEscalationRole(models.Model):
    """A role an escalation step notifies: the code says how the people are
    found from the ticket (its customer, its team, its company)."""

    _name = "fs.escalation.role"
    _description = "Escalation role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(ROLE_CODES, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "Each role is listed once.")
