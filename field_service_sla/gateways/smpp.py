"""SMS through the operator's SMS centre over SMPP 3.4, free of Odoo.

The PDUs, the concatenation headers and the GSM table are smpplib's (LGPL);
this module decides what to send and reads what comes back:

- ``send`` binds once per call, sends every part of every text as a
  ``submit_sm`` asking for a delivery receipt, at most ``rate`` a second and
  at most ``window`` unanswered at a time, and answers per text ``Accepted``
  (every part got ESME_ROK: one message id per part) or ``Refused``;
  receipts that come in meanwhile (transceiver bind) are read too;
- ``collect_receipts`` binds as receiver (or transceiver) and reads the
  receipts the SMSC held.

A throttled part (ESME_RTHROTTLED, ESME_RMSGQFUL) slows the whole call down
and goes again; throttled for more than ``timeout`` seconds, its text is
Refused (not permanent). Any other error status refuses its text for good.

When the SMSC cannot be reached, refuses the bind or drops the connection,
``send`` raises ``GatewayDown`` whose ``done`` holds the answers of the texts
it had finished: Accepted only when every part was acknowledged. A text of
which some parts were acknowledged and others not is not in ``done``: it is
sent again whole later, so the SMSC may then hold a partial duplicate of it
(the receipts still match, per part, by message id). A part whose
``submit_sm_resp`` was lost with the connection is sent again too: SMPP has
no idempotency key, so at most ``window`` parts in flight at the moment of a
crash may reach the SMSC twice. Nothing acknowledged is ever sent again.

smpplib logs every PDU in hex at DEBUG, the bind with its password: its
client logs under ``WIRE_LOGGER``, held at INFO and above whatever the
configuration says, so no PDU is ever logged.
"""

import logging
import select
import ssl
import time

from smpplib import client as smpp_client
from smpplib import consts, exceptions, smpp

from ..sla_core.sms_receipts import NotAReceipt, parse_smpp_receipt
from ..sla_core.sms_segments import plan_text
from .base import GatewayDown, Receipt, Refused, SendResult
from .smpp_batch import Batch, Text, status_words

_logger = logging.getLogger(__name__)

WIRE_LOGGER = "odoo.addons.field_service_sla.gateways.smpp.wire"

#: SMPP 3.4 (5.2.1, 5.2.2, 5.2.3, 5.2.8) lengths, the terminating NUL aside
LIMITS = {"system_id": 15, "password": 8, "system_type": 12, "source_addr": 20}

#: esm_class bits 2-5 of a deliver_sm that is an SMSC delivery receipt
RECEIPT_TYPE_MASK, SMSC_DELIVERY_RECEIPT = 0x3C, 0x04


class _NoPdus(logging.Filter):
    """Drops every record below INFO: smpplib writes the PDUs at DEBUG."""

    def filter(self, record):
        return record.levelno >= logging.INFO


def wire_logger():
    """The logger smpplib's client writes to, deaf below INFO even when a
    ``--log-handler`` sets it to DEBUG (the filter stays)."""
    logger = logging.getLogger(WIRE_LOGGER)
    logger.setLevel(logging.INFO)
    if not any(isinstance(f, _NoPdus) for f in logger.filters):
        logger.addFilter(_NoPdus())
    return logger


def _hang_up(client):
    """Close the socket, bound or not (smpplib warns on a bound one)."""
    client.state = consts.SMPP_CLIENT_STATE_OPEN
    client.disconnect()


def _cause(exc):
    """The socket's own words behind smpplib's ConnectionError."""
    cause = exc.__cause__ or exc.__context__
    return str(cause or exc) or type(exc).__name__


class _HostContext:
    """smpplib wraps the socket without a server name: give it one, so the
    certificate's name is checked against the host."""

    def __init__(self, context, host):
        self.context, self.host = context, host

    def wrap_socket(self, sock):
        return self.context.wrap_socket(sock, server_hostname=self.host)


