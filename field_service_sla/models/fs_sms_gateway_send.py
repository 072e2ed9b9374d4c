import logging
from datetime import timedelta

from odoo import fields, models

from ..gateways import Accepted, GatewayDown, Outgoing, Refused
from ..sla_core.sms_delivery import backoff_seconds

_logger = logging.getLogger(__name__)

#: seconds after a batch went out that the SMS centre's receipts are read
RECEIPTS_AFTER = 30


class FsSmsGateway(models.Model):
    """Sending a batch of the SMS queue through the gateway, and what its
    answers do: sent SMS wait for their receipts, refused ones fail with
    the gateway's words, and while the gateway is down the batch waits,
    with backoff, until the retry time runs out."""

    _inherit = "fs.sms.gateway"

    def _fs_transport(self):
        """The transport of this gateway, with its secret: built for one
        call, never kept."""
        self.ensure_one()
        secret = self.sudo()._fs_secrets().get(self.id, {})
        if self.protocol == "smpp":
            from ..gateways.smpp import SmppTransport

            source = self.smpp_source_addr or ""
            # an international number, a national service code (106...), or a name
            ton, npi = (
                (1, 1)
                if source.startswith("+")
                else ((0, 1) if source.isdigit() else (5, 0))
            )
            return SmppTransport(
                host=self.smpp_host,
                port=self.smpp_port,
                system_id=self.smpp_system_id,
                password=secret.get("smpp_password") or "",
                system_type=self.smpp_system_type or "",
                source_addr=source.lstrip("+"),
                source_ton=ton,
                source_npi=npi,
                bind=self.smpp_bind or "transceiver",
                tls=self.smpp_tls,
                tls_verify=self.smpp_tls_verify,
                rate=self.rate,
            )
        from ..gateways.http import HttpTransport

        headers = {}
        if self.http_auth_header and secret.get("http_auth_value"):
            headers[self.http_auth_header] = secret["http_auth_value"]
        return HttpTransport(
            url=self.http_url,
            method=self.http_method or "POST",
            content_type=self.http_content_type or "json",
            body_template=self.http_body_template or "",
            headers=headers,
            sender=self.http_sender or "",
            id_path=self.http_id_path or "",
            status_path=self.http_status_path or "",
            success_values=self._fs_list("http_success_values"),
            permanent_values=self._fs_list("http_permanent_values"),
            down_values=self._fs_list("http_down_values"),
            rate=self.rate,
        )

    # ------------------------------------------------------------------
    def _fs_send(self, sms, unlink_sent=True):
        """Send ``sms`` (outgoing, sudo) through this gateway."""
        self.ensure_one()
        now = fields.Datetime.now()
        sms.filtered(lambda s: not s.fs_first_try).write(
            {"fs_first_try": now, "fs_gateway_id": self.id}
        )
        if self.retry_at and self.retry_at > now:
            # down a moment ago: wait for the next attempt without knocking
            self._fs_defer(sms, now, self.last_error or "")
            return
        outgoing = [Outgoing(s.uuid, s.number or "", s.body or "") for s in sms]
        down = None
        try:
            result = self._fs_transport().send(outgoing)
            answers, receipts = result.answers, result.receipts
        except GatewayDown as error:
            down = error
            answers, receipts = error.done, error.receipts
        except Exception as error:  # a bug or an unforeseen answer: the batch waits
            _logger.exception("SMS gateway %s: sending failed", self.id)
            down = GatewayDown(str(error) or error.__class__.__name__)
            answers, receipts = [], []
        answered = self._fs_apply_answers(sms, answers, now, unlink_sent)
        rest = sms.filtered(lambda s: s.uuid not in answered)
        if down:
            self._fs_down(down.reason, rest, now)
        else:
            self._fs_up(now)
            if rest:
                self._fs_defer(rest, now, self.env._("no answer from the gateway"))
        if receipts:
            self.env["fs.sms.part"]._fs_apply_receipts(self, receipts)
        if self.protocol == "smpp" and len(answered) > 0:
            # the receipts that come after the connection closed: read soon,
            # not at the cron's next round
            self.env.ref("field_service_sla.ir_cron_sms_receipts").sudo()._trigger(
                at=now + timedelta(seconds=RECEIPTS_AFTER)
            )

    def _fs_apply_answers(self, sms, answers, now, unlink_sent):
        by_uuid = {s.uuid: s for s in sms}
        accepted, parts, refused, later = [], [], {}, []
        for answer in answers:
            record = by_uuid.get(answer.key)
            if record is None:
                continue
            if isinstance(answer, Accepted):
                accepted.append(record.id)
                parts += [
                    (answer.key, message_id, index)
                    for index, message_id in enumerate(answer.message_ids, start=1)
                ]
            elif isinstance(answer, Refused) and answer.permanent:
                refused.setdefault(answer.reason, []).append(record.id)
            else:
                later.append((record.id, answer.reason))
        Sms = self.env["sms.sms"].sudo().with_context(sms_skip_msg_notification=True)
        sent = Sms.browse(accepted)
        if sent:
            sent.write(
                {"state": "pending", "failure_type": False, "fs_failure_reason": False}
            )
            sent.sms_tracker_id._action_update_from_sms_state("pending")
            self.env["fs.sms.part"]._fs_record_parts(self, parts)
        for reason, ids in refused.items():
            failed = Sms.browse(ids)
            failed.write(
                {
                    "state": "error",
                    "failure_type": "unknown",
                    "fs_failure_reason": reason,
                }
            )
            failed.sms_tracker_id._action_update_from_sms_state(
                "error", failure_type="unknown", failure_reason=reason
            )
        if later:
            self._fs_defer(
                Sms.browse([i for i, _r in later]), now, later[0][1], throttled=True
            )
        done = sent | Sms.browse([i for ids in refused.values() for i in ids])
        done.mail_message_id._notify_message_notification_update()
        return {answer.key for answer in answers if answer.key in by_uuid}

    # ------------------------------------------------------------------
    def _fs_defer(self, sms, now, reason, throttled=False):
        """Wait for the next attempt; an SMS whose retry time has run out
        fails with the gateway's last words."""
        if not sms:
            return
        limit = timedelta(minutes=self.retry_minutes)
        expired = sms.filtered(lambda s: (s.fs_first_try or now) + limit <= now)
        waiting = sms - expired
        if waiting:
            at = (
                self.retry_at
                if (self.retry_at and self.retry_at > now)
                else now
                + timedelta(
                    seconds=5 if throttled else backoff_seconds(max(self.attempts, 1))
                )
            )
            for attempts, group in waiting.grouped("fs_attempts").items():
                group.write(
                    {
                        "state": "fs_retry",
                        "fs_next_try": at,
                        "fs_attempts": attempts + 1,
                        "fs_failure_reason": reason,
                    }
                )
        if expired:
            why = self.env._(
                "The gateway could not be reached for %(minutes)s minutes: %(reason)s",
                minutes=self.retry_minutes,
                reason=reason,
            )
            expired.write(
                {
                    "state": "error",
                    "failure_type": "sms_server",
                    "fs_failure_reason": why,
                }
            )
            expired.sms_tracker_id._action_update_from_sms_state(
                "error", failure_type="sms_server", failure_reason=why
            )
            self._fs_report_outage(why)

    def _fs_down(self, reason, rest, now):
        attempts = self.attempts + 1
        _logger.warning("SMS gateway %s (%s) is down: %s", self.id, self.name, reason)
        self.sudo().write(
            {
                "attempts": attempts,
                "outage_since": self.outage_since or now,
                "retry_at": now + timedelta(seconds=backoff_seconds(attempts)),
                "last_error": reason,
            }
        )
        self._fs_defer(rest, now, reason)

    def _fs_up(self, now):
        if not (self.outage_since or self.attempts or self.retry_at):
            if not self.last_success_at or self.last_success_at < now - timedelta(
                minutes=1
            ):
                self.sudo().last_success_at = now
            return
        if self.outage_since:
            self.sudo().message_post(
                body=self.env._(
                    "The gateway answers again (down since %(since)s: %(reason)s).",
                    since=fields.Datetime.to_string(self.outage_since),
                    reason=self.last_error or "",
                )
            )
        self.sudo().write(
            {
                "attempts": 0,
                "outage_since": False,
                "retry_at": False,
                "outage_reported": False,
                "last_success_at": now,
            }
        )
        self._fs_release_waiting(now)

    def _fs_release_waiting(self, now):
        """What waited for this gateway goes now."""
        waiting = (
            self.env["sms.sms"]
            .sudo()
            .search([("state", "=", "fs_retry"), ("fs_gateway_id", "in", self.ids)])
        )
        if waiting:
            waiting.write({"fs_next_try": now})
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def _fs_try_again(self):
        """Its settings changed during an outage: the next batch tries them
        at once rather than at the end of the backoff (the outage itself
        ends, with its note, when the gateway answers)."""
        if not self:
            return
        now = fields.Datetime.now()
        self.sudo().write({"retry_at": False, "attempts": 0})
        self._fs_release_waiting(now)

    def _fs_report_outage(self, why):
        """One activity for an SLA administrator per outage, not one per SMS."""
        if self.outage_reported:
            return
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        ).filtered(lambda u: u.active and not u.share)
        self.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("SMS are failing: the gateway is down"),
            note=why,
            user_id=admins[:1].id or self.env.uid,
        )
        self.sudo().outage_reported = True
