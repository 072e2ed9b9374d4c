from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..sla_core.planned_work import (
    ENDS_BEFORE_START,
    IN_THE_PAST,
    Window,
    assurance_problems,
)

STATES = [
    ("draft", "Draft"),
    ("declared", "Declared"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class FsAssurancePeriod(models.Model):
    """A special assurance period (重要通信保障): a customer's important event
    (or the operator's own) during which its lines get stricter care. While
    it is declared, tickets reported on its lines in its window are governed
    by its assurance policy (an assurance-only fs.sla.policy, which outranks
    every other: sla_core.policy), the escalation role "on-call engineer"
    resolves to the day's engineer of its duty roster, and cutovers on its
    lines are refused unless an SLA administrator accepts the overlap."""

    _name = "fs.assurance.period"
    _description = "Special assurance period"
    _inherit = ["fs.button.state.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Event",
        required=True,
        tracking=True,
        help="What the customer's important event is, e.g. the annual "
        "shareholders' meeting.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    all_lines = fields.Boolean(
        string="All the customer's lines",
        default=True,
        tracking=True,
        help="Every service line of the customer is under assurance; untick to "
        "choose the lines.",
    )
    line_ids = fields.Many2many(
        "fs.service.line",
        "fs_assurance_period_line_rel",
        "period_id",
        "line_id",
        string="Lines concerned",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    policy_id = fields.Many2one(
        "fs.sla.policy",
        string="SLA policy",
        required=True,
        tracking=True,
        domain="[('assurance_only', '=', True)]",
        default=lambda s: s.env.ref(
            "field_service_sla.policy_assurance", raise_if_not_found=False
        ),
        help="The stricter policy of the tickets reported on the lines during "
        "the period.",
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    account_manager_id = fields.Many2one(
        related="partner_id.account_manager_id", string="Account manager"
    )
    duty_ids = fields.One2many(
        "fs.assurance.duty", "period_id", string="Duty roster", copy=False
    )
    note = fields.Text(string="Notes")
    line_count = fields.Integer(string="Lines", compute="_compute_line_count")
    color = fields.Integer(string="Colour", compute="_compute_color")

    # the engine's batch query looks for declared periods of a customer
    # holding a moment: only the declared ones are indexed
    _declared_idx = models.Index(
        "(partner_id, date_start, date_end) WHERE state = 'declared'"
    )

    @api.depends("all_lines", "line_ids", "partner_id")
    def _compute_line_count(self):
        for period in self:
            period.line_count = len(period._lines()) if period.partner_id else 0

    @api.depends("state")
    def _compute_color(self):
        colors = {"draft": 0, "declared": 2, "done": 10, "cancelled": 0}
        for period in self:
            period.color = colors.get(period.state, 0)

    # ------------------------------------------------------------------
    # invariants: in create, write and copy alike
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_window(self):
        for period in self:
            if period.date_end <= period.date_start:
                raise ValidationError(period._problem_text(ENDS_BEFORE_START))
        # a roster's days stay within the period when it moves
        self.duty_ids._check_day()

    @api.constrains("all_lines", "line_ids", "partner_id")
    def _check_lines(self):
        for period in self:
            if period.all_lines:
                continue
            if not period.line_ids:
                raise ValidationError(
                    self.env._(
                        "%s: choose the lines concerned, or tick all the "
                        "customer's lines.",
                        period.display_name,
                    )
                )
            foreign = period.line_ids.filtered(
                lambda line, p=period: line.partner_id != p.partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(period)s: %(lines)s are not lines of %(customer)s.",
                        period=period.display_name,
                        lines=", ".join(foreign.mapped("circuit_ref")),
                        customer=period.partner_id.display_name,
                    )
                )

    @api.constrains("policy_id")
    def _check_policy(self):
        for period in self:
            if not period.policy_id.assurance_only:
                raise ValidationError(
                    self.env._(
                        "%(period)s: policy %(policy)s is not an assurance "
                        'policy (tick its "Assurance periods only").',
                        period=period.display_name,
                        policy=period.policy_id.display_name,
                    )
                )

    def _fs_state_refusal(self):
        return self.env._(
            "An assurance period moves on with its buttons (Declare, "
            "Done, Cancel), not by writing its state."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda p: p.state not in ("draft", "cancelled")):
            raise UserError(
                self.env._(
                    "Only draft or cancelled assurance periods can be deleted: "
                    "cancel a declared one."
                )
            )

    def _problem_text(self, code):
        _ = self.env._
        texts = {
            ENDS_BEFORE_START: _("%s: the period must end after it starts.", self.name),
            IN_THE_PAST: _(
                "%s: the period is over already: an assurance period is "
                "declared before it ends.",
                self.name,
            ),
        }
        return texts[code]

    # ------------------------------------------------------------------
    # life: draft → declared → done, or cancelled
    # ------------------------------------------------------------------
    def action_declare(self):
        now = fields.Datetime.now()
        for period in self:
            problems = assurance_problems(
                Window(period.date_start, period.date_end), now=now
            )
            if problems:
                raise UserError(
                    "\n".join(period._problem_text(code) for code in problems)
                )
            if not period.all_lines and not period.line_ids:
                raise UserError(
                    self.env._(
                        "%s: choose the lines concerned first.", period.display_name
                    )
                )
        self._move("declared", ("draft",))
        self._fs_after_declare()

    def _fs_after_declare(self):
        """What declaring sets going besides the policy and the roster (the
        pre-period inspection: fs_assurance_period_inspection)."""
        return True

    def _demo_declare(self):
        """The demo's periods are declared once (the demo's data is loaded
        again at each upgrade)."""
        self.filtered(lambda p: p.state == "draft").action_declare()

    def action_done(self):
        self._move("done", ("declared",))

    def action_cancel(self):
        self._move("cancelled", ("draft", "declared"))

    def action_draft(self):
        self._move("draft", ("cancelled",))

    # ------------------------------------------------------------------
    # what the engines ask, for whole batches
    # ------------------------------------------------------------------
    def _lines(self):
        """The service lines concerned (all the customer's, or those chosen)."""
        self.ensure_one()
        if not self.all_lines:
            return self.line_ids
        return self.partner_id.service_line_ids.filtered(
            lambda line: line.company_id == self.company_id
        )

    @api.model
    def _policies_at(self, rows):
        """``rows``: (key, service line id, moment). Returns {key: frozenset of
        the assurance policy ids of the declared periods holding that moment
        on that line}: one query for the whole batch, on the declared
        periods' index."""
        rows = [(k, line, at) for k, line, at in rows if line and at]
        if not rows:
            return {}
        self.flush_model(
            [
                "state",
                "partner_id",
                "company_id",
                "date_start",
                "date_end",
                "all_lines",
                "policy_id",
                "line_ids",
            ]
        )
        self.env["fs.service.line"].flush_model(["partner_id", "company_id"])
        keys, lines, moments = zip(*rows, strict=True)
        # most batches fall in no declared period: a plain range probe on
        # the declared periods' index says so, without planning the join
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM fs_assurance_period
                 WHERE state = 'declared' AND date_start <= %s AND date_end > %s
                 LIMIT 1
                """,
                max(moments),
                min(moments),
            )
        )
        if not self.env.cr.fetchone():
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT t.key, p.policy_id
                  FROM unnest(%s::int[], %s::int[], %s::timestamp[])
                       AS t(key, line_id, at)
                  JOIN fs_service_line l ON l.id = t.line_id
                  JOIN fs_assurance_period p
                    ON p.partner_id = l.partner_id
                   AND p.company_id = l.company_id
                   AND p.state = 'declared'
                   AND p.date_start <= t.at AND p.date_end > t.at
                 WHERE p.all_lines
                    OR EXISTS (SELECT 1 FROM fs_assurance_period_line_rel r
                                WHERE r.period_id = p.id AND r.line_id = t.line_id)
                """,
                list(keys),
                list(lines),
                list(moments),
            )
        )
        found = {}
        for key, policy_id in self.env.cr.fetchall():
            found.setdefault(key, set()).add(policy_id)
        return {key: frozenset(ids) for key, ids in found.items()}
