from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core.sms_reach import (
    CANCELED,
    DELIVERED,
    FAILED,
    QUEUED,
    SENT,
    moves_from,
    state_of_status,
)

SMS_STATES = [
    (QUEUED, "Queued"),
    (SENT, "Sent"),
    (DELIVERED, "Delivered"),
    (FAILED, "Failed"),
    (CANCELED, "Canceled"),
]


class FsEscalationSms(models.Model):
    """One bulletin SMS an escalation step sent to one number: the text as
    sent and whether it reached the handset. A digest tells one number about
    several tickets: one SMS, linked to every fired step it tells about.

    The sweep writes these rows with the sms.sms that carries them and an
    sms.tracker (as Odoo tracks its notifications' SMS); the delivery reports
    move their state through the tracker (see sms_tracker.py). The sms.sms
    is deleted once sent: this row stays. Nobody edits them."""

    _name = "fs.escalation.sms"
    _description = "Escalation bulletin SMS"
    _order = "id desc"
    _rec_name = "number"

    # looked up by (company_id, number): see the index below
    company_id = fields.Many2one("res.company", readonly=True)
    number = fields.Char(string="Number (E.164)", required=True, readonly=True)
    body = fields.Text(string="Text as sent", readonly=True)
    segments = fields.Integer(
        readonly=True, help="The number of messages the text takes."
    )
    state = fields.Selection(SMS_STATES, required=True, default=QUEUED, readonly=True)
    failure_type = fields.Selection(
        selection="_failure_types", string="Failure", readonly=True
    )
    failure_reason = fields.Char(
        string="Reason", readonly=True, help="What the gateway or the SMSC answered."
    )
    display_reason = fields.Char(string="Why", compute="_compute_display_reason")
    done_at = fields.Datetime(
        string="Result at",
        readonly=True,
        help="When the gateway took it, or when its delivery or failure was reported.",
    )
    sms_uuid = fields.Char(string="SMS UUID", readonly=True, index=True)
    fired_ids = fields.Many2many(
        "fs.escalation.fired",
        "fs_escalation_sms_fired_rel",
        "sms_id",
        "fired_id",
        string="Escalation steps",
        readonly=True,
    )

    # the last result of each number of a distribution list: one backward
    # index probe per number (fs.sms.list.number)
    _company_number_idx = models.Index("(company_id, number, id)")

    @api.model
    def _failure_types(self):
        """The failure types of Odoo's notifications (SMS and others), in the
        reader's language."""
        return self.env["ir.model.fields"].get_field_selection(
            "mail.notification", "failure_type"
        )

    @api.depends("failure_type", "failure_reason")
    def _compute_display_reason(self):
        types = dict(self._failure_types())
        for sms in self:
            sms.display_reason = sms.failure_reason or types.get(sms.failure_type, "")

    @api.model
    def _follow_trackers(self, tracker_ids, status, failure_type, failure_reason):
        """The bulletins of the sms.tracker rows ``tracker_ids`` follow their
        SMS's notification ``status``, in one statement: those whose state
        may move to it (forward, never out of a final state) do; a reason is
        kept for a failure only."""
        state = state_of_status(status)
        if not state or not moves_from(state) or not tracker_ids:
            return
        self.env["sms.tracker"].flush_model(["fs_escalation_sms_id"])
        failed = state == FAILED
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE fs_escalation_sms s
                   SET state = %(state)s, failure_type = %(type)s,
                       failure_reason = %(reason)s, done_at = %(now)s,
                       write_date = %(now)s, write_uid = %(uid)s
                  FROM sms_tracker t
                 WHERE t.id = ANY(%(trackers)s)
                   AND s.id = t.fs_escalation_sms_id
                   AND s.state = ANY(%(moves_from)s)
             RETURNING s.id
                """,
                state=state,
                type=(failure_type or "unknown") if failed else None,
                reason=(failure_reason or None) if failed else None,
                now=self.env.cr.now(),
                uid=self.env.uid,
                trackers=list(tracker_ids),
                moves_from=list(moves_from(state)),
            )
        )
        self.browse([row[0] for row in rows]).invalidate_recordset(
            ["state", "failure_type", "failure_reason", "done_at"]
        )
        self._invalidate_reach()

    @api.model
    def _invalidate_reach(self):
        """Forget what was computed from the bulletins (written in SQL, which
        the ORM does not see): the fired steps' counts, the lists' last
        results."""
        self.env["fs.escalation.fired"].invalidate_model(
            [
                "sms_ids",
                "sms_delivered_count",
                "sms_failed_count",
                "sms_waiting_count",
                "sms_reach",
            ]
        )
        self.env["fs.sms.list.number"].invalidate_model(
            ["last_sms_state", "last_sms_at", "last_sms_reason", "last_sms_failed"]
        )
        self.env["fs.sms.list"].invalidate_model(["failing_number_count"])
