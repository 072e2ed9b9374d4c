from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..reports_core import documents as doc_core
from ..reports_core import scoring as core
from ..reports_core.monthly import Month

DRAFT, SENT, FINAL = "draft", "sent", "final"
STATES = [
    (DRAFT, "Draft"),
    (SENT, "With the contractor"),
    (FINAL, "Final"),
]


class FsAssessmentSheet(models.Model):
    """A contractor crew's month (维保服务考核表): every deduction the
    scheme finds in the month's tickets, orders and spot checks, with the
    record behind it, the dispatchers' own entries with their evidence, and
    the score. The contractor reads it in the portal, contests lines or
    signs it (a customer document of its own kind, frozen when signed); the
    signature makes it final."""

    _name = "fs.assessment.sheet"
    _description = "Contractor assessment sheet"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "fs.button.state.mixin",
        "fs.document.source.mixin",
    ]
    _order = "month desc, team_id"
    _rec_names_search = ["team_id", "partner_id"]
    _fs_button_fields = ("state", "document_id", "computed_on")
    _check_company_auto = True

    # in the reader's language (the crew's name is translated): not stored
    name = fields.Char(compute="_compute_name")
    team_id = fields.Many2one(
        "fsm.team",
        string="Contractor crew",
        required=True,
        index=True,
        domain=[("fs_contractor", "=", True)],
        check_company=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        related="team_id.fs_contractor_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="The dispatcher who answers the contractor's contests.",
    )
    month = fields.Date(
        required=True,
        help="The month assessed (its first day).",
        tracking=True,
    )
    month_label = fields.Char("Month (text)", compute="_compute_month_label")
    scheme_id = fields.Many2one(
        "fs.assessment.scheme",
        string="Scheme",
        required=True,
        check_company=True,
        tracking=True,
    )
    state = fields.Selection(
        STATES, default=DRAFT, required=True, readonly=True, copy=False, tracking=True
    )
    line_ids = fields.One2many(
        "fs.assessment.line", "sheet_id", string="Deductions", copy=False
    )
    base = fields.Integer("Full score", compute="_compute_score", store=True)
    deducted = fields.Integer("Points off", compute="_compute_score", store=True)
    score = fields.Integer(compute="_compute_score", store=True, aggregator="avg")
    contested_count = fields.Integer("Contested", compute="_compute_score", store=True)
    computed_on = fields.Datetime("Computed on", readonly=True, copy=False)
    document_id = fields.Many2one(
        "fs.document",
        string="Signature document",
        readonly=True,
        copy=False,
        help="The sheet as the contractor signs it: frozen when signed.",
    )
    signed_by = fields.Char(related="document_id.signed_by")
    signed_on = fields.Datetime(related="document_id.signed_on")

    _team_month_uniq = models.Constraint(
        "UNIQUE(team_id, month)", "A contractor crew has one sheet a month."
    )

    @api.depends("team_id.name", "month")
    def _compute_name(self):
        for sheet in self:
            label = f"{sheet.month:%Y-%m}" if sheet.month else ""
            sheet.name = f"{sheet.team_id.name or ''} {label}".strip()

    @api.depends("month")
    def _compute_month_label(self):
        for sheet in self:
            sheet.month_label = f"{sheet.month:%Y-%m}" if sheet.month else ""

    @api.depends(
        "scheme_id.base",
        "scheme_id.floor",
        "line_ids.points",
        "line_ids.state",
        "line_ids.item_id",
    )
    def _compute_score(self):
        for sheet in self:
            result = core.score(
                sheet.scheme_id._fs_core_items(),
                sheet.line_ids._fs_core_deductions(),
                base=sheet.scheme_id.base,
                floor=sheet.scheme_id.floor,
            )
            sheet.base = int(result.base)
            sheet.deducted = int(result.deducted)
            sheet.score = int(result.score)
            sheet.contested_count = len(
                sheet.line_ids.filtered(lambda line: line.state == "contested")
            )

    def _compute_access_url(self):
        super()._compute_access_url()
        for sheet in self:
            sheet.access_url = f"/my/assessments/{sheet.id}"

    # ------------------------------------------------------------------
    # the month: only a month that has ended is scored
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        sheets = super().create(vals_list)
        sheets._fs_check_month_ended()
        return sheets

    def write(self, vals):
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        if vals.keys() & {"team_id", "month", "scheme_id", "company_id"}:
            self._fs_check_draft()
        result = super().write(vals)
        if "month" in vals:
            self._fs_check_month_ended()
        return result

    def _fs_check_month_ended(self):
        today = fields.Date.context_today(self)
        for sheet in self:
            if sheet.month and Month.of(sheet.month).next().first_day > today:
                raise ValidationError(
                    self.env._(
                        "%(month)s has not ended yet: a contractor's month is "
                        "scored after its last day.",
                        month=sheet.month_label,
                    )
                )

    def _fs_check_draft(self):
        for sheet in self.filtered(lambda s: s.state != DRAFT):
            raise UserError(
                self.env._(
                    "%(sheet)s is with the contractor or final: its month, "
                    "crew and scheme no longer change.",
                    sheet=sheet.name,
                )
            )

    @api.constrains("team_id")
    def _check_contractor(self):
        for sheet in self:
            if not (sheet.team_id.fs_contractor and sheet.partner_id):
                raise ValidationError(
                    self.env._(
                        "%(team)s is not a contractor crew with its contractor "
                        "company: only contractors (代维) are assessed.",
                        team=sheet.team_id.display_name,
                    )
                )

    def _fs_state_refusal(self):
        return self.env._(
            "The state of a contractor assessment changes only with its "
            "buttons: Send to the contractor, Back to draft, and the "
            "contractor's signature."
        )

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def action_compute(self):
        """Find the month's deductions again: the computed lines are
        replaced, the dispatchers' entries kept."""
        self._check_state([DRAFT])
        self._fs_check_month_ended()
        self.env["fs.assessment.line"]._fs_recompute(self)
        return True

    def action_send(self):
        """Publish the sheet to the contractor: its portal shows it, to
        contest lines or sign."""
        self._check_state([DRAFT])
        for sheet in self:
            if not sheet.computed_on:
                raise UserError(
                    self.env._(
                        "%(sheet)s: compute the month's deductions before "
                        "sending the sheet.",
                        sheet=sheet.name,
                    )
                )
        self._move(SENT, [DRAFT])
        for sheet in self.sudo():
            document = sheet.document_id
            if not document or document.state == doc_core.DECLINED:
                document = self.env["fs.document"].create(
                    {"kind": doc_core.CONTRACTOR_ASSESSMENT, "assessment_id": sheet.id}
                )
                sheet.with_context(fs_state_transition=True).document_id = document
            if document.state == doc_core.DRAFT:
                document.action_ask_signature()
            sheet._portal_ensure_token()
            sheet.message_post(
                body=self.env._(
                    "Sent to %(contractor)s to confirm.",
                    contractor=sheet.partner_id.name,
                ),
                partner_ids=sheet._fs_representatives().ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_back_to_draft(self):
        self._check_state([SENT])
        for sheet in self.sudo():
            if sheet.document_id.state == doc_core.TO_SIGN:
                sheet.document_id.action_back_to_draft()
        self._move(DRAFT, [SENT])
        return True

    def _fs_signed(self):
        """The contractor signed the sheet's document: the sheet is final."""
        self.sudo().with_context(fs_state_transition=True).write({"state": FINAL})
        for sheet in self.sudo():
            sheet.message_post(
                body=self.env._(
                    "Signed by %(name)s: the score %(score)s is final.",
                    name=sheet.document_id.signed_by,
                    score=sheet.score,
                ),
                message_type="notification",
            )

    def _fs_representatives(self):
        """The contractor's contacts who may read and sign the sheet: the
        portal users of the contractor company."""
        self.ensure_one()
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.partner_id.id),
                    ("share", "=", True),
                ]
            )
        )
        return users.partner_id

    def action_open_document(self):
        self.ensure_one()
        return self.document_id._fs_form_action()

    @api.model
    def _fs_month_sheets(self, scope):
        """The month's sheets of the monthly workbook's scope, as the reader
        may read them (record rules): their stored scores, the ones the
        pivot over months reads."""
        return self.search(
            [
                ("company_id", "=", scope.company_id),
                ("month", "=", scope.month.first_day),
            ],
            order="team_id",
        )

    @api.model
    def _fs_month_default(self):
        """The month before this one: the month a sheet is made for."""
        return Month.of(fields.Date.context_today(self)).previous().first_day

    @api.model
    def _fs_sheets_for(self, month, scheme, teams=None):
        """The month's sheets of every contractor crew (or ``teams``),
        made where missing and computed in one pass over the month."""
        month = Month.of(
            month if isinstance(month, date) else fields.Date.to_date(month)
        )
        if teams is None:
            teams = self.env["fsm.team"].search(
                [
                    ("fs_contractor", "=", True),
                    ("fs_contractor_partner_id", "!=", False),
                    ("company_id", "in", [self.env.company.id, False]),
                ]
            )
        first = month.first_day
        existing = self.search([("team_id", "in", teams.ids), ("month", "=", first)])
        missing = teams - existing.team_id
        created = self.create(
            [
                {
                    "team_id": team.id,
                    "month": first,
                    "scheme_id": scheme.id,
                    "company_id": (team.company_id or self.env.company).id,
                }
                for team in missing
            ]
        )
        sheets = existing | created
        drafts = sheets.filtered(lambda s: s.state == DRAFT)
        if drafts:
            drafts.action_compute()
        return sheets
