from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..reports_core import scoring as core
from .fs_assessment_sheet import DRAFT, SENT

COUNTED, CONTESTED, WITHDRAWN, UPHELD = "counted", "contested", "withdrawn", "upheld"
LINE_STATES = [
    (COUNTED, "Counted"),
    (CONTESTED, "Contested"),
    (WITHDRAWN, "Withdrawn"),
    (UPHELD, "Upheld"),
]
# the lines that take points off: a contested line counts until decided
SCORING_STATES = (COUNTED, CONTESTED, UPHELD)
# what a computed line is: written only by the month's computation
COMPUTED_FIELDS = {
    "sheet_id",
    "item_id",
    "quantity",
    "date",
    "ticket_id",
    "order_id",
    "inspection_id",
    "name",
}


class FsAssessmentLine(models.Model):
    """One deduction of a contractor's month: the item, how many times (or
    days over), the record behind it, and, once the contractor contests it,
    the reason and the dispatcher's decision. Computed lines are written by
    the month's computation only; a dispatcher's own line needs evidence."""

    _name = "fs.assessment.line"
    _description = "Contractor assessment deduction"
    _inherit = ["fs.button.state.mixin", "fs.document.shown.mixin"]
    _order = "sheet_id, sequence, date, id"
    _fs_button_fields = (
        "state",
        "manual",
        "contest_reason",
        "contested_on",
        "contested_by_id",
        "decision_reason",
        "decided_by_id",
        "decided_on",
    )

    sheet_id = fields.Many2one(
        "fs.assessment.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    team_id = fields.Many2one(related="sheet_id.team_id", store=True)
    partner_id = fields.Many2one(related="sheet_id.partner_id")
    sheet_state = fields.Selection(related="sheet_id.state", string="Sheet state")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    item_id = fields.Many2one(
        "fs.assessment.item",
        string="Item",
        required=True,
        ondelete="restrict",
        domain="[('scheme_id', '=', scheme_id)]",
    )
    scheme_id = fields.Many2one(related="sheet_id.scheme_id")
    mode = fields.Selection(related="item_id.mode")
    name = fields.Char("Description")
    date = fields.Datetime("When")
    quantity = fields.Integer(
        "Times or days", default=1, help="Occurrences, or days over for a per-day item."
    )
    points = fields.Integer("Points off", compute="_compute_points", store=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Ticket", index="btree_not_null"
    )
    order_id = fields.Many2one(
        "fsm.order", string="Field order", index="btree_not_null"
    )
    inspection_id = fields.Many2one(
        "fs.inspection", string="Spot check", index="btree_not_null"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Evidence",
        help="Photos, scans or files proving a dispatcher's entry.",
    )
    manual = fields.Boolean(
        "Entered by a dispatcher", default=True, readonly=True, copy=False
    )
    state = fields.Selection(
        LINE_STATES, default=COUNTED, required=True, readonly=True, copy=False
    )
    contest_reason = fields.Text("Contested because", readonly=True, copy=False)
    contested_on = fields.Datetime("Contested on", readonly=True, copy=False)
    contested_by_id = fields.Many2one(
        "res.partner", string="Contested by", readonly=True, copy=False
    )
    decision_reason = fields.Text("Decision", readonly=True, copy=False)
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False
    )
    decided_on = fields.Datetime("Decided on", readonly=True, copy=False)

    @api.depends("item_id.points", "quantity")
    def _compute_points(self):
        for line in self:
            line.points = int(
                core.item_points(line.item_id._fs_core_item(), max(line.quantity, 0))
            )

    def _fs_core_deductions(self):
        return [
            core.Deduction(str(line.item_id.id), line.quantity, line.id)
            for line in self
            if line.state in SCORING_STATES
        ]

    def _fs_state_refusal(self):
        return self.env._(
            "A deduction's state, contest and decision change only through "
            "the contractor's contest and the dispatcher's decision."
        )

    # ------------------------------------------------------------------
    # one guard for create, write, copy and unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self._fs_in_transition():
            lines._fs_check_editable()
            lines._fs_check_evidence()
        return lines

    def write(self, vals):
        if not self._fs_in_transition():
            self._fs_check_editable()
            computed = self.filtered(lambda line: not line.manual)
            if computed and vals.keys() & COMPUTED_FIELDS:
                raise UserError(
                    self.env._(
                        "%(line)s was found in the month's data: it changes only "
                        "when the month is computed again.",
                        line=computed[0].display_name,
                    )
                )
        result = super().write(vals)
        if not self._fs_in_transition():
            self._fs_check_evidence()
        return result

    def unlink(self):
        if not self._fs_in_transition():
            self._fs_check_editable()
            if self.filtered(lambda line: not line.manual):
                raise UserError(
                    self.env._(
                        "A deduction found in the month's data leaves the sheet "
                        "only when the month is computed again, or when the "
                        "contractor's contest is accepted."
                    )
                )
        return super().unlink()

    def _fs_check_editable(self):
        for line in self:
            if line.sheet_id.state != DRAFT:
                raise UserError(
                    self.env._(
                        "%(sheet)s is with the contractor or final: its "
                        "deductions no longer change, except by the contest.",
                        sheet=line.sheet_id.name,
                    )
                )
            if line.item_id.scheme_id != line.sheet_id.scheme_id:
                raise ValidationError(
                    self.env._(
                        "%(item)s is not an item of the sheet's scheme.",
                        item=line.item_id.name,
                    )
                )
            if line.quantity < 1:
                raise ValidationError(
                    self.env._("A deduction counts at least one time or day.")
                )

    def _fs_check_evidence(self):
        for line in self.filtered("manual"):
            if line.item_id.source != core.MANUAL:
                raise ValidationError(
                    self.env._(
                        "%(item)s is computed from the month's data: a "
                        "dispatcher enters only the items entered by hand.",
                        item=line.item_id.name,
                    )
                )
            if not (
                line.attachment_ids
                or line.ticket_id
                or line.order_id
                or line.inspection_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(item)s: a deduction entered by hand needs its "
                        "evidence, a file or the ticket, order or spot check "
                        "behind it.",
                        item=line.item_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # the contest
    # ------------------------------------------------------------------
    def _fs_contest(self, reason, partner):
        """The contractor's representative contests this line (the portal
        checked the sheet is theirs): it waits for a dispatcher's
        decision, and the sheet cannot be signed until then."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the deduction is wrong."))
        if self.sheet_id.state != SENT or self.state != COUNTED:
            raise UserError(
                self.env._(
                    "This deduction cannot be contested now: the sheet is not "
                    "waiting for you, or the line was already contested."
                )
            )
        self.sudo().with_context(fs_state_transition=True).write(
            {
                "state": CONTESTED,
                "contest_reason": reason,
                "contested_on": fields.Datetime.now(),
                "contested_by_id": partner.id,
            }
        )
        sheet = self.sheet_id.sudo()
        sheet.message_post(
            body=self.env._(
                "%(name)s contested %(line)s: %(reason)s",
                name=partner.name,
                line=self.display_name,
                reason=reason,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=partner.id,
        )
        sheet.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Decide a contested deduction"),
            note=reason,
            user_id=(sheet.user_id or self.env.ref("base.user_admin")).id,
        )
        return True

    def _fs_decide(self, accept, reason):
        """A dispatcher accepts (the line is withdrawn) or rejects (it
        stands) a contested line, with the reason logged."""
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the decision."))
        for line in self:
            if line.state != CONTESTED:
                raise UserError(
                    self.env._(
                        "%(line)s is not contested: there is nothing to decide.",
                        line=line.display_name,
                    )
                )
        self.sudo().with_context(fs_state_transition=True).write(
            {
                "state": WITHDRAWN if accept else UPHELD,
                "decision_reason": reason,
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
            }
        )
        for line in self:
            line.sheet_id.sudo().message_post(
                body=(
                    self.env._(
                        "Contest accepted, %(line)s withdrawn: %(reason)s",
                        line=line.display_name,
                        reason=reason,
                    )
                    if accept
                    else self.env._(
                        "Contest rejected, %(line)s stands: %(reason)s",
                        line=line.display_name,
                        reason=reason,
                    )
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=line.contested_by_id.ids,
            )
        return True

    def action_open_source(self):
        """The record behind the deduction, one click from the sheet: its
        ticket, else its field order, else its spot check."""
        self.ensure_one()
        record = self.ticket_id or self.order_id or self.inspection_id
        if not record:
            raise UserError(
                self.env._("This deduction has no ticket, order or spot check.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    def action_decide(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide the contest"),
            "res_model": "fs.assessment.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    @api.depends("item_id.name", "name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " · ".join(
                part for part in (line.item_id.name, line.name) if part
            )
