from odoo import models

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..gateways import Accepted, GatewayDown, Outgoing


class FsGatewaySmsApi(SmsApiBase):
    """Odoo's SMS provider seam (as ``sms_twilio`` uses it) for a company
    whose SMS leave through its own gateway. ``sms.sms`` sends through
    ``gateway._fs_send`` (queue, receipts, retries); ``_send_sms_batch``
    serves any other caller of the seam, in IAP's answer format."""

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE

    def __init__(self, env, account=None):
        super().__init__(env, account=account)
        self.fs_gateway = env.company.sudo()._fs_sms_gateway()

    def _set_company(self, company):
        super()._set_company(company)
        self.fs_gateway = company.sudo()._fs_sms_gateway()

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        outgoing = [
            Outgoing(number["uuid"], number["number"], message["content"] or "")
            for message in messages
            for number in message["numbers"]
        ]
        try:
            answers = self.fs_gateway._fs_transport().send(outgoing).answers
        except GatewayDown as down:
            answers = down.done
        results = {o.key: {"uuid": o.key, "state": "server_error"} for o in outgoing}
        for answer in answers:
            if isinstance(answer, Accepted):
                results[answer.key] = {"uuid": answer.key, "state": "success"}
            else:
                results[answer.key] = {
                    "uuid": answer.key,
                    "state": "server_error",
                    "failure_reason": answer.reason,
                }
        return list(results.values())


class ResCompany(models.Model):
    _inherit = "res.company"

    def _fs_sms_gateway(self):
        """The company's gateway in use, or an empty recordset (IAP)."""
        self.ensure_one()
        return (
            self.env["fs.sms.gateway"]
            .sudo()
            .search([("company_id", "=", self.id), ("in_use", "=", True)], limit=1)
        )

    def _get_sms_api_class(self):
        if self._fs_sms_gateway():
            return FsGatewaySmsApi
        return super()._get_sms_api_class()
