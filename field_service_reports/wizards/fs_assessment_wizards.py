from datetime import date

from odoo import fields, models
from odoo.exceptions import UserError


class FsAssessmentMonth(models.TransientModel):
    """Score a month: a sheet for every contractor crew (or the chosen
    ones), computed from the month's data in one pass."""

    _name = "fs.assessment.month"
    _inherit = ["fs.month.picker.mixin"]
    _description = "Score contractors for a month"

    scheme_id = fields.Many2one(
        "fs.assessment.scheme",
        string="Scheme",
        required=True,
        default=lambda self: self.env["fs.assessment.scheme"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
        domain="[('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        "fsm.team",
        string="Contractor crews",
        domain=[
            ("fs_contractor", "=", True),
            ("fs_contractor_partner_id", "!=", False),
        ],
        help="Empty: every contractor crew.",
    )

    def action_score(self):
        self.ensure_one()
        if not (self.year and self.month):
            raise UserError(self.env._("Choose the year and the month to score."))
        first = date(int(self.year), int(self.month), 1)
        sheets = (
            self.env["fs.assessment.sheet"]
            .with_company(self.company_id)
            ._fs_sheets_for(first, self.scheme_id, self.team_ids or None)
        )
        if not sheets:
            raise UserError(
                self.env._(
                    "No contractor crew to score: mark the contractors' crews "
                    "as such, with their company, in Field Service > Teams."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_reports.fs_assessment_sheet_action"
        )
        action["domain"] = [("id", "in", sheets.ids)]
        return action


class FsAssessmentDecision(models.TransientModel):
    """A dispatcher's decision on a contested deduction: accepted (the line
    is withdrawn) or rejected (it stands), with the reason the contractor
    reads."""

    _name = "fs.assessment.decision.wizard"
    _description = "Decide a contested deduction"

    line_id = fields.Many2one(
        "fs.assessment.line", string="Deduction", required=True, readonly=True
    )
    contest_reason = fields.Text(related="line_id.contest_reason")
    decision = fields.Selection(
        [("accept", "Accept: withdraw the deduction"), ("reject", "Reject: it stands")],
        required=True,
        default="reject",
    )
    reason = fields.Text(required=True)

    def action_decide(self):
        self.ensure_one()
        self.line_id._fs_decide(self.decision == "accept", self.reason)
        return {"type": "ir.actions.act_window_close"}
