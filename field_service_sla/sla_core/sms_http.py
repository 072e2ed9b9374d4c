"""An enterprise SMS platform's HTTP API, free of Odoo and of any HTTP
library: the body template an administrator writes, how it is filled, and
how the platform's JSON answers and delivery callbacks are read.

The template names the placeholders ``{number}``, ``{text}``, ``{sender}``
and ``{ref}`` (the caller's key for the text, which a platform may echo in
its callback). Every other brace is literal, without escapes, so that the
JSON body a platform documents is written as it is:
``{"mobile": "{number}", "content": "{text}"}`` (Python's ``{{``, which
``sms_text`` uses, would break at every nested object's ``}}``). A brace
around a word that is not a placeholder (``{nubmer}``, ``{0}``), a format
spec or a conversion (``{text:>99}``, ``{text!r}``) is a problem, found
when the template is saved.

The template is never given to ``str.format``, and the values are never
scanned for placeholders: a text containing ``{x}`` goes out verbatim. Each
value is escaped for the body it goes into: inside a JSON string as JSON
escapes (ASCII only), so that no quote, backslash or newline of a text can
end the string and inject a field; in a form body
(``application/x-www-form-urlencoded``, also the query string of a GET)
percent-encoded in UTF-8, so that ``&``, ``=`` and ``+`` stay in the value.
"""

import json
import re
from collections import namedtuple
from functools import lru_cache
from urllib.parse import quote_plus

#: the placeholders a body template may name
PLACEHOLDERS = ("number", "text", "sender", "ref")
#: the placeholders a body template must name
REQUIRED = ("number", "text")
JSON = "json"
FORM = "form"
CONTENT_TYPES = (JSON, FORM)
#: the Content-Type header of each body
MIME_TYPES = {
    JSON: "application/json; charset=utf-8",
    FORM: "application/x-www-form-urlencoded; charset=utf-8",
}

#: what a JSON template is filled with when checked: none of them is JSON
#: on its own, and each holds what could break a JSON string, so that a
#: placeholder outside the template's quotes shows
SAMPLE = {
    "number": "+8613800138000",
    "text": 'Sample "text" \\ 测试\n{x}',
    "sender": "Sender",
    "ref": "ref-0001",
}

# problem codes
UNKNOWN = "unknown"
FORMAT_SPEC = "format_spec"
CONVERSION = "conversion"
MISSING = "missing"
CONTENT_TYPE = "content_type"
NOT_JSON = "not_json"
OUTSIDE_STRING = "outside_string"

# receipt states, the same words as gateways.base
DELIVERED = "delivered"
FAILED = "failed"
PENDING = "pending"

#: one delivery report read from a platform's callback
HttpReceipt = namedtuple("HttpReceipt", "message_id state reason")


