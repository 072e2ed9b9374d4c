"""The HTTP transport: one request per text to an enterprise SMS platform's
API, through ``requests`` with one pooled Session.

What the platform answers decides each text's fate:

- HTTP 2xx with the platform's status (at ``status_path``) in
  ``success_values``, or any 2xx when no status path is set or the answer is
  not JSON: ``Accepted``, with the message id at ``id_path`` (the caller's
  key when the platform gives none);
- a status in ``permanent_values`` (a bad number...), or HTTP 400, 402, 406,
  409-428, 430-499: ``Refused(permanent=True)`` with the platform's words;
- any other status on a 2xx answer: ``Refused(permanent=False)``, tried
  again later;
- a status in ``down_values`` (most platforms answer HTTP 200 with a code
  for wrong credentials, an empty balance, an IP not on their list), HTTP
  401, 403 (credentials), 404, 405 (a wrong URL or method), 407, 408, 429
  (throttled), 3xx (redirects are not followed: a moved API is a
  configuration to fix, and a redirect must not carry the credentials
  elsewhere), 5xx, a timeout, a refused or dropped connection: every text
  of the call would meet the same, so ``GatewayDown`` with the answers
  already had; the caller tries the rest again later.

A connection dropped after the request went out leaves it unknown whether
the platform took the text: it counts as not sent (the ``{ref}``
placeholder gives a platform that deduplicates the means to). No reason or
detail this module writes contains the credentials the caller gave: a
header's value, the URL's password, a ``password``/``key``/``token``... in
the URL's query or the body template (``SECRET_KEY``).
"""

import base64
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .base import Accepted, GatewayDown, Receipt, Refused, SendResult

if "." in __package__:  # odoo.addons.field_service_sla.gateways
    from ..sla_core.sms_delivery import TokenBucket
    from ..sla_core.sms_http import (
        FORM,
        JSON,
        MIME_TYPES,
        SAMPLE,
        HttpTemplateError,
        as_text,
        fill_template,
        parse_http_receipts,
        read_path,
        template_problems,
    )
    from ..sla_core.sms_segments import plan_text
else:  # the gateway tier (tests/gateways) imports gateways and sla_core top-level
    from sla_core.sms_delivery import TokenBucket
    from sla_core.sms_http import (
        FORM,
        JSON,
        MIME_TYPES,
        SAMPLE,
        HttpTemplateError,
        as_text,
        fill_template,
        parse_http_receipts,
        read_path,
        template_problems,
    )
    from sla_core.sms_segments import plan_text

METHODS = ("POST", "GET")
#: HTTP statuses that say the gateway, not the text, is the problem
DOWN_STATUSES = frozenset({401, 403, 404, 405, 407, 408, 429})
#: how much of an answer a reason or detail quotes
QUOTED = 300
#: shortest header value hidden from reasons (shorter ones are not secrets)
SECRET_MIN = 4


class _Down(Exception):
    """One request met a gateway outage: ``reason``."""


#: a key in the URL's query or the body template whose value is a secret
SECRET_KEY = re.compile(r"pass|pwd|secret|token|key|auth|credential", re.IGNORECASE)