class _Session:
    """One bind: the connection, and what was answered on it."""

    def __init__(self, transport, client):
        self.transport, self.client = transport, client
        self.receipts = []
        self.unbound = False

    def readable(self, timeout):
        sock = self.client._socket
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        return bool(select.select([sock], [], [], max(0.0, timeout))[0])

    def pump(self, timeout, on_response=None):
        """Read and act on the PDUs that come within ``timeout`` seconds
        (then on those already there); True when one came."""
        if not self.readable(timeout):
            return False
        while True:
            self.dispatch(self.client.read_pdu(), on_response)
            if not self.readable(0):
                return True

    def dispatch(self, pdu, on_response):
        command = pdu.command
        if command in ("submit_sm_resp", "generic_nack"):
            if on_response:
                on_response(pdu)
        elif command == "deliver_sm":
            self.receipt(pdu)
            self.reply(pdu, "deliver_sm_resp")
        elif command == "enquire_link":
            self.reply(pdu, "enquire_link_resp")
        elif command == "unbind":
            self.reply(pdu, "unbind_resp")
            raise exceptions.ConnectionError("the SMSC unbound")
        elif command == "unbind_resp":
            self.unbound = True

    def reply(self, pdu, command):
        response = smpp.make_pdu(command, client=self.client)
        response.sequence = pdu.sequence
        self.client.send_pdu(response)

    def receipt(self, pdu):
        esm_class = pdu.esm_class or 0
        tlv_id = pdu.receipted_message_id
        if (esm_class & RECEIPT_TYPE_MASK) != SMSC_DELIVERY_RECEIPT and not tlv_id:
            return  # a message from a phone: not ours to read
        try:
            parsed = parse_smpp_receipt(
                pdu.short_message or b"", tlv_id, pdu.message_state
            )
        except NotAReceipt as exc:
            _logger.warning("SMPP: a delivery receipt without %s, ignored", exc)
            return
        self.receipts.append(Receipt(parsed.message_id, parsed.state, parsed.reason))

    def close(self):
        """Unbind (reading what still comes, receipts included), then
        disconnect; a connection that breaks meanwhile is only closed."""
        try:
            unbind = smpp.make_pdu("unbind", client=self.client)
            self.client.send_pdu(unbind)
            deadline = self.transport.clock() + min(self.transport.timeout, 5)
            while not self.unbound and self.transport.clock() < deadline:
                self.pump(deadline - self.transport.clock())
        except (exceptions.ConnectionError, exceptions.PDUError, OSError):
            pass
        _hang_up(self.client)


