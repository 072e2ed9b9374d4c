from odoo import api, fields, models
from odoo.exceptions import UserError

SEGMENTS = [("home", "Home / public"), ("enterprise", "Government-enterprise")]


class FsCustomerTier(models.Model):
    _name = "fs.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

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

    def write(self, vals):
        if vals.get("active") is False:
            self.env["fs.sla.policy"]._check_no_active_policy_uses(
                "tier_ids", self, self.env._("tier")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_policy(self):
        if self.env["fs.sla.policy"].search_count([("tier_ids", "in", self.ids)]):
            raise UserError(
                self.env._(
                    "A tier used by an SLA policy cannot be deleted; archive it."
                )
            )