class HttpTemplateError(ValueError):
    """A body template that cannot be filled; ``problems`` as
    template_problems() gives them."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(_describe(p) for p in problems))


def _describe(problem):
    code, detail = problem
    return f"{code}: {detail}" if detail is not None else code


#: a word in braces, with what Python's format would read as a conversion
#: or a format spec
_BRACED = re.compile(r"\{(\w+)([!:][^{}]*)?\}")


def _parts(template):
    """``[(literal, placeholder or None, spec or conversion or None)]``:
    every word in braces is a placeholder, known or not."""
    parts = []
    position = 0
    for match in _BRACED.finditer(template or ""):
        parts.append((template[position : match.start()], match[1], match[2]))
        position = match.end()
    parts.append(((template or "")[position:], None, None))
    return parts


def _strings(document):
    """Every string in a parsed JSON document, keys included."""
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


@lru_cache(maxsize=64)
def _problems(template, content_type):
    if content_type not in CONTENT_TYPES:
        return ((CONTENT_TYPE, content_type),)
    parts = _parts(template)
    problems = []
    named = set()
    for _literal, name, extra in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            problems.append((UNKNOWN, name + (extra or "")))
            continue
        named.add(name)
        if extra and extra[0] == ":":
            problems.append((FORMAT_SPEC, name + extra))
        elif extra:
            problems.append((CONVERSION, name + extra))
    problems += [(MISSING, name) for name in REQUIRED if name not in named]
    if problems or content_type != JSON:
        return tuple(problems)
    try:
        document = json.loads(_fill(parts, JSON, SAMPLE))
    except ValueError as error:
        return ((NOT_JSON, str(error)),)
    strings = list(_strings(document))
    for name in sorted(named):
        if not any(SAMPLE[name] in string for string in strings):
            problems.append((OUTSIDE_STRING, name))
    return tuple(problems)


def template_problems(template, content_type):
    """What is wrong with a body template, as ``(code, detail)`` pairs;
    empty when it can be saved. Codes: CONTENT_TYPE (the unknown content
    type), UNKNOWN, FORMAT_SPEC and CONVERSION (what is in the braces),
    MISSING (``number`` or ``text`` is not named); for a JSON body NOT_JSON
    (the parser's words for the template filled with sample values) and
    OUTSIDE_STRING (a placeholder not inside a JSON string, where its value
    would be bare JSON)."""
    return list(_problems(template or "", content_type))


def _escape(value, content_type):
    value = "" if value is None else str(value)
    if content_type == JSON:
        return json.dumps(value)[1:-1]
    return quote_plus(value, encoding="utf-8")


def _fill(parts, content_type, values):
    return "".join(
        literal + ("" if name is None else _escape(values.get(name), content_type))
        for literal, name, _extra in parts
    )


def fill_template(template, content_type, values):
    """The body: ``template`` with each placeholder replaced by its value in
    ``values`` (by placeholder name; a missing one is empty), JSON-escaped
    for JSON, percent-encoded for a form. Raises HttpTemplateError when the
    template has a problem; never reads anything of ``values`` but the
    strings themselves."""
    problems = template_problems(template, content_type)
    if problems:
        raise HttpTemplateError(problems)
    return _fill(_parts(template), content_type, values)


def read_path(document, path):
    """The value at a dotted ``path`` in a parsed JSON document
    (``data.msgid``; a list's item by its index, ``result.0.id``), or None.
    An empty path is the document itself."""
    if not path:
        return document
    value = document
    for step in str(path).split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list):
            try:
                index = int(step)
            except ValueError:
                return None
            if not -len(value) <= index < len(value):
                return None
            value = value[index]
        else:
            return None
        if value is None:
            return None
    return value


def as_text(value):
    """A JSON value as the words compared with a platform's codes: a number
    as written (``0`` is ``"0"``), booleans as JSON writes them, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def parse_http_receipts(
    payload,
    id_path,
    status_path,
    delivered_values,
    failed_values,
    list_path=None,
    error_path=None,
):
    """The delivery reports in a platform's callback, as HttpReceipt
    ``(message_id, state, reason)``. ``payload``: the parsed JSON (or the
    raw bytes or text of it); one report, a list of them, or a document with
    the list at ``list_path``. A status in ``delivered_values`` is DELIVERED,
    in ``failed_values`` FAILED, anything else PENDING; ``reason`` is the
    status as the platform wrote it, followed by the description at
    ``error_path`` when there is one. A report without a message id is left
    out; a payload that is not JSON gives no report."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return []
    items = read_path(payload, list_path) if list_path else payload
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return []
    delivered = {as_text(value) for value in delivered_values}
    failed = {as_text(value) for value in failed_values}
    receipts = []
    for item in items:
        message_id = as_text(read_path(item, id_path))
        if not message_id:
            continue
        status = as_text(read_path(item, status_path))
        if status in delivered:
            state = DELIVERED
        elif status in failed:
            state = FAILED
        else:
            state = PENDING
        reason = status
        error = as_text(read_path(item, error_path)) if error_path else ""
        if error:
            reason = f"{status} {error}" if status else error
        receipts.append(HttpReceipt(message_id, state, reason))
    return receipts


__all__ = [
    "CONTENT_TYPE",
    "CONTENT_TYPES",
    "CONVERSION",
    "DELIVERED",
    "FAILED",
    "FORM",
    "FORMAT_SPEC",
    "JSON",
    "MIME_TYPES",
    "MISSING",
    "NOT_JSON",
    "OUTSIDE_STRING",
    "PENDING",
    "PLACEHOLDERS",
    "REQUIRED",
    "SAMPLE",
    "UNKNOWN",
    "HttpReceipt",
    "HttpTemplateError",
    "as_text",
    "fill_template",
    "parse_http_receipts",
    "read_path",
    "template_problems",
]
