import logging

from werkzeug.exceptions import BadRequest, NotFound

from odoo.http import Controller, request, route
from odoo.tools import consteq

from ..gateways import Receipt
from ..sla_core.sms_http import parse_http_receipts

_logger = logging.getLogger(__name__)


class SmsReceiptController(Controller):
    """The delivery reports of an HTTP SMS platform. The address carries the
    gateway's secret token: an unknown gateway and a wrong token get the
    same 404, so the address cannot be guessed by trying."""

    @route(
        "/fs/sms/receipt/<int:gateway_id>/<string:token>",
        type="http",
        auth="none",
        methods=["POST", "GET"],
        csrf=False,
        save_session=False,
    )
    def receipt(self, gateway_id, token, **params):
        gateway = request.env["fs.sms.gateway"].sudo().browse(gateway_id).exists()
        if (
            not gateway
            or gateway.protocol != "http"
            or not gateway.receipt_token
            or not consteq(token, gateway.receipt_token)
        ):
            raise NotFound()
        payload = params
        if (request.httprequest.mimetype or "").endswith("json"):
            try:
                payload = request.get_json_data()
            except ValueError as error:
                raise BadRequest("The body is not JSON.") from error
        receipts = [
            Receipt(message_id, state, reason)
            for message_id, state, reason in parse_http_receipts(
                payload,
                gateway.http_receipt_id_path or "",
                gateway.http_receipt_status_path or "",
                gateway._fs_list("http_delivered_values"),
                gateway._fs_list("http_failed_values"),
            )
        ]
        request.env["fs.sms.part"].sudo()._fs_apply_receipts(gateway, receipts)
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])
