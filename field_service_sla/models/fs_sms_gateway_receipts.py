import logging

from odoo import api, models

from ..gateways import GatewayDown

_logger = logging.getLogger(__name__)

#: seconds a receipt collection listens at most, per gateway
LISTEN_SECONDS = 20


class FsSmsGateway(models.Model):
    """Receipts that come after the sending connection closed: an SMPP
    gateway's are read by a short bind of their own, from a cron; an HTTP
    platform calls the delivery-report address (controllers/sms_receipts.py)."""

    _inherit = "fs.sms.gateway"

    @api.model
    def _cron_collect_receipts(self):
        """Each SMPP gateway with SMS waiting for a receipt listens a moment;
        one that fails is logged and the others go on."""
        self.env.cr.execute(
            "SELECT DISTINCT gateway_id FROM fs_sms_part WHERE state = 'pending'"
        )
        waiting = [row[0] for row in self.env.cr.fetchall()]
        gateways = self.sudo().search(
            [("id", "in", waiting), ("protocol", "=", "smpp"), ("active", "=", True)]
        )
        for gateway in gateways:
            try:
                receipts = gateway._fs_transport().collect_receipts(LISTEN_SECONDS)
            except GatewayDown as down:
                _logger.info(
                    "SMS gateway %s: no receipts read: %s", gateway.id, down.reason
                )
                continue
            except Exception:
                _logger.exception("SMS gateway %s: reading receipts failed", gateway.id)
                continue
            self.env["fs.sms.part"]._fs_apply_receipts(gateway, receipts)
            self.env["ir.cron"]._commit_progress(1)
        self.env["fs.sms.part"]._fs_catch_up()
