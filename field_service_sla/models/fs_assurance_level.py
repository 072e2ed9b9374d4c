from odoo import fields, models


class FsAssuranceLevel(models.Model):
    _name = "fs.assurance.level"
    _description = "Service Assurance Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="AAA, AA, A, STD")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "An assurance level code must be unique."
    )

    def write(self, vals):
        if vals.get("active") is False:
            self.env["fs.sla.policy"]._check_no_active_policy_uses(
                "level_ids", self, self.env._("assurance level")
            )
        return super().write(vals)
