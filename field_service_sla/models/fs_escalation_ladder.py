from odoo import api, fields, models

from .helpdesk_ticket_severity import SEVERITIES


class FsEscalationLadder(models.Model):
    """An ordered list of escalation steps, attached to tickets by their SLA
    policy, their severity and a few conditions the shipped ladders need
    (customer tier, assurance level, cross-city or cross-province line, not
    escalated yet). Empty conditions match every ticket."""

    _name = "fs.escalation.ladder"
    _description = "Escalation ladder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply in every company."
    )
    description = fields.Text(translate=True)
    policy_ids = fields.Many2many(
        "fs.sla.policy",
        string="SLA policies",
        help="Tickets on one of these policies; empty: any policy.",
    )
    min_severity = fields.Selection(
        SEVERITIES,
        string="From severity",
        tracking=True,
        help="Tickets at this severity or above; empty: any severity.",
    )
    tier_ids = fields.Many2many("fs.customer.tier", string="Customer tiers")
    level_ids = fields.Many2many("fs.assurance.level", string="Assurance levels")
    cross_city = fields.Boolean(
        string="Cross-city lines only", help="Tickets on a cross-city line."
    )
    cross_province = fields.Boolean(
        string="Cross-province lines only", help="Tickets on a cross-province line."
    )
    city_level_only = fields.Boolean(
        string="Not escalated yet",
        help="Tickets still handled by the city: a ladder that escalates to "
        "the province stops once the ticket is there.",
    )
    step_ids = fields.One2many(
        "fs.escalation.step", "ladder_id", string="Steps", copy=True
    )
    step_count = fields.Integer(compute="_compute_step_count")
    fired_count = fields.Integer(string="Fired", compute="_compute_fired_count")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for ladder in self:
            ladder.step_count = len(ladder.step_ids)

    def _compute_fired_count(self):
        counts = dict(
            self.env["fs.escalation.fired"]
            .sudo()
            ._read_group([("ladder_id", "in", self.ids)], ["ladder_id"], ["__count"])
        )
        for ladder in self:
            ladder.fired_count = counts.get(ladder, 0)

    @api.model_create_multi
    def create(self, vals_list):
        ladders = super().create(vals_list)
        self.env["fs.escalation.engine"]._recheck_open_tickets()
        return ladders

    def write(self, vals):
        result = super().write(vals)
        self.env["fs.escalation.engine"]._recheck_open_tickets()
        return result

    def action_view_fired(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_escalation_fired_action"
        )
        action["domain"] = [("ladder_id", "=", self.id)]
        return action
