from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import severity as core
from .helpdesk_ticket_severity import IMPACT_SCOPES, SEVERITIES

IMPORTANCES = [
    (core.ANY, "Any customer"),
    (core.IMPORTANT, "Important group customers"),
    (core.ORDINARY, "Ordinary group customers"),
]
LINE_CONDITIONS = [
    (core.ANY, "Any line"),
    (core.CROSS_CITY, "Cross-city lines"),
    (core.NOT_CROSS_CITY, "Lines within one city"),
]


class FsSeverityRule(models.Model):
    """An outage rule: which faults take which severity once they have lasted
    longer than a threshold. The first matching rule by sequence decides."""

    _name = "fs.severity.rule"
    _description = "Severity rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="The first matching rule, lowest sequence first, decides.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply in every company."
    )
    # conditions: empty means "any"
    service_type_ids = fields.Many2many(
        "fs.service.type", string="Service types", help="Empty: every service type."
    )
    importance = fields.Selection(
        IMPORTANCES,
        string="Customers",
        required=True,
        default=core.ANY,
        tracking=True,
        help="Important group customers: province-level and diamond customers and "
        "every customer with a cross-province or cross-city line. Ordinary "
        "group customers: the other government-enterprise customers.",
    )
    impact_scope = fields.Selection(
        IMPACT_SCOPES,
        string="Impact",
        tracking=True,
        help="The impact the dispatcher assessed on the ticket. Empty: any impact, "
        "also on tickets not assessed yet.",
    )
    line_condition = fields.Selection(
        LINE_CONDITIONS, string="Line", required=True, default=core.ANY, tracking=True
    )
    excluded_tier_ids = fields.Many2many(
        "fs.customer.tier",
        string="Except customer tiers",
        help="Customers of these tiers never match this rule (for instance "
        "diamond customers, whose cross-city lines are severe after 30 min).",
    )
    threshold_minutes = fields.Integer(
        string="Lasting more than (min)",
        required=True,
        default=30,
        tracking=True,
        help="Wall-clock minutes from the report: a fault restored earlier never "
        "takes this severity.",
    )
    severity = fields.Selection(
        SEVERITIES, required=True, default=core.SEVERE, tracking=True
    )
    description = fields.Text(translate=True)

    @api.constrains("threshold_minutes")
    def _check_threshold(self):
        for rule in self:
            if rule.threshold_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "Severity rule %(rule)s: the threshold must be zero or more "
                        "minutes, not %(minutes)s.",
                        rule=rule.display_name,
                        minutes=rule.threshold_minutes,
                    )
                )

    def _core_rule(self):
        self.ensure_one()
        return core.SeverityRule(
            self.id,
            self.severity,
            timedelta(minutes=self.threshold_minutes),
            sequence=self.sequence,
            service_types=frozenset(self.service_type_ids.ids),
            importance=self.importance,
            scope=self.impact_scope or None,
            line=self.line_condition,
            excluded_tiers=frozenset(self.excluded_tier_ids.ids),
        )

    @api.model
    def _rule_sets(self):
        """{company id: the core rules that apply there, in order}, loaded
        once for a whole batch of tickets; ``False`` holds the shared ones."""
        rules = self.sudo().search([])
        ordered = core.order_rules([r._core_rule() for r in rules])
        company_of = {r.id: r.company_id.id for r in rules}
        companies = {c for c in company_of.values() if c}
        sets = {False: [r for r in ordered if not company_of[r.id]]}
        for company in companies:
            sets[company] = [r for r in ordered if company_of[r.id] in (False, company)]
        return sets