def _literal_secrets(url, template, content_type):
    """The values a platform's credentials take when they are written in
    the URL (user info, or a query key like ``password``) or in the body
    template (``"apikey": "..."``, ``pwd=...``) rather than in a header."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    body = fill_template(template, content_type, SAMPLE)
    if content_type == JSON:
        stack = [json.loads(body)]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                pairs += [(k, v) for k, v in node.items() if isinstance(v, str)]
                stack += list(node.values())
            elif isinstance(node, list):
                stack += node
    else:
        pairs += parse_qsl(body, keep_blank_values=True)
    found = {parts.password or ""}
    for key, value in pairs:
        if SECRET_KEY.search(key) and not any(v in value for v in SAMPLE.values()):
            found.add(value)
    return found


def _secrets(headers, url="", template="", content_type=JSON):
    """The values to hide from every reason: each header value, its
    credentials after the scheme (``Bearer xyz``), the user and password of
    a Basic one, the credentials written in the URL or the body template;
    each also as JSON and a URL would escape it, for a platform that echoes
    the request."""
    found = _literal_secrets(url, template, content_type) if template else set()
    for value in (headers or {}).values():
        value = str(value)
        found.add(value)
        scheme, _sep, credentials = value.partition(" ")
        credentials = credentials.strip()
        if credentials:
            found.add(credentials)
            if scheme.lower() == "basic":
                try:
                    decoded = base64.b64decode(credentials, validate=True)
                    user, _sep, password = decoded.decode("utf-8").partition(":")
                except ValueError:
                    continue
                found.update({user, password})
    found = {secret for secret in found if len(secret) >= SECRET_MIN}
    found |= {json.dumps(secret)[1:-1] for secret in found}
    found |= {quote_plus(secret) for secret in found} | {
        quote(secret) for secret in found
    }
    return sorted(found, key=len, reverse=True)


def _chain(error):
    """The exception and the ones it wraps (urllib3's ``reason``, Python's
    cause and context), outermost first."""
    chain = [error]
    while len(chain) < 10:
        inner = getattr(chain[-1], "reason", None)
        if not isinstance(inner, BaseException):
            inner = chain[-1].__cause__ or chain[-1].__context__
        if inner is None or inner in chain:
            break
        chain.append(inner)
    return chain


#: what a failed connection means to the one who set up the gateway, by the
#: class of an exception in its chain
CONNECTION_WORDS = (
    ("SSLError", "the TLS handshake failed (certificate or protocol)"),
    ("NameResolutionError", "the host name is not found"),
    ("gaierror", "the host name is not found"),
    ("ConnectionRefusedError", "the connection is refused: nothing listens there"),
    ("ConnectTimeoutError", "no connection within the timeout"),
    ("RemoteDisconnected", "the connection dropped before the answer"),
    ("ConnectionResetError", "the connection dropped before the answer"),
    ("BrokenPipeError", "the connection dropped before the answer"),
)


def _connection_words(error):
    """``<words> (<innermost exception class>)``, without the URL that the
    messages of requests and urllib3 quote."""
    chain = _chain(error)
    names = [type(link).__name__ for link in chain]
    words = next(
        (words for name, words in CONNECTION_WORDS if name in names),
        "the connection failed",
    )
    return f"{words} ({names[-1]})"


def _decode(response):
    """The answer's text: in the charset it declares, else UTF-8, else
    GB 18030 (the Chinese platforms' other habit)."""
    raw = response.content or b""
    declared = requests.utils.get_encoding_from_headers(response.headers)
    if declared and "charset" in response.headers.get("content-type", "").lower():
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


class HttpTransport:
    """Sends texts through an enterprise SMS platform's HTTP API.

    ``url`` (http or https), ``method`` POST or GET (a GET sends the filled
    form body as the query string), ``content_type`` "json" or "form",
    ``body_template`` (sla_core.sms_http: ``{number}``, ``{text}``,
    ``{sender}``, ``{ref}``), ``headers`` (the authentication header lives
    here), ``sender`` (fills ``{sender}``), ``id_path`` and ``status_path``
    (dotted paths in the JSON answer), ``success_values`` and
    ``permanent_values`` and ``down_values`` (the platform's status codes
    for "this text never will" and "no text will now"), ``rate`` (texts a
    second, 0: no limit), ``timeout`` (seconds, to connect and to read),
    ``concurrency`` (requests in flight at once), ``session`` (a
    requests.Session to use instead of the transport's own), ``verify``
    (check the platform's TLS certificate against the system's authorities,
    or against the CA file at this path: an operator's own platform often
    has a certificate of its own authority).

    Raises ValueError on a configuration that cannot send anything."""

    def __init__(
        self,
        url,
        method="POST",
        content_type=JSON,
        body_template="",
        headers=None,
        sender="",
        id_path="",
        status_path="",
        success_values=("0", "OK", "success"),
        permanent_values=(),
        down_values=(),
        rate=0,
        timeout=10,
        concurrency=1,
        session=None,
        verify=True,
    ):
        method = (method or "POST").upper()
        if method not in METHODS:
            raise ValueError(f"method {method!r}: not one of {', '.join(METHODS)}")
        if method == "GET" and content_type != FORM:
            raise ValueError("a GET sends its values as a form (the query string)")
        problems = template_problems(body_template, content_type)
        if problems:
            raise HttpTemplateError(problems)
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the URL must be http:// or https:// and name a host")
        if float(rate or 0) < 0 or float(timeout or 0) <= 0 or int(concurrency) < 1:
            raise ValueError("rate, timeout and concurrency must be positive")
        for name, value in (headers or {}).items():
            try:
                f"{name}{value}".encode("latin-1")
            except UnicodeEncodeError:
                raise ValueError(
                    f"header {name}: only Latin-1 characters can go in a header"
                ) from None
            if any(char in f"{name}{value}" for char in "\r\n\0"):
                raise ValueError(f"header {name}: a line break cannot go in a header")
        self.url = url
        self.method = method
        self.content_type = content_type
        self.body_template = body_template
        self.headers = {"Content-Type": MIME_TYPES[content_type]}
        self.headers.update({str(k): str(v) for k, v in (headers or {}).items()})
        self.sender = sender or ""
        self.id_path = id_path or ""
        self.status_path = status_path or ""
        self.success_values = {as_text(value) for value in success_values}
        self.permanent_values = {as_text(value) for value in permanent_values}
        self.down_values = {as_text(value) for value in down_values}
        self.rate = float(rate or 0)
        self.timeout = float(timeout)
        self.concurrency = int(concurrency)
        self.verify = verify
        self._secrets = _secrets(headers, url, body_template, content_type)
        self._where = f"{parts.scheme}://{parts.hostname}" + (
            f":{parts.port}" if parts.port else ""
        )
        self._own_session = session is None
        if session is None:
            session = requests.Session()
            # no retry by urllib3: a POST retried after a dropped answer
            # could send a text twice
            adapter = HTTPAdapter(
                max_retries=0,
                pool_connections=1,
                pool_maxsize=max(self.concurrency, 1),
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self.session = session
        self._lock = threading.Lock()
        # one pace for every call, in bursts of a twentieth of a second's
        # worth (as the SMPP transport): the gateway makes a transport per
        # batch, and a second's worth at each would pass the limit between
        # two batches
        self._bucket = TokenBucket(self.rate, burst=max(1.0, self.rate / 20))

    # -- the caller's side ------------------------------------------------

    def send(self, outgoing):
        """Sends each Outgoing, one request each, at most ``rate`` a
        second (over this call and the ones before). Returns a SendResult
        with one Accepted or Refused per text; raises GatewayDown (with the
        answers had so far in ``done``) on an outage."""
        bucket = self._bucket
        outgoing = list(outgoing)
        if self.concurrency == 1 or len(outgoing) < 2:
            answers = []
            for item in outgoing:
                bucket.take()
                try:
                    answers.append(self._send_one(item))
                except _Down as down:
                    raise GatewayDown(str(down), done=answers) from None
            return SendResult(answers=answers)
        return self._send_concurrently(outgoing, bucket)

    def _send_concurrently(self, outgoing, bucket):
        stop = threading.Event()
        downs = []

        def one(item):
            if stop.is_set():
                return None
            with self._lock:
                bucket.take()
            if stop.is_set():
                return None
            try:
                return self._send_one(item)
            except _Down as down:
                stop.set()
                downs.append(str(down))
                return None

        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            results = list(pool.map(one, outgoing))
        answers = [answer for answer in results if answer is not None]
        if downs:
            raise GatewayDown(downs[0], done=answers)
        return SendResult(answers=answers)

    @staticmethod
    def receipts(payload, **paths):
        """The delivery reports of a callback as gateways.base.Receipt;
        ``paths`` as sla_core.sms_http.parse_http_receipts takes them."""
        return [
            Receipt(message_id, state, reason)
            for message_id, state, reason in parse_http_receipts(payload, **paths)
        ]

    def close(self):
        if self._own_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- one text ---------------------------------------------------------

    def _hide(self, text):
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _send_one(self, item):
        values = {
            "number": item.number,
            "text": item.text,
            "sender": self.sender,
            "ref": item.key,
        }
        try:
            body = fill_template(self.body_template, self.content_type, values)
            payload = body.encode("utf-8")
        except (HttpTemplateError, UnicodeEncodeError) as error:
            return Refused(item.key, self._hide(f"cannot build the request: {error}"))
        url, data = self.url, payload
        if self.method == "GET":
            url = f"{url}{'&' if '?' in url else '?'}{body}"
            data = None
        try:
            response = self.session.request(
                self.method,
                url,
                data=data,
                headers=self.headers,
                timeout=self.timeout,
                allow_redirects=False,
                verify=self.verify,
            )
        except requests.Timeout:
            raise _Down(f"{self._where}: no answer within {self.timeout:g} s") from None
        except requests.ConnectionError as error:
            raise _Down(f"{self._where}: {_connection_words(error)}") from None
        except requests.RequestException as error:
            chain = _chain(error)
            raise _Down(
                self._hide(
                    f"{self._where}: request failed ({type(chain[-1]).__name__})"
                )
            ) from None
        return self._answer(item, response)

    def _answer(self, item, response):
        code = response.status_code
        text = _decode(response).strip()
        words = self._hide(f"HTTP {code}: {text[:QUOTED]}")
        if 300 <= code < 400:
            location = urlsplit(response.headers.get("Location", ""))
            where = (
                f"{location.scheme}://{location.hostname}" if location.hostname else "?"
            )
            raise _Down(self._hide(f"HTTP {code}: the platform redirects to {where}"))
        if code in DOWN_STATUSES or code >= 500:
            raise _Down(words)
        try:
            document = json.loads(text) if text else None
        except ValueError:
            document = None
        is_json = isinstance(document, (dict, list))
        status = as_text(read_path(document, self.status_path)) if is_json else text
        if status in self.down_values:
            raise _Down(words)
        if status in self.permanent_values or 400 <= code < 500:
            return Refused(item.key, words, permanent=True)
        if not 200 <= code < 300:
            return Refused(item.key, words, permanent=False)
        if is_json and self.status_path and status not in self.success_values:
            return Refused(item.key, words, permanent=False)
        message_id = ""
        if is_json and self.id_path:
            message_id = as_text(read_path(document, self.id_path))
        return Accepted(
            item.key,
            (message_id or item.key,),
            segments=plan_text(item.text).segments,
            detail=words,
        )
