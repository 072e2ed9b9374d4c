from odoo import fields, models


class FsSlaPauseReason(models.Model):
    _name = "fs.sla.pause.reason"
    _description = "SLA Pause Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    stops_all_clocks = fields.Boolean(
        help="Set on the system reasons (a closed ticket, planned work): it "
        "stops every clock whatever the milestone says.",
    )
    manual = fields.Boolean(
        string="Selectable by users",
        default=True,
        help="Offered when a user pauses a ticket's clocks by hand.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "A pause reason code must be unique."
    )
