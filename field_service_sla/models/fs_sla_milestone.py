from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import summary

MILESTONE_KINDS = [
    ("contact", "First contact"),
    ("diagnosis", "Preliminary diagnosis"),
    ("on_site", "On site"),
    ("restored", "Service restored"),
    ("resolved", "Resolved"),
    ("report", "Fault report submitted"),
]

START_EVENTS = [
    ("create", "Fault reported"),
    ("assign", "Ticket assigned"),
    ("confirm", "Fault confirmed"),
    ("close", "Ticket closed"),
]

# the ticket field that reaches a milestone of each kind by default
REACH_FIELDS = [
    ("first_contact_date", "First contact time"),
    ("diagnosis_date", "Preliminary diagnosis time"),
    ("on_site_date", "On-site arrival time"),
    ("restored_date", "Service restore time"),
    ("resolved_date", "Resolve time"),
    ("report_date", "Fault report time"),
]
DEFAULT_REACH_FIELD = dict(
    zip([k for k, _l in MILESTONE_KINDS], [f for f, _l in REACH_FIELDS], strict=True)
)


class FsSlaMilestone(models.Model):
    _name = "fs.sla.milestone"
    _description = "SLA Milestone"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "fs.sla.policy", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(MILESTONE_KINDS, string="Milestone", required=True)
    target_hours = fields.Float(
        string="Target",
        required=True,
        help="Working time allowed, in hours on the milestone's calendar.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working calendar",
        help="Leave empty for around the clock (24/7).",
    )
    start_event = fields.Selection(START_EVENTS, required=True, default="create")
    reach_type = fields.Selection(
        [("field", "A ticket time is set"), ("stage", "A stage is reached")],
        required=True,
        default="field",
    )
    reach_field = fields.Selection(
        REACH_FIELDS,
        compute="_compute_reach_field",
        store=True,
        readonly=False,
    )
    reach_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage", string="Reached in stages"
    )
    pause_reason_ids = fields.Many2many(
        "fs.sla.pause.reason",
        string="Paused by",
        help="Pauses with these reasons stop this milestone's clock.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones.policy_id._sla_recompute_open_tickets()
        return milestones

    def write(self, vals):
        result = super().write(vals)
        self.policy_id._sla_recompute_open_tickets()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies.exists()._sla_recompute_open_tickets()
        return result

    @api.depends("kind")
    def _compute_reach_field(self):
        for milestone in self:
            milestone.reach_field = DEFAULT_REACH_FIELD.get(milestone.kind)

    @property
    def target(self):
        return timedelta(hours=self.target_hours)

    @api.depends("kind", "target_hours")
    @api.depends_context("lang")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for milestone in self:
            milestone.display_name = (
                f"{kinds.get(milestone.kind, '')} "
                f"{summary.format_duration(milestone.target_hours, self.env.lang)}"
            )

    @api.constrains("target_hours")
    def _check_target(self):
        for milestone in self:
            if milestone.target_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "The target of milestone %s must be a positive duration.",
                        milestone.display_name,
                    )
                )

    @api.constrains("kind", "policy_id")
    def _check_one_per_kind(self):
        for milestone in self:
            kind = milestone.kind
            twins = milestone.policy_id.milestone_ids.filtered(
                lambda m, k=kind: m.kind == k
            )
            if len(twins) > 1:
                raise ValidationError(
                    self.env._(
                        "Policy %s has two milestones of the same kind.",
                        milestone.policy_id.display_name,
                    )
                )

    @api.constrains("calendar_id")
    def _check_calendar_has_working_time(self):
        now = fields.Datetime.now()
        for calendar in self.calendar_id:
            if not calendar._sla_has_working_time(now):
                raise ValidationError(
                    self.env._(
                        "Calendar %s has no working time in the coming year: a "
                        "deadline on it would never come.",
                        calendar.display_name,
                    )
                )

    @api.constrains("reach_type", "reach_field", "reach_stage_ids")
    def _check_reach(self):
        for milestone in self:
            if milestone.reach_type == "field" and not milestone.reach_field:
                raise ValidationError(
                    self.env._(
                        "Milestone %s needs the ticket time that reaches it.",
                        milestone.display_name,
                    )
                )
            if milestone.reach_type == "stage" and not milestone.reach_stage_ids:
                raise ValidationError(
                    self.env._(
                        "Milestone %s needs the stages that reach it.",
                        milestone.display_name,
                    )
                )
