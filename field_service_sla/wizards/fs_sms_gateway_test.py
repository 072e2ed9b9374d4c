from uuid import uuid4

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..gateways import Accepted, GatewayDown, Outgoing
from ..sla_core.escalation import normalize_mobile
from ..sla_core.sms_segments import plan_text


class FsSmsGatewayTest(models.TransientModel):
    """Send one SMS to a number typed here, now, and show exactly what the
    gateway answered. The SMS is kept like any other, so its delivery
    receipt shows on it."""

    _name = "fs.sms.gateway.test"
    _description = "Test an SMS gateway"

    gateway_id = fields.Many2one("fs.sms.gateway", required=True, readonly=True)
    number = fields.Char(required=True, help="A mobile number: 13800138000, +86 ...")
    text = fields.Text(
        string="SMS text",
        required=True, default=lambda s: s.env._("SMS gateway test: 短信网关测试")
    )
    segments = fields.Integer(compute="_compute_segments", string="Segments")
    answer = fields.Text(string="The gateway's answer", readonly=True)
    ok = fields.Boolean(readonly=True)
    sms_id = fields.Many2one(
        "sms.sms", string="SMS", readonly=True, groups="base.group_system"
    )

    @api.depends("text")
    def _compute_segments(self):
        for wizard in self:
            wizard.segments = plan_text(wizard.text or "").segments

    def action_send(self):
        self.ensure_one()
        gateway = self.gateway_id
        gateway.check_access("write")
        number = normalize_mobile(self.number)
        if not number:
            raise UserError(
                self.env._("%s is not a mobile number an SMS can reach.", self.number)
            )
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": number,
                    "body": self.text,
                    "state": "process",
                    "uuid": uuid4().hex,
                    "fs_gateway_id": gateway.id,
                    "fs_company_id": gateway.company_id.id,
                }
            )
        )
        try:
            result = gateway._fs_transport().send(
                [Outgoing(sms.uuid, number, self.text)]
            )
            answers = result.answers
            receipts = result.receipts
            down = None
        except GatewayDown as error:
            answers, receipts, down = error.done, error.receipts, error
        answer = answers[0] if answers else None
        if isinstance(answer, Accepted):
            sms.write({"state": "pending"})
            self.env["fs.sms.part"]._fs_record_parts(
                gateway,
                [
                    (sms.uuid, mid, i)
                    for i, mid in enumerate(answer.message_ids, start=1)
                ],
            )
            text, ok = (
                answer.detail
                or self.env._("Accepted: %s", ", ".join(answer.message_ids)),
                True,
            )
        elif answer is not None:
            text, ok = answer.reason, False
            sms.write(
                {
                    "state": "error",
                    "failure_type": "unknown",
                    "fs_failure_reason": answer.reason,
                }
            )
        else:
            text, ok = (down.reason if down else self.env._("No answer")), False
            sms.write(
                {
                    "state": "error",
                    "failure_type": "sms_server",
                    "fs_failure_reason": text,
                }
            )
        if receipts:
            self.env["fs.sms.part"]._fs_apply_receipts(gateway, receipts)
        self.sudo().write({"answer": text, "ok": ok, "sms_id": sms.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Test the gateway"),
        }
