from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.field_service_sla.models.fs_sla_milestone import MILESTONE_KINDS
from odoo.addons.field_service_sla.models.helpdesk_ticket_severity import SEVERITIES

from ..reports_core import scoring as core

SOURCES = [
    (core.MILESTONE, "SLA milestone of the crew's tickets"),
    (core.COMPLAINT, "Complaint about a field order"),
    (core.SPOT_CHECK, "Failed check of a spot check"),
    (core.MANUAL, "Entered by a dispatcher, with evidence"),
]
MODES = [
    (core.PER_OCCURRENCE, "Per occurrence"),
    (core.PER_DAY_OVER, "Per day over"),
]


class FsAssessmentScheme(models.Model):
    """How contractors (代维) are scored each month (考核制度): a base, a
    floor and items taking points off. The shipped scheme follows seed 003's
    sample form (维保服务考核表); the arithmetic is the core's
    (reports_core.scoring)."""

    _name = "fs.assessment.scheme"
    _description = "Contractor assessment scheme"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    base = fields.Integer(
        "Full score",
        default=core.DEFAULT_BASE,
        required=True,
        tracking=True,
        help="The score of a month without deductions.",
    )
    floor = fields.Integer(
        "Lowest score",
        default=core.DEFAULT_FLOOR,
        required=True,
        tracking=True,
        help="Deductions never take the score below it.",
    )
    item_ids = fields.One2many("fs.assessment.item", "scheme_id", string="Items")
    note = fields.Text("Notes", translate=True)

    @api.constrains("base", "floor")
    def _check_base_floor(self):
        for scheme in self:
            if core.scheme_problems(scheme.base, scheme.floor):
                raise ValidationError(
                    self.env._(
                        "%(scheme)s: the lowest score (%(floor)s) cannot be above "
                        "the full score (%(base)s).",
                        scheme=scheme.name,
                        floor=scheme.floor,
                        base=scheme.base,
                    )
                )

    def _fs_core_items(self):
        self.ensure_one()
        return [item._fs_core_item() for item in self.item_ids]


class FsAssessmentItem(models.Model):
    """One line of a scheme (扣罚项): where its deductions come from and the
    points each takes off."""

    _name = "fs.assessment.item"
    _description = "Contractor assessment item"
    _order = "scheme_id, sequence, id"

    scheme_id = fields.Many2one(
        "fs.assessment.scheme", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char("Item", required=True, translate=True)
    rule = fields.Char(
        "Standard",
        translate=True,
        help="What the contractor is held to, as the form prints it "
        "(e.g. on site within 15 minutes).",
    )
    source = fields.Selection(
        SOURCES,
        help="Computed from the month's data, or entered by a dispatcher with "
        "its evidence.",
    )
    mode = fields.Selection(
        MODES,
        string="Counted",
        required=True,
        default=core.PER_OCCURRENCE,
        help="Per occurrence: the points each time. Per day over: the points "
        "for each started day past the deadline.",
    )
    points = fields.Integer("Points off", required=True, default=5)
    cap = fields.Integer(
        "At most per month",
        help="The most this item takes off in a month; 0: no limit.",
    )
    milestone = fields.Selection(
        MILESTONE_KINDS,
        help="The SLA milestone whose clocks this item reads.",
    )
    severity_from = fields.Selection(
        SEVERITIES,
        string="From severity",
        help="Only tickets of this severity or worse; empty: from the lowest.",
    )
    severity_to = fields.Selection(
        SEVERITIES,
        string="To severity",
        help="Only tickets of this severity or milder; empty: up to the worst.",
    )
    target_hours = fields.Float(
        "Own target (hours)",
        help="The contractor's own deadline, from the milestone's start, in "
        "elapsed hours. Empty: the SLA clock's deadline (working calendar "
        "and pauses), and its breach as the SLA counts it.",
    )

    def _fs_core_item(self):
        return core.Item(
            code=str(self.id),
            points=self.points,
            mode=self.mode,
            source=self.source,
            cap=self.cap or None,
            milestone=self.milestone or None,
        )

    @api.constrains("source", "mode", "points", "cap", "milestone")
    def _check_item(self):
        messages = {
            core.NO_SOURCE: self.env._(
                "say where its deductions come from (a milestone, complaints, "
                "spot checks, or a dispatcher's entry)"
            ),
            core.UNKNOWN_SOURCE: self.env._("its source is unknown"),
            core.NO_MILESTONE: self.env._("choose the milestone it reads"),
            core.NO_DEADLINE: self.env._(
                "only a milestone or a dispatcher's entry can count days over"
            ),
            core.NEGATIVE_POINTS: self.env._("its points cannot be negative"),
            core.NEGATIVE_CAP: self.env._("its limit cannot be negative"),
            core.UNKNOWN_MODE: self.env._("its counting is unknown"),
        }
        for item in self:
            problems = core.item_problems(
                core.Item(
                    code=item.name or "",
                    points=item.points,
                    mode=item.mode,
                    source=item.source,
                    cap=item.cap,
                    milestone=item.milestone or None,
                )
            )
            if problems:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s: %(problems)s.",
                        item=item.name,
                        problems="; ".join(messages[p] for p in problems),
                    )
                )
