from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import PolicyRule, find_conflicts, first_match, order_rules
from .fs_customer_tier import SEGMENTS

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]

# policy field -> (core dimension, archived-record label)
CONDITION_FIELDS = {
    "tier_ids": "tier",
    "level_ids": "level",
    "service_type_ids": "service_type",
    "team_ids": "team",
    "category_ids": "category",
}


class PolicySet:
    """The active policies, loaded once and ordered once for a whole batch of
    tickets: matching a ticket then costs no query at all."""

    def __init__(self, policies):
        self._by_id = {p.id: p for p in policies}
        self._company = {p.id: p.company_id.id for p in policies}
        self._ordered = order_rules([p._sla_rule() for p in policies])
        self._per_company = {}

    def match(self, company_id, facts):
        rules = self._per_company.get(company_id)
        if rules is None:
            rules = self._per_company[company_id] = [
                r for r in self._ordered if self._company[r.id] in (False, company_id)
            ]
        rule = first_match(rules, facts)
        return self._by_id[rule.id] if rule else None


class FsSlaPolicy(models.Model):
    _name = "fs.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="Among matching policies of equal specificity, the lowest sequence wins.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply in every company."
    )
    description = fields.Text(translate=True)
    # Conditions: empty means "any".
    segment = fields.Selection(SEGMENTS, tracking=True)
    tier_ids = fields.Many2many("fs.customer.tier", string="Customer tiers")
    level_ids = fields.Many2many("fs.assurance.level", string="Assurance levels")
    service_type_ids = fields.Many2many("fs.service.type", string="Service types")
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Helpdesk teams")
    category_ids = fields.Many2many("helpdesk.ticket.category", string="Categories")
    priority = fields.Selection(PRIORITIES, tracking=True)
    milestone_ids = fields.One2many(
        "fs.sla.milestone", "policy_id", string="Milestones", copy=True
    )
    specificity = fields.Integer(
        compute="_compute_specificity",
        help="How many conditions are set: the more, the higher the policy ranks.",
    )
    conflict_warning = fields.Char(compute="_compute_conflict_warning")

    @api.depends("segment", "priority", *CONDITION_FIELDS)
    def _compute_specificity(self):
        for policy in self:
            policy.specificity = policy._sla_rule().specificity

    def _compute_conflict_warning(self):
        active = self.search([])
        rules = {p.id: p._sla_rule() for p in active}
        clashes = defaultdict(list)
        for company in {p.company_id for p in active}:
            scoped = [
                rules[p.id]
                for p in active
                if not p.company_id or not company or p.company_id == company
            ]
            for a, b in find_conflicts(scoped):
                clashes[a].append(b)
                clashes[b].append(a)
        names = dict(zip(active.ids, active.mapped("display_name"), strict=True))
        for policy in self:
            others = sorted({names[i] for i in clashes.get(policy._origin.id, ())})
            policy.conflict_warning = (
                self.env._(
                    "Same rank as %(others)s: a ticket could match both. "
                    "Change a sequence or a condition.",
                    others=", ".join(others),
                )
                if others and policy.active
                else False
            )

    def _sla_rule(self):
        """The policy as the core sees it."""
        conditions = {
            dimension: frozenset(self[field].ids)
            for field, dimension in CONDITION_FIELDS.items()
        }
        conditions["segment"] = frozenset([self.segment] if self.segment else [])
        conditions["priority"] = frozenset([self.priority] if self.priority else [])
        return PolicyRule(self._origin.id or 0, self.sequence, conditions)

    @api.model
    def _sla_policy_set(self):
        return PolicySet(self.sudo().search([]))

    @api.constrains("active", "tier_ids", "level_ids", "service_type_ids")
    def _check_conditions_active(self):
        for policy in self.filtered("active"):
            archived = [
                rec.display_name
                for field in ("tier_ids", "level_ids", "service_type_ids")
                for rec in policy.with_context(active_test=False)[field]
                if not rec.active
            ]
            if archived:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s refers to archived records: %(names)s. "
                        "Remove them from its conditions or restore them.",
                        policy=policy.display_name,
                        names=", ".join(archived),
                    )
                )

    def _sla_recompute_open_tickets(self):
        """Apply changed milestones to the open tickets of these policies, in
        one batch, and say so in each policy's chatter."""
        for policy in self:
            tickets = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search(
                    [("sla_policy_id", "=", policy.id), ("stage_id.closed", "=", False)]
                )
            )
            if tickets:
                self.env["fs.sla.engine"]._sync(tickets)
                policy.message_post(
                    body=self.env._(
                        "Milestones changed: the clocks of %s open tickets were "
                        "recomputed from their original start.",
                        len(tickets),
                    )
                )

    def action_simulate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Simulate %s", self.display_name),
            "res_model": "fs.sla.simulate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_policy_id": self.id},
        }
