import time

from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core.sms_segments import plan_text

QUEUE_CRON = "sms.ir_cron_sms_scheduler_action"


class SmsSms(models.Model):
    """Odoo's outgoing SMS, sent through the company's own gateway when it
    has one: always from the SMS queue's cron, never in a user's request or
    in the escalation sweep's transaction; retried while the gateway is
    down; its delivery known from the gateway's receipts."""

    _inherit = "sms.sms"

    state = fields.Selection(
        selection_add=[("fs_retry", "Waiting to retry")],
        ondelete={"fs_retry": "set default"},
    )
    fs_company_id = fields.Many2one(
        "res.company",
        string="Company",
        default=lambda s: s.env.company,
        help="The company whose gateway sends it, when no message names one.",
    )
    fs_gateway_id = fields.Many2one(
        "fs.sms.gateway", string="Gateway", readonly=True, index="btree_not_null"
    )
    fs_first_try = fields.Datetime(string="First attempt", readonly=True)
    fs_next_try = fields.Datetime(string="Next attempt", readonly=True)
    fs_attempts = fields.Integer(string="Attempts", readonly=True)
    fs_failure_reason = fields.Char(
        string="Gateway's answer", readonly=True, help="What the gateway said."
    )
    fs_segments = fields.Integer(
        string="Segments",
        compute="_compute_fs_segments",
        help="How many messages the text takes (70 Chinese characters in one, "
        "67 in each part of a longer one; 160 and 153 in GSM 7-bit).",
    )
    fs_encoding = fields.Selection(
        [("gsm7", "GSM 7-bit"), ("ucs2", "UCS-2")],
        string="Alphabet",
        compute="_compute_fs_segments",
    )

    # the retry sweep's look-up
    _fs_retry_idx = models.Index("(fs_next_try) WHERE state = 'fs_retry'")
    # the receipts cron's catch-up: the SMS still waiting for their receipts
    _fs_pending_idx = models.Index("(uuid) WHERE state = 'pending'")

    @api.depends("body")
    def _compute_fs_segments(self):
        for sms in self:
            plan = plan_text(sms.body or "")
            sms.fs_segments = plan.segments
            sms.fs_encoding = plan.encoding

    # ------------------------------------------------------------------
    def _get_sms_company(self):
        company = self.mail_message_id.record_company_id or self.fs_company_id
        return company or super()._get_sms_company()

    def _fs_by_company(self):
        groups = {}
        for sms in self:
            company = sms._get_sms_company()
            groups[company] = groups.get(company, self.browse()) | sms
        return groups

    def _split_by_api(self):
        """Per company: its gateway's API where it has one (as sms_twilio
        does), else IAP through the parent."""
        via_parent = self.browse()
        for company, company_sms in self._fs_by_company().items():
            if company.sudo()._fs_sms_gateway():
                sms_api = company._get_sms_api_class()(self.env)
                sms_api._set_company(company)
                yield sms_api, company_sms
            else:
                via_parent |= company_sms
        if via_parent:
            yield from super(SmsSms, via_parent)._split_by_api()

    def _fs_through_gateway(self):
        return self.filtered(lambda s: s._get_sms_company().sudo()._fs_sms_gateway())

    def send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Through a gateway, sending is the queue's: a user's click or a
        sweep only wakes it, so a slow SMS centre holds neither."""
        queued = self._fs_through_gateway()
        if queued:
            self.env.ref(QUEUE_CRON).sudo()._trigger()
        rest = self - queued
        if rest:
            return super(SmsSms, rest).send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    def resend_failed(self):
        """*Retry* on failed SMS: those of a gateway go back to the queue (the
        parent would count them as not resent, since they are not sent in
        this request)."""
        failed = self.filtered(lambda s: s.state == "error" and not s.to_delete)
        queued = failed._fs_through_gateway()
        if not queued:
            return super().resend_failed()
        queued.write({"state": "outgoing", "fs_first_try": False, "fs_attempts": 0})
        self.env.ref(QUEUE_CRON).sudo()._trigger()
        rest = failed - queued
        if rest:
            super(SmsSms, rest).resend_failed()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s SMS are back in the queue of the SMS gateway.",
                    count=len(queued),
                ),
            },
        }

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """The queue's batch may hold several companies' SMS: each goes
        through its own company's way out."""
        if self.env.context.get("sms_api"):
            return super()._send(unlink_failed, unlink_sent, raise_exception)
        for company, company_sms in self._fs_by_company().items():
            sms_api = company._get_sms_api_class()(self.env)
            sms_api._set_company(company)
            super(SmsSms, company_sms.with_context(sms_api=sms_api))._send(
                unlink_failed, unlink_sent, raise_exception
            )
        return None

    def _send_with_api(
        self, sms_api, unlink_failed=False, unlink_sent=True, raise_exception=False
    ):
        gateway = getattr(sms_api, "fs_gateway", None)
        if not gateway:
            return super()._send_with_api(
                sms_api, unlink_failed, unlink_sent, raise_exception
            )
        return gateway._fs_send(self.sudo(), unlink_sent=unlink_sent)

    def _get_send_batch_size(self):
        companies = (
            self.mapped(lambda s: s._get_sms_company()) if self else self.env.company
        )
        gateways = [c.sudo()._fs_sms_gateway() for c in companies]
        sizes = [g.batch_size for g in gateways if g]
        return min(sizes) if sizes else super()._get_send_batch_size()

    # ------------------------------------------------------------------
    @api.model
    def _process_queue(self):
        """The queue's cron: SMS whose retry is due go back to the queue
        first; afterwards the cron is woken for the next retry due, or at
        once when its run ends with SMS still to send."""
        self._fs_release_due()
        result = super()._process_queue()
        self._fs_wake_for_next_retry()
        self._fs_wake_for_the_rest()
        return result

    @api.model
    def _fs_wake_for_the_rest(self):
        """ir.cron runs a job for at least ten calls and ten seconds, then
        leaves the rest to the cron threads' next poll, up to a minute later
        (nothing wakes them): a storm's SMS, paced by the gateway's
        throughput, would wait a minute after every ten seconds of sending.
        When the run's time is up with SMS still outgoing, the queue's cron
        is triggered now: the commit wakes the cron threads."""
        end = self.env.context.get("cron_end_time")
        if end is None or time.monotonic() < end:
            return
        if self.search_count(
            [("state", "=", "outgoing"), ("to_delete", "!=", True)], limit=1
        ):
            self.env.ref(QUEUE_CRON).sudo()._trigger()

    @api.model
    def _fs_release_due(self, now=None):
        now = now or fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                "UPDATE sms_sms SET state = 'outgoing' WHERE state = 'fs_retry'"
                " AND fs_next_try <= %s",
                now,
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["state"])

    @api.model
    def _fs_wake_for_next_retry(self):
        self.env.cr.execute(
            "SELECT min(fs_next_try) FROM sms_sms WHERE state = 'fs_retry'"
        )
        at = self.env.cr.fetchone()[0]
        if not at:
            return
        # one wake-up, not one per batch: the cron's triggers that are due
        # are removed when it runs, so one at or before ``at`` is enough
        cron = self.env.ref(QUEUE_CRON).sudo()
        if (
            not self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", cron.id), ("call_at", "<=", at)], limit=1)
        ):
            cron._trigger(at=at)
