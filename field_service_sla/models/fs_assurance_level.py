from odoo import fields, models


class FsAssuranceLevel(models.Model):
    _name = "fs.assurance.level"
    _inherit = ["fs.sla.condition.mixin"]
    _description = "Service Assurance Level"
    _order = "sequence, id"
    _sla_policy_field = "level_ids"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="AAA, AA, A, STD")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "An assurance level code must be unique."
    )
