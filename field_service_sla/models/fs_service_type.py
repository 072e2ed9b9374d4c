from odoo import fields, models


class FsServiceType(models.Model):
    _name = "fs.service.type"
    _inherit = ["fs.sla.condition.mixin"]
    _description = "Service Type"
    _order = "sequence, id"
    _sla_policy_field = "service_type_ids"

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
