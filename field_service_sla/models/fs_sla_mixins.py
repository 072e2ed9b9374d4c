from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class FsSlaConditionMixin(models.AbstractModel):
    """A record that SLA policies use as a condition (tier, level, service
    type): it cannot be archived while an active policy names it."""

    _name = "fs.sla.condition.mixin"
    _description = "SLA policy condition"
    #: the Many2many of fs.sla.policy that holds records of this model
    _sla_policy_field = None

    def write(self, vals):
        if vals.get("active") is False:
            users = self.env["fs.sla.policy"].search(
                [(self._sla_policy_field, "in", self.ids)]
            )
            if users:
                raise ValidationError(
                    self.env._(
                        "%(records)s: a condition of the active SLA policies "
                        "%(policies)s; change those policies before archiving it.",
                        records=", ".join(self.mapped("display_name")),
                        policies=", ".join(users.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_policy(self):
        policies = self.env["fs.sla.policy"].with_context(active_test=False)
        if policies.search_count([(self._sla_policy_field, "in", self.ids)]):
            raise UserError(
                self.env._(
                    "%s is used by an SLA policy: archive it instead.",
                    self._description,
                )
            )


class FsSlaPeriodMixin(models.AbstractModel):
    """A pause: from a start to an optional end (open while it has none)."""

    _name = "fs.sla.period.mixin"
    _description = "SLA pause period"

    start_date = fields.Datetime(required=True, default=fields.Datetime.now)
    end_date = fields.Datetime()

    @api.constrains("start_date", "end_date")
    def _check_dates(self):
        for period in self:
            if period.end_date and period.end_date < period.start_date:
                raise ValidationError(
                    self.env._("A pause cannot end before it starts.")
                )
