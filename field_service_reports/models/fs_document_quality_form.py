from odoo import api, fields, models
from odoo.exceptions import UserError

from ..reports_core import documents as core
from .fs_document import shows
from .fs_document_content import address_of

SCORES = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Acceptable"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
# the questions of the form, in print order
QUESTIONS = (
    "score_response",
    "score_punctuality",
    "score_attitude",
    "score_skill",
    "score_result",
)
# the customer's own inputs: written only with the signature
ANSWER_FIELDS = (*QUESTIONS, "customer_comment")


shows(
    [core.QUALITY_FORM],
    [
        *(
            f"order_id.{f}"
            for f in (
                "name",
                "person_id",
                "person_ids",
                "fs_arrival_date",
                "date_start",
                "scheduled_date_start",
            )
        ),
        *(f"order_id.ticket_id.{f}" for f in ("number", "name")),
        *address_of("order_id.location_id.partner_id"),
    ],
    not_frozen=[
        *(f"order_id.{f}.partner_id.name" for f in ("person_id", "person_ids")),
        *(f"order_id.{f}.active" for f in ("person_id", "person_ids")),
    ],
)


class FsDocument(models.Model):
    """The service quality supervision form (客户服务质量监督表): the customer
    scores the service of a field order from 1 to 5 on a few questions and
    may comment, then signs. The scores are the customer's: they arrive with
    the signature, never typed in by the staff."""

    _inherit = "fs.document"

    score_response = fields.Selection(
        SCORES, string="Response in time", readonly=True, copy=False
    )
    score_punctuality = fields.Selection(
        SCORES, string="Kept the appointment", readonly=True, copy=False
    )
    score_attitude = fields.Selection(
        SCORES, string="Attitude and conduct", readonly=True, copy=False
    )
    score_skill = fields.Selection(
        SCORES, string="Technical skill", readonly=True, copy=False
    )
    score_result = fields.Selection(
        SCORES, string="Result of the work", readonly=True, copy=False
    )
    customer_comment = fields.Text("Customer comment", readonly=True, copy=False)
    score_mean = fields.Float(
        "Mean score", compute="_compute_score_mean", store=True, digits=(3, 2)
    )

    @api.depends(*QUESTIONS)
    def _compute_score_mean(self):
        for doc in self:
            doc.score_mean = core.mean_score([doc[q] for q in QUESTIONS])

    def _fs_questions(self):
        """(field, question) pairs in the document's language."""
        env = self.with_context(lang=self.lang or "en_US").env
        return [(q, self._fields[q]._description_string(env)) for q in QUESTIONS]

    def _fs_content_quality_form(self):
        order = self.order_id
        ticket = order.ticket_id
        return {
            "order": order.name,
            "ticket_number": ticket.number or "",
            "service": ticket.name or order.name,
            "staff": ", ".join((order.person_id | order.person_ids).mapped("name")),
            "service_date": self._fs_fmt(
                order.fs_arrival_date or order.date_start or order.scheduled_date_start
            ),
            "address": self._fs_address(order.location_id.partner_id),
            "scores": {q: self[q] or "" for q in QUESTIONS},
            "comment": self.customer_comment or "",
        }

    def _fs_take_answers(self, answers):
        if self.kind != core.QUALITY_FORM:
            return super()._fs_take_answers(answers)
        answers = answers or {}
        unknown = set(answers) - set(ANSWER_FIELDS)
        if unknown:
            raise UserError(
                self.env._(
                    "%(document)s asks no %(fields)s.",
                    document=self.name,
                    fields=", ".join(sorted(unknown)),
                )
            )
        try:
            missing = core.check_scores({q: answers.get(q) for q in QUESTIONS})
        except (core.DocumentError, ValueError):
            raise UserError(
                self.env._("%(document)s: a score is from 1 to 5.", document=self.name)
            ) from None
        if missing:
            raise UserError(
                self.env._(
                    "%(document)s: the customer has not scored %(questions)s.",
                    document=self.name,
                    questions=self._fs_field_names(missing),
                )
            )
        self._fs_engine_write(
            {name: answers.get(name) or False for name in ANSWER_FIELDS}
        )

    def _fs_check_ready_quality_form(self):
        if not (self.order_id.fs_arrival_date or self.order_id.date_start):
            raise UserError(
                self.env._(
                    "Order %(order)s: the crew has not been on site yet; the "
                    "customer scores the service after it.",
                    order=self.order_id.name,
                )
            )
