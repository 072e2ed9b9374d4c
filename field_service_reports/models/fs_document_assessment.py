from odoo import models
from odoo.exceptions import UserError

from ..reports_core import documents as core
from .fs_document import shows

LINE_FIELDS = (
    "sheet_id",
    "item_id",
    "name",
    "date",
    "quantity",
    "points",
    "state",
    "ticket_id",
    "order_id",
    "inspection_id",
    "contest_reason",
    "decision_reason",
)
shows(
    [core.CONTRACTOR_ASSESSMENT],
    [
        *(
            f"assessment_id.{f}"
            for f in ("team_id", "partner_id", "month", "scheme_id", "line_ids")
        ),
        *(f"assessment_id.line_ids.{f}" for f in LINE_FIELDS),
    ],
    not_frozen=[
        # the scheme's wording and numbers as of the signature: the signed
        # content keeps them; the scheme serves the months to come
        *(f"assessment_id.scheme_id.{f}" for f in ("name", "base", "floor")),
        *(
            f"assessment_id.line_ids.item_id.{f}"
            for f in ("name", "rule", "points", "mode", "sequence")
        ),
        "assessment_id.line_ids.ticket_id.number",
        "assessment_id.line_ids.order_id.name",
        "assessment_id.line_ids.inspection_id.name",
    ],
)


class FsDocument(models.Model):
    """The contractor's monthly assessment (维保服务考核表) as the contractor
    signs it: every deduction, contested or not and decided how, and the
    score; signing makes the sheet final."""

    _inherit = "fs.document"

    def _fs_content_contractor_assessment(self):
        sheet = self.assessment_id
        lines = sheet.line_ids.sorted(
            lambda line: (line.sequence, line.date or sheet.create_date, line.id)
        )
        return {
            "crew": sheet.team_id.name or "",
            "contractor": sheet.partner_id.name or "",
            "month": sheet.month_label,
            "scheme": sheet.scheme_id.name or "",
            "base": sheet.base,
            "deducted": sheet.deducted,
            "score": sheet.score,
            "lines": [
                {
                    "item": line.item_id.name or "",
                    "rule": line.item_id.rule or "",
                    "when": self._fs_fmt(line.date),
                    "what": " ".join(
                        ref
                        for ref in (
                            line.ticket_id.number,
                            line.order_id.name,
                            line.inspection_id.name,
                            line.name,
                        )
                        if ref
                    ),
                    "quantity": line.quantity,
                    "points": line.points,
                    "state": line.state,
                    "counts": line.state in ("counted", "contested", "upheld"),
                    "contest": line.contest_reason or "",
                    "decision": line.decision_reason or "",
                }
                for line in lines
            ],
        }

    def _fs_default_signer(self):
        """The contractor's representative: its portal user (the one who
        reads the sheet), else its first contact."""
        if self.kind != core.CONTRACTOR_ASSESSMENT:
            return super()._fs_default_signer()
        sheet = self.assessment_id.sudo()
        contacts = sheet._fs_representatives() or sheet.partner_id.child_ids
        return contacts.filtered(lambda p: not p.is_company)[:1]

    def _fs_check_ready_contractor_assessment(self):
        sheet = self.assessment_id
        if sheet.state != "sent":
            raise UserError(
                self.env._(
                    "%(sheet)s is not with the contractor: it is signed once sent.",
                    sheet=sheet.name,
                )
            )
        if sheet.contested_count:
            raise UserError(
                self.env._(
                    "%(sheet)s has %(count)s contested deductions still open: it "
                    "is signed once a dispatcher has decided them.",
                    sheet=sheet.name,
                    count=sheet.contested_count,
                )
            )

    def _fs_freeze(self, state):
        result = super()._fs_freeze(state)
        if self.kind == core.CONTRACTOR_ASSESSMENT and state == core.SIGNED:
            self.assessment_id._fs_signed()
        return result

    def _decline(self, reason, *args, **kwargs):
        if self.kind == core.CONTRACTOR_ASSESSMENT:
            raise UserError(
                self.env._(
                    "A contractor assessment is not declined: contest the "
                    "deductions you disagree with, one by one, with your reason."
                )
            )
        return super()._decline(reason, *args, **kwargs)