class SmppTransport:
    """SMS to an SMSC over SMPP 3.4 (see the module's docstring).

    ``bind``: "transceiver" (submits and receipts on one connection) or
    "transmitter" (receipts then come on a receiver bind, through
    ``collect_receipts``). ``source_ton``/``source_npi``: 5/0 for an
    alphanumeric sender, 1/1 for an international number. ``rate``:
    submit_sm a second (0: no limit), in bursts of a twentieth of a second's
    worth. ``timeout``: seconds to connect, to wait for answers, and how
    long a part may stay throttled. ``clock``/``sleep`` pace the sending.
    """

    def __init__(
        self,
        host,
        port,
        system_id,
        password,
        system_type="",
        source_addr="",
        source_ton=5,
        source_npi=0,
        bind="transceiver",
        tls=False,
        tls_verify=True,
        cafile=None,
        rate=0,
        timeout=10,
        window=10,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        if bind not in ("transceiver", "transmitter"):
            raise ValueError(f"bind must be transceiver or transmitter, not {bind!r}")
        settings = {
            "system_id": system_id,
            "password": password,
            "system_type": system_type or "",
            "source_addr": source_addr or "",
        }
        for name, value in settings.items():
            if not value.isascii():
                raise ValueError(f"SMPP {name} must be ASCII")
            if len(value) > LIMITS[name]:
                raise ValueError(
                    f"SMPP {name} is at most {LIMITS[name]} characters long"
                )
        if window < 1:
            raise ValueError("the window is at least 1")
        self.host, self.port = host, int(port)
        self.system_id, self._password = system_id, password
        self.system_type, self.source_addr = system_type or "", source_addr or ""
        self.source_ton, self.source_npi = source_ton, source_npi
        self.bind = bind
        self.tls, self.tls_verify, self.cafile = tls, tls_verify, cafile
        self.rate, self.timeout, self.window = rate or 0, timeout, window
        self.clock, self.sleep = clock, sleep

    def __repr__(self):  # never the password
        return f"<SmppTransport {self.system_id}@{self.host}:{self.port}>"

    # -- connection ---------------------------------------------------------
    def _ssl_context(self):
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=self.cafile)
        if not self.tls_verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return _HostContext(context, self.host)

    def _open(self, mode):
        """A bound ``_Session``; GatewayDown when the SMSC cannot be reached
        or refuses the bind (the reason never holds the password)."""
        client = smpp_client.Client(
            self.host,
            self.port,
            timeout=self.timeout,
            logger_name=wire_logger().name,
            ssl_context=self._ssl_context(),
            allow_unknown_opt_params=True,
        )
        where = f"{self.host}:{self.port}"
        try:
            client.connect()
        except exceptions.ConnectionError as exc:
            _hang_up(client)
            raise GatewayDown(f"cannot connect to {where}: {_cause(exc)}") from None
        try:
            getattr(client, f"bind_{mode}")(
                system_id=self.system_id,
                password=self._password,
                system_type=self.system_type,
            )
        except exceptions.PDUError as exc:
            _hang_up(client)
            status = exc.args[1] if len(exc.args) > 1 else consts.SMPP_ESME_RBINDFAIL
            raise GatewayDown(
                f"{where} refused the bind_{mode} of {self.system_id}: "
                f"{status_words(status)}"
            ) from None
        except (exceptions.ConnectionError, OSError) as exc:
            _hang_up(client)
            raise GatewayDown(
                f"{where} did not answer the bind_{mode}: {_cause(exc)}"
            ) from None
        return _Session(self, client)

    # -- sending ------------------------------------------------------------
    def send(self, outgoing):
        """Send every ``Outgoing``: a ``SendResult`` with one answer per
        text, in their order, and the receipts read meanwhile; GatewayDown
        (with the answers so far) when the SMSC fails the call."""
        texts, answers = [], {}
        for index, out in enumerate(outgoing):
            plan = plan_text(out.text)
            number = (out.number or "").strip()
            if not number.lstrip("+").isdigit() or len(number.lstrip("+")) > 20:
                answers[index] = Refused(out.key, f"not a phone number: {number!r}")
            elif not plan.safe:
                answers[index] = Refused(
                    out.key, "the text cannot be cut into SMS parts cleanly"
                )
            else:
                texts.append(Text(index, out, plan))
        if not texts:
            return SendResult([answers[i] for i in sorted(answers)])
        try:
            session = self._open(self.bind)
        except GatewayDown as down:
            down.done = [answers[i] for i in sorted(answers)]
            raise
        batch = Batch(self, session, texts, answers)
        try:
            batch.run()
        except (exceptions.ConnectionError, exceptions.PDUError, OSError) as exc:
            batch.salvage()
            _hang_up(session.client)
            raise GatewayDown(
                f"{self.host}:{self.port} dropped the connection: {_cause(exc)}",
                done=batch.finished(),
                receipts=session.receipts,
            ) from None
        if batch.inflight:
            session.close()
            raise GatewayDown(
                f"{self.host}:{self.port} left {len(batch.inflight)} submit_sm "
                f"unanswered for {self.timeout} s",
                done=batch.finished(),
                receipts=session.receipts,
            )
        session.close()
        return SendResult(batch.finished(), session.receipts)

    def collect_receipts(self, seconds):
        """The receipts the SMSC holds: bound as receiver (transmitter
        gateways) or transceiver, read for at most ``seconds``, or until
        nothing came for a second; each is answered deliver_sm_resp."""
        mode = "receiver" if self.bind == "transmitter" else "transceiver"
        session = self._open(mode)
        end = self.clock() + seconds
        idle = self.clock()
        try:
            while self.clock() < end and self.clock() - idle < 1.0:
                if session.pump(min(0.2, max(0.0, end - self.clock()))):
                    idle = self.clock()
        except (exceptions.ConnectionError, exceptions.PDUError, OSError) as exc:
            _hang_up(session.client)
            raise GatewayDown(
                f"{self.host}:{self.port} dropped the connection: {_cause(exc)}",
                receipts=session.receipts,
            ) from None
        session.close()
        return session.receipts
