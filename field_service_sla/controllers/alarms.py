"""The alarm endpoint: monitoring systems POST alarms and clears as JSON,
signed in with their integration user's API key (Odoo's own bearer keys).
The contract is in docs/alarm-api.md."""

import json
import logging

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

from ..models.fs_alarm_source import SOURCE_GROUP
from ..sla_core.alarms import AlarmInputError

_logger = logging.getLogger(__name__)

MAX_BYTES_PARAM = "field_service_sla.alarm_max_bytes"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# errors of meaning rather than form: the JSON was fine
UNPROCESSABLE = {"in_future", "before_line"}
MESSAGES = {
    "malformed_json": "The body is not valid JSON.",
    "not_an_object": "Expected a JSON object.",
    "not_a_list": "Expected a JSON list.",
    "empty": "The request holds no alarm.",
    "too_many": "Too many alarms in one request.",
    "missing": "A required field is missing.",
    "not_a_string": "Expected a string.",
    "too_long": "The value is too long.",
    "bad_state": 'state is "raised" or "cleared".',
    "not_a_time": "Expected an ISO 8601 time, e.g. 2026-12-07T08:30:00+08:00.",
    "in_future": "The time is more than 5 minutes in the future.",
    "bad_severity": "severity is critical, major, minor, warning or indeterminate.",
    "no_object": "A raise names a circuit_ref or an element.",
    "before_line": "The alarm was raised before its service line existed.",
    "too_large": "The body is over the size limit.",
    "not_a_source": "This key belongs to no active alarm source.",
    "other_source": "This key cannot send alarms for another source.",
}


def _error(status, code, field=None, index=None):
    body = {"error": code, "message": MESSAGES.get(code, code)}
    if field is not None:
        body["field"] = field
    if index is not None:
        body["index"] = index
    return request.make_json_response(body, status=status)


class AlarmController(http.Controller):
    @http.route(
        "/fs/api/alarms",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def post_alarms(self, **_params):
        env = request.env
        # a broken setting falls back to the default rather than failing
        # every delivery
        limit = env["ir.config_parameter"]._fs_int(
            MAX_BYTES_PARAM, DEFAULT_MAX_BYTES, 1
        )
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > limit:
            return _error(413, "too_large")
        httprequest.max_content_length = limit
        try:
            body = httprequest.get_data(cache=False)
        except RequestEntityTooLarge:
            return _error(413, "too_large")
        # a positive membership: the key's user must be an alarm source's
        if not env.user.has_group(SOURCE_GROUP):
            return _error(403, "not_a_source")
        source = (
            env["fs.alarm.source"]
            .sudo()
            .search([("user_id", "=", env.uid), ("active", "=", True)], limit=1)
        )
        if not source:
            return _error(403, "not_a_source")
        try:
            payload = json.loads(body)
        except ValueError:
            return _error(400, "malformed_json")
        if self._names_another_source(payload, source):
            return _error(403, "other_source")
        try:
            result = env["fs.alarm.intake"]._ingest_in_own_transaction(source, payload)
        except AlarmInputError as error:
            status = 422 if error.code in UNPROCESSABLE else 400
            return _error(status, error.code, error.field, error.index)
        return request.make_json_response(result)

    @staticmethod
    def _names_another_source(payload, source):
        items = payload.get("alarms") if isinstance(payload, dict) else None
        named = [payload] + (items if isinstance(items, list) else [])
        return any(
            isinstance(item, dict) and item.get("source") not in (None, source.code)
            for item in named
        )
