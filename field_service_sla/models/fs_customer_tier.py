from odoo import fields, models

SEGMENTS = [("home", "Home / public"), ("enterprise", "Government-enterprise")]


class FsCustomerTier(models.Model):
    _name = "fs.customer.tier"
    _inherit = ["fs.sla.condition.mixin"]
    _description = "Customer Tier"
    _order = "sequence, id"
    _sla_policy_field = "tier_ids"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    segment = fields.Selection(SEGMENTS, required=True, default="enterprise")
    is_important = fields.Boolean(
        string="Important customer",
        help="Customers of this tier are important group customers: severe-fault "
        "rules and city-to-province escalation apply to them.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A tier code must be unique.")
