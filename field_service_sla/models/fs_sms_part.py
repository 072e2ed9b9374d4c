import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..gateways import DELIVERED, FAILED, PENDING

_logger = logging.getLogger(__name__)

RECEIPT_STATES = [(PENDING, "Waiting"), (DELIVERED, "Delivered"), (FAILED, "Failed")]


class FsSmsPart(models.Model):
    """One message the gateway took, under the id it gave it: a short SMS is
    one, a concatenated one a part each. Its delivery receipt lands here.

    Receipts come at least once and in any order (a receipt may even come
    before the transaction that recorded the send has committed): a row is
    keyed by (gateway, message id) and written with an upsert from both
    sides, a final state is never changed, and an SMS is delivered once all
    its parts are, failed as soon as one fails. A receipt told twice changes
    nothing the second time."""

    _name = "fs.sms.part"
    _description = "SMS part at the gateway"
    _log_access = False
    _order = "id desc"

    gateway_id = fields.Many2one(
        "fs.sms.gateway", required=True, readonly=True, ondelete="cascade"
    )
    message_id = fields.Char(string="Gateway's id", required=True, readonly=True)
    sms_uuid = fields.Char(readonly=True, index="btree_not_null")
    part = fields.Integer(readonly=True)
    state = fields.Selection(
        RECEIPT_STATES, default=PENDING, required=True, readonly=True
    )
    reason = fields.Char(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    receipt_at = fields.Datetime(readonly=True)

    _gateway_message_uniq = models.Constraint(
        "UNIQUE(gateway_id, message_id)",
        "A gateway gives a message id once.",
    )

    # ------------------------------------------------------------------
    @api.model
    def _fs_record_parts(self, gateway, parts):
        """``parts``: (sms uuid, message id, part number) the gateway took."""
        if not parts:
            return
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO fs_sms_part
                       (gateway_id, message_id, sms_uuid, part, state, sent_at)
                SELECT %s, v.m, v.u, v.p, 'pending', now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::varchar[], %s::varchar[], %s::int[]) AS v(u, m, p)
                ON CONFLICT (gateway_id, message_id) DO UPDATE
                   SET sms_uuid = EXCLUDED.sms_uuid, part = EXCLUDED.part,
                       sent_at = EXCLUDED.sent_at
             RETURNING sms_uuid, state
                """,
                gateway.id,
                [p[0] for p in parts],
                [str(p[1]) for p in parts],
                [p[2] for p in parts],
            )
        )
        # receipts that came first: their SMS are settled now
        early = {uuid for uuid, state in rows if state != PENDING}
        if early:
            self._fs_settle(early)

    @api.model
    def _fs_apply_receipts(self, gateway, receipts):
        """Apply delivery receipts (``gateways.Receipt``) of ``gateway``."""
        final = [r for r in receipts if r.state in (DELIVERED, FAILED)]
        if not final:
            return 0
        # one receipt per message id: a failure outweighs a delivery
        by_id = {}
        for receipt in final:
            known = by_id.get(receipt.message_id)
            if known is None or receipt.state == FAILED:
                by_id[receipt.message_id] = receipt
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO fs_sms_part
                       (gateway_id, message_id, state, reason, receipt_at)
                SELECT %s, v.m, v.s, v.r, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[]) AS v(m, s, r)
                ON CONFLICT (gateway_id, message_id) DO UPDATE
                   SET state = EXCLUDED.state, reason = EXCLUDED.reason,
                       receipt_at = EXCLUDED.receipt_at
                 WHERE fs_sms_part.state = 'pending'
             RETURNING sms_uuid
                """,
                gateway.id,
                list(by_id),
                [r.state for r in by_id.values()],
                [r.reason or "" for r in by_id.values()],
            )
        )
        uuids = {row[0] for row in rows if row[0]}
        if uuids:
            self._fs_settle(uuids)
        self.invalidate_model()
        return len(rows)

    @api.model
    def _fs_settle(self, uuids):
        """The SMS of ``uuids`` whose parts have all reported: delivered, or
        failed with the first failed part's reason."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT sms_uuid,
                       bool_or(state = 'failed'),
                       bool_and(state = 'delivered'),
                       min(reason) FILTER (WHERE state = 'failed')
                  FROM fs_sms_part
                 WHERE sms_uuid = ANY(%s)
              GROUP BY sms_uuid
                """,
                list(uuids),
            )
        )
        delivered = [uuid for uuid, failed, done, _r in rows if done and not failed]
        failed = {}
        for uuid, has_failed, _done, reason in rows:
            if has_failed:
                failed.setdefault(reason or "", []).append(uuid)
        Sms = self.env["sms.sms"].sudo().with_context(sms_skip_msg_notification=True)
        Tracker = self.env["sms.tracker"].sudo()
        if delivered:
            sms = Sms.search(
                [("uuid", "in", delivered), ("state", "not in", ("sent", "error"))]
            )
            sms.write({"state": "sent", "fs_failure_reason": False, "to_delete": True})
            Tracker.search(
                [("sms_uuid", "in", delivered)]
            )._action_update_from_sms_state("sent")
            sms.mail_message_id._notify_message_notification_update()
        for reason, group in failed.items():
            sms = Sms.search(
                [("uuid", "in", group), ("state", "not in", ("sent", "error"))]
            )
            sms.write(
                {
                    "state": "error",
                    "failure_type": "unknown",
                    "fs_failure_reason": reason,
                }
            )
            Tracker.search([("sms_uuid", "in", group)]).with_context(
                sms_known_failure_reason=reason
            )._action_update_from_provider_error("not_delivered")
            sms.mail_message_id._notify_message_notification_update()

    @api.autovacuum
    def _gc_parts(self):
        """Receipts older than 30 days: no SMS waits for them any more."""
        self.env.cr.execute(
            "DELETE FROM fs_sms_part WHERE coalesce(receipt_at, sent_at)"
            " < now() AT TIME ZONE 'UTC' - interval '30 days'"
        )
