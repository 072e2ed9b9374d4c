from odoo import fields, models


class FsServiceType(models.Model):
    _name = "fs.service.type"
    _description = "Service Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    segment = fields.Selection(
        [("home", "Home / public"), ("enterprise", "Government-enterprise")],
        help="Leave empty when the service is sold to both segments.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "A service type code must be unique."
    )

    def write(self, vals):
        if vals.get("active") is False:
            self.env["fs.sla.policy"]._check_no_active_policy_uses(
                "service_type_ids", self, self.env._("service type")
            )
        return super().write(vals)
