from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..sla_core.escalation import normalize_mobile
from ..sla_core.sms_reach import FAILED
from .fs_escalation_sms_delivery import SMS_STATES


class FsSmsListNumber(models.Model):
    _name = "fs.sms.list.number"
    _description = "SMS distribution list number"
    _order = "list_id, sequence, id"

    list_id = fields.Many2one(
        "fs.sms.list", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="list_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Who", help="e.g. NOC duty desk, city network dept.")
    number = fields.Char(required=True, help="A mobile number: 13800138000, +86 ...")
    normalized = fields.Char(
        string="Number (E.164)", compute="_compute_normalized", store=True
    )

    last_sms_state = fields.Selection(
        SMS_STATES,
        string="Last SMS",
        compute="_compute_last_sms",
        help="What became of the last bulletin texted to this number.",
    )
    last_sms_at = fields.Datetime(string="Last SMS at", compute="_compute_last_sms")
    last_sms_reason = fields.Char(
        string="Last SMS failure", compute="_compute_last_sms"
    )
    last_sms_failed = fields.Boolean(
        string="Last SMS failed",
        compute="_compute_last_sms",
        search="_search_last_sms_failed",
    )

    @api.depends("number")
    def _compute_normalized(self):
        for line in self:
            line.normalized = normalize_mobile(line.number) or False

    @api.constrains("number")
    def _check_number(self):
        bad = self.filtered(lambda line: not normalize_mobile(line.number))
        if bad:
            raise ValidationError(
                self.env._(
                    "These are not mobile numbers an SMS can reach: %(numbers)s. "
                    "Nothing was saved; the list's other numbers keep receiving "
                    "the bulletins.",
                    numbers=", ".join(
                        f"{line.number} ({line.name})" if line.name else line.number
                        for line in bad
                    ),
                )
            )

    def _last_sms_query(self, where):
        """(line id, list id, state, when, failure type, reason) of the last
        bulletin texted to the number of each line ``where`` selects, in its
        company:
        a backward probe of the index (company_id, number, id) per line,
        however many bulletins the number had (a DISTINCT ON number would
        read them all)."""
        self.flush_model(["list_id", "company_id", "normalized"])
        self.env["fs.escalation.sms"].flush_model()
        return SQL(
            """
            SELECT n.id, n.list_id, s.state, coalesce(s.done_at, s.create_date),
                   s.failure_type, s.failure_reason
              FROM fs_sms_list_number n
              JOIN LATERAL (
                    SELECT s.state, s.done_at, s.create_date, s.failure_type,
                           s.failure_reason
                      FROM fs_escalation_sms s
                     WHERE s.company_id = n.company_id
                       AND s.number = n.normalized
                  ORDER BY s.id DESC LIMIT 1
                   ) s ON TRUE
             WHERE %s
            """,
            where,
        )

    def _compute_last_sms(self):
        last = {}
        ids = [line_id for line_id in self.ids if line_id]
        if ids:
            last = {
                row[0]: row[2:]
                for row in self.env.execute_query(
                    self._last_sms_query(SQL("n.id = ANY(%s)", ids))
                )
            }
        types = dict(self.env["fs.escalation.sms"]._failure_types())
        for line in self:
            state, at, failure_type, reason = last.get(line.id, (False,) * 4)
            failed = state == FAILED
            line.last_sms_state = state
            line.last_sms_at = at
            line.last_sms_reason = (
                (reason or types.get(failure_type, "")) if failed else False
            )
            line.last_sms_failed = failed

    def _search_last_sms_failed(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        failed = [
            row[0]
            for row in self.env.execute_query(self._last_sms_query(SQL("TRUE")))
            if row[2] == FAILED
        ]
        wanted = (operator == "in") == (True in value)
        return [("id", "in" if wanted else "not in", failed)]

    @api.model
    def _failing_per_list(self, list_ids):
        """{list id: how many of its numbers the last bulletin did not
        reach}, in one query (counts only: what the list's readers may know,
        whether or not they may read its numbers)."""
        counts = {}
        for row in self.env.execute_query(
            self._last_sms_query(SQL("n.list_id = ANY(%s)", list_ids))
        ):
            if row[2] == FAILED:
                counts[row[1]] = counts.get(row[1], 0) + 1
        return counts
