import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from ..gateways import DELIVERED, FAILED, PENDING

_logger = logging.getLogger(__name__)

RECEIPT_STATES = [(PENDING, "Waiting"), (DELIVERED, "Delivered"), (FAILED, "Failed")]


class FsSmsPart(models.Model):
    """One message the gateway took, under the id it gave it: a short SMS is
    one, a concatenated one a part each. Its delivery receipt lands here.

    Receipts come at least once and in any order (a receipt may even come
    before the transaction that recorded the send has committed): a part is
    keyed by (gateway, message id) and inserted only by the sending side; a
    receipt is kept in fs.sms.receipt and folded into its part when both are
    there. A final state is never changed, and an SMS is delivered once all
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
        """``parts``: (sms uuid, message id, part number) the gateway took.
        Only the sending side inserts parts (receipts go to fs.sms.receipt),
        so this cannot conflict with a receipt read at the same moment."""
        if not parts:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO fs_sms_part
                       (gateway_id, message_id, sms_uuid, part, state, sent_at)
                SELECT %s, v.m, v.u, v.p, 'pending', now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::varchar[], %s::varchar[], %s::int[]) AS v(u, m, p)
                ON CONFLICT (gateway_id, message_id) DO NOTHING
                """,
                gateway.id,
                [p[0] for p in parts],
                [str(p[1]) for p in parts],
                [p[2] for p in parts],
            )
        )
        # receipts that came first
        self._fs_fold(gateway.id, [str(p[1]) for p in parts])

    @api.model
    def _fs_apply_receipts(self, gateway, receipts):
        """Apply delivery receipts (``gateways.Receipt``) of ``gateway``: kept
        as they came, then folded into their parts; the number of parts that
        reached a final state."""
        final = [r for r in receipts if r.state in (DELIVERED, FAILED)]
        if not final:
            return 0
        self.env.execute_query(
            SQL(
                """
                INSERT INTO fs_sms_receipt
                       (gateway_id, message_id, state, reason, received_at)
                SELECT %s, v.m, v.s, v.r, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[]) AS v(m, s, r)
                """,
                gateway.id,
                [r.message_id for r in final],
                [r.state for r in final],
                [r.reason or "" for r in final],
            )
        )
        return self._fs_fold(gateway.id, [r.message_id for r in final])

    @api.model
    def _fs_fold(self, gateway_id=None, message_ids=None):
        """The receipts received (of ``message_ids`` of ``gateway_id``, or
        all) into their parts: a final state is never changed, a failure
        outweighs a delivery; each folded receipt is removed and the SMS of
        the parts settled. A conflict with another transaction doing the
        same leaves them to the next receipts cron: nothing is lost. The
        number of parts that reached a final state."""
        where = SQL("TRUE")
        if message_ids is not None:
            where = SQL(
                "r.gateway_id = %s AND r.message_id = ANY(%s)",
                gateway_id,
                list(message_ids),
            )
        try:
            with self.env.cr.savepoint():
                rows = self.env.execute_query(
                    SQL(
                        """
                        WITH matched AS (
                            SELECT r.id, r.gateway_id, r.message_id, r.state,
                                   r.reason, r.received_at
                              FROM fs_sms_receipt r
                              JOIN fs_sms_part p
                                ON p.gateway_id = r.gateway_id
                               AND p.message_id = r.message_id
                             WHERE %s
                        ), chosen AS (
                            SELECT DISTINCT ON (gateway_id, message_id) *
                              FROM matched
                          ORDER BY gateway_id, message_id, state = 'failed' DESC, id
                        ), folded AS (
                            DELETE FROM fs_sms_receipt
                             WHERE id IN (SELECT id FROM matched)
                        )
                        UPDATE fs_sms_part p
                           SET state = c.state, reason = c.reason,
                               receipt_at = c.received_at
                          FROM chosen c
                         WHERE p.gateway_id = c.gateway_id
                           AND p.message_id = c.message_id
                           AND p.state = 'pending'
                     RETURNING p.sms_uuid
                        """,
                        where,
                    )
                )
                uuids = {row[0] for row in rows if row[0]}
                if uuids:
                    self._fs_settle(uuids)
                self.env.flush_all()
        except (errors.SerializationFailure, errors.LockNotAvailable) as conflict:
            _logger.info("SMS receipts left to the next round: %s", conflict)
            self.env.invalidate_all()
            return 0
        self.invalidate_model()
        return len(rows)

    @api.model
    def _fs_catch_up(self):
        """The receipts cron's last step: the receipts that could not be
        folded when they came, the SMS whose parts have all reported but
        that were not settled then, and the receipts that match no message
        after an hour (logged, then dropped)."""
        self._fs_fold()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.sms_uuid
                  FROM fs_sms_part p
                  JOIN sms_sms s ON s.uuid = p.sms_uuid AND s.state = 'pending'
              GROUP BY p.sms_uuid
                HAVING bool_and(p.state != 'pending')
                """
            )
        )
        if rows:
            self._fs_settle({row[0] for row in rows})
        stale = self.env.execute_query(
            SQL(
                """
                DELETE FROM fs_sms_receipt
                 WHERE received_at < now() AT TIME ZONE 'UTC' - interval '1 hour'
             RETURNING gateway_id, message_id
                """
            )
        )
        if stale:
            _logger.warning(
                "%s SMS receipts for message ids no gateway gave were ignored"
                " (first: gateway %s, id %s)",
                len(stale),
                *stale[0],
            )

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
