from odoo import fields, models

from ..gateways import DELIVERED, FAILED


class FsSmsReceipt(models.Model):
    """A delivery receipt as it came, before it is matched with its part.

    Receipts are read while SMS are being sent (on the sending bind), by the
    receipts cron (a bind of its own) and by the HTTP platform's callback, in
    transactions that run at once. Had each written its part's row, two of
    them touching the same row would fail one with a serialization error,
    and the receipts it read (already answered to the SMSC) would be lost.
    So a receipt is only ever *inserted* here, which cannot conflict; it is
    folded into its part at once when that can be done without a conflict,
    otherwise by the next receipts cron (``fs.sms.part._fs_catch_up``)."""

    _name = "fs.sms.receipt"
    _description = "SMS delivery receipt received"
    _log_access = False
    _order = "id"

    gateway_id = fields.Many2one(
        "fs.sms.gateway", required=True, readonly=True, ondelete="cascade"
    )
    message_id = fields.Char(string="Gateway's id", required=True, readonly=True)
    state = fields.Selection(
        [(DELIVERED, "Delivered"), (FAILED, "Failed")], required=True, readonly=True
    )
    reason = fields.Char(readonly=True)
    received_at = fields.Datetime(required=True, readonly=True)

    _gateway_message_idx = models.Index("(gateway_id, message_id)")
