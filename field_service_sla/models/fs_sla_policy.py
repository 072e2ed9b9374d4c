import sys

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import (
    PolicyRule,
    conflicting_rules,
    find_shadowed,
    first_match,
    order_rules,
)
from .fs_customer_tier import SEGMENTS

# a policy being created gets the highest id: it ranks after its equals
UNSAVED_POLICY_ID = sys.maxsize

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
    tickets: matching a ticket then costs no query at all, and tickets
    described alike (same company and facts) are matched once."""

    def __init__(self, policies):
        self._by_id = {p.id: p for p in policies}
        self._company = {p.id: p.company_id.id for p in policies}
        self._ordered = order_rules([p._sla_rule() for p in policies])
        self._per_company = {}
        self._matches = {}

    def match(self, company_id, facts):
        key = (company_id, *facts.items())
        if key in self._matches:
            return self._matches[key]
        rules = self._per_company.get(company_id)
        if rules is None:
            rules = self._per_company[company_id] = [
                r for r in self._ordered if self._company[r.id] in (False, company_id)
            ]
        rule = first_match(rules, facts)
        policy = self._matches[key] = self._by_id[rule.id] if rule else None
        return policy


class FsSlaPolicy(models.Model):
    _name = "fs.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="Among matching policies of equal specificity, the lowest sequence "
        "takes precedence.",
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
    assurance_only = fields.Boolean(
        string="Assurance periods only",
        tracking=True,
        help="Applies only to tickets reported on a line during a declared "
        "special assurance period that names this policy, and then takes "
        "precedence over every other policy.",
    )
    milestone_ids = fields.One2many(
        "fs.sla.milestone", "policy_id", string="Milestones", copy=True
    )
    specificity = fields.Integer(
        compute="_compute_specificity",
        help="How many conditions are set: the more, the higher the precedence.",
    )
    shadowed_by_id = fields.Many2one(
        "fs.sla.policy",
        string="Shadowed by",
        compute="_compute_conflict_warning",
        help="An active policy that takes precedence over this one on every "
        "ticket this one matches: this policy never applies.",
    )
    conflict_warning = fields.Char(
        string="Precedence warning", compute="_compute_conflict_warning"
    )

    @api.depends("segment", "priority", "assurance_only", *CONDITION_FIELDS)
    def _compute_specificity(self):
        for policy in self:
            policy.specificity = policy._sla_rule().specificity

    @api.depends(
        "active",
        "sequence",
        "company_id",
        "segment",
        "priority",
        "assurance_only",
        *CONDITION_FIELDS,
    )
    def _compute_conflict_warning(self):
        """Flag a policy that can never apply (another one takes precedence on
        every ticket it matches), the policy that shadows it, and policies of
        equal precedence that overlap. In the form, on the values being edited,
        before they are saved."""
        active = self.search([])
        rules = {p.id: p._sla_rule() for p in active}
        companies = {p.id: p.company_id.id for p in active}
        names = {p.id: p.display_name for p in active}
        saved = self.filtered(lambda p: isinstance(p.id, int))
        saved._sla_flag_precedence(rules, companies, names)
        for policy in self - saved:
            edited_rules, edited_companies = dict(rules), dict(companies)
            edited_rules.pop(policy._origin.id, None)
            if policy.active:
                rule = policy._sla_rule()
                edited_rules[rule.id] = rule
                edited_companies[rule.id] = policy.company_id.id
            policy._sla_flag_precedence(edited_rules, edited_companies, names)

    def _sla_flag_precedence(self, rules, companies, names):
        """Set the warnings of these policies among ``rules`` (by id, with
        their company ids): a shared policy is shadowed only by shared ones (it
        still applies in the other companies); a company's policy by shared
        ones and its company's."""
        shadowed = {
            company: find_shadowed(
                [r for i, r in rules.items() if companies[i] in (False, company)]
            )
            for company in {False, *companies.values()}
        }
        for policy in self:
            own = policy._origin.id or UNSAVED_POLICY_ID
            rule = rules.get(own)
            if rule is None:  # archived
                policy.shadowed_by_id = False
                policy.conflict_warning = False
                continue
            company = companies[own]
            shadow = shadowed[company].get(own)
            victims = sorted(
                names[i]
                for i in rules
                if i != own and shadowed[companies[i]].get(i) == own
            )
            clashes = conflicting_rules(
                rule,
                [
                    r
                    for i, r in rules.items()
                    if i != own and (not company or companies[i] in (False, company))
                ],
            )
            messages = []
            if shadow:
                messages.append(
                    self.env._(
                        "Never applies: %(other)s takes precedence over this "
                        "policy on every ticket it matches. Change a condition or "
                        "a sequence, or archive one of them.",
                        other=names[shadow],
                    )
                )
            if victims:
                messages.append(
                    self.env._(
                        "Takes precedence over %(others)s on every ticket they "
                        "match: they never apply.",
                        others=", ".join(victims),
                    )
                )
            if clashes:
                messages.append(
                    self.env._(
                        "Same precedence as %(others)s: a ticket could match "
                        "both, and the older record would win. Change a sequence "
                        "or a condition.",
                        others=", ".join(sorted(names[c.id] for c in clashes)),
                    )
                )
            policy.shadowed_by_id = shadow or False
            policy.conflict_warning = " ".join(messages) or False

    def _sla_rule(self):
        """The policy as the core sees it."""
        conditions = {
            dimension: frozenset(self[field].ids)
            for field, dimension in CONDITION_FIELDS.items()
        }
        conditions["segment"] = frozenset([self.segment] if self.segment else [])
        conditions["priority"] = frozenset([self.priority] if self.priority else [])
        return PolicyRule(
            self._origin.id or UNSAVED_POLICY_ID,
            self.sequence,
            conditions,
            assurance_only=self.assurance_only,
        )

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
