#!/usr/bin/env python3
"""A small SMSC for the tests: an SMPP 3.4 server on a local port, built on
smpplib's PDU classes (``smpp.parse_pdu``/``smpp.make_pdu``), never on
hand-made PDUs.

    python tests/smsc/smsc.py --port 0 --system-id X --password Y --rate N
        --state FILE [--tls-cert C --tls-key K] [--receipt-delay S]
        [--receipt-resend S] [--crash-after N] [--host 127.0.0.1]

prints ``LISTENING <port>`` on stdout once it listens. One thread per session.

- bind_transmitter/receiver/transceiver: a wrong system id or password is
  answered ESME_RBINDFAIL;
- submit_sm: ESME_ROK with a fresh id (a uuid: unique across restarts); more
  than ``--rate`` a second (a token bucket, bursts of a tenth of a second's
  worth) ESME_RTHROTTLED; a number ending in 0000 ESME_RINVDSTADR; a number
  ending in 4444 is accepted and its receipt says ``stat:UNDELIV err:001``;
- every accepted submit_sm is appended to ``FILE.submits.jsonl`` (flushed and
  fsynced) BEFORE its submit_sm_resp leaves: message id, number, data_coding,
  esm_class, the concatenation reference/total/sequence when the UDH says
  one, and the text of the part; ``read_submits(FILE)`` reads it back;
- receipts: a deliver_sm (esm_class 0x04, appendix B text, the
  ``receipted_message_id`` and ``message_state`` TLVs) per accepted part,
  ``--receipt-delay`` seconds after it, to a session bound as receiver or
  transceiver (held until one binds), sent again when its deliver_sm_resp has
  not come within ``--receipt-resend`` seconds (3): at least once, as a
  real SMSC does. A
  receipt is pending until its deliver_sm_resp, whose id is appended to FILE;
  the pending ones are the submits FILE does not list, so a receipt outlives
  a kill -9 and a restart on the same FILE;
- enquire_link is answered; unbind is answered, and the session closed when
  the client hangs up;
- ``--crash-after N``: the process kills itself (SIGKILL) when a submit_sm
  comes after N accepted ones, before recording it: a crash at a known point.
"""

import argparse
import datetime
import json
import os
import signal
import socket
import ssl
import struct
import threading
import time
import uuid

from smpplib import consts, exceptions, smpp
from smpplib.client import SimpleSequenceGenerator
from smpplib.gsm import GSM_CHARACTER_TABLE

#: receipts sent and not yet answered, per session
RECEIPT_WINDOW = 50
#: esm_class of an SMSC delivery receipt (SMPP 3.4, 5.2.12: xx0001xx)
SMSC_DELIVERY_RECEIPT = 0x04


def submits_path(state):
    return f"{state}.submits.jsonl"


def _read_jsonl(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                rows.append(json.loads(line))
            except ValueError:  # a line cut by a kill: never answered
                continue
    return rows


def read_submits(state):
    """Every accepted submit_sm, in the order accepted."""
    return _read_jsonl(submits_path(state))


def gsm_decode(data):
    """smpplib's GSM table read backwards (one septet per octet, unpacked)."""
    chars, escape = [], False
    for byte in data:
        if escape:
            chars.append(GSM_CHARACTER_TABLE[byte + 0x80])
            escape = False
        elif byte == 0x1B:
            escape = True
        else:
            chars.append(GSM_CHARACTER_TABLE[byte])
    return "".join(chars)


def split_udh(short_message, esm_class):
    """(reference, total, sequence) of a concatenated part, and its text."""
    if not esm_class & consts.SMPP_GSMFEAT_UDHI or not short_message:
        return None, short_message
    length = short_message[0]
    udh, body = short_message[1 : 1 + length], short_message[1 + length :]
    position, concat = 0, None
    while position + 2 <= len(udh):
        iei, iel = udh[position], udh[position + 1]
        value = udh[position + 2 : position + 2 + iel]
        if iei == 0x00 and iel == 3:
            concat = (value[0], value[1], value[2])
        elif iei == 0x08 and iel == 4:
            concat = (struct.unpack(">H", value[:2])[0], value[2], value[3])
        position += 2 + iel
    return concat, body


def decode(body, data_coding):
    if data_coding == consts.SMPP_ENCODING_ISO10646:
        return body.decode("utf-16-be", errors="replace")
    if data_coding == consts.SMPP_ENCODING_DEFAULT:
        return gsm_decode(body)
    return body.decode("latin-1")


class Bucket:
    """At most ``rate`` a second, bursts of a tenth of a second's worth."""

    def __init__(self, rate):
        self.rate = float(rate)
        self.burst = max(1.0, self.rate / 10)
        self.tokens, self.stamp = self.burst, time.monotonic()

    def take(self):
        if self.rate <= 0:
            return True
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Peer:
    """What smpplib's PDU classes call the client: a session's counter."""

    def __init__(self):
        self.generator = SimpleSequenceGenerator()

    @property
    def sequence(self):
        return self.generator.sequence

    def next_sequence(self):
        return self.generator.next_sequence()


class Session:
    def __init__(self, sock, server):
        self.sock, self.server = sock, server
        self.peer = Peer()
        self.mode = None  # the bind command
        self.wlock = threading.Lock()
        self.inflight = {}  # deliver_sm sequence -> message id
        self.closed = False

    @property
    def receives(self):
        return self.mode in ("bind_receiver", "bind_transceiver")

    def send(self, pdu):
        data = pdu.generate()
        with self.wlock:
            self.sock.sendall(data)

    def answer(self, request, command, status=consts.SMPP_ESME_ROK, **fields):
        response = smpp.make_pdu(command, client=self.peer, status=status, **fields)
        response.sequence = request.sequence
        self.send(response)

    def read(self):
        """The next PDU; a command smpplib does not know is answered
        generic_nack ESME_RINVCMDID (None)."""
        head = self._exact(4)
        (length,) = struct.unpack(">L", head)
        raw = head + self._exact(length - 4)
        try:
            return smpp.parse_pdu(raw, client=self.peer, allow_unknown_opt_params=True)
        except exceptions.UnknownCommandError:
            nack = smpp.make_pdu(
                "generic_nack", client=self.peer, status=consts.SMPP_ESME_RINVCMDID
            )
            nack.sequence = struct.unpack(">L", raw[12:16])[0]
            self.send(nack)
            return None

    def _exact(self, size):
        chunks, got = [], 0
        while got < size:
            chunk = self.sock.recv(size - got)
            if not chunk:
                raise ConnectionError("closed")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)


class Server:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.bucket = Bucket(args.rate)
        self.sessions = []
        self.accepted = 0  # submit_sm accepted by this process
        acked = {row["acked"] for row in _read_jsonl(args.state)}
        # message id -> its submit record, for the receipts not yet answered
        self.pending = {
            row["message_id"]: row
            for row in read_submits(args.state)
            if row["message_id"] not in acked
        }
        self.sent_at = {}  # message id -> (session, when) of its last deliver_sm
        # open for the life of the process: every accepted submit is appended
        self.submits = open(submits_path(args.state), "a", encoding="utf-8")  # noqa: SIM115
        self.acks = open(args.state, "a", encoding="utf-8")  # noqa: SIM115

    # -- sessions ---------------------------------------------------------
    def serve(self, sock):
        if self.args.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.args.tls_cert, self.args.tls_key)
            try:
                sock = context.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                sock.close()
                return
        session = Session(sock, self)
        try:
            while not session.closed:
                request = session.read()
                if request is not None:
                    self.handle(session, request)
        except (ConnectionError, OSError, struct.error):
            pass
        finally:
            session.closed = True
            with self.lock:
                if session in self.sessions:
                    self.sessions.remove(session)
                for message_id in session.inflight.values():
                    self.sent_at.pop(message_id, None)
            sock.close()

    def handle(self, session, request):
        command = request.command
        if command.startswith("bind_") and not command.endswith("_resp"):
            self.bind(session, request)
        elif command == "submit_sm":
            self.submit(session, request)
        elif command == "deliver_sm_resp":
            self.receipt_answered(session, request)
        elif command == "enquire_link":
            session.answer(request, "enquire_link_resp")
        elif command == "unbind":
            # no more receipts to it; read on (deliver_sm_resp of receipts
            # it was sent) until the client hangs up, as it should
            with self.lock:
                session.mode = None
                if session in self.sessions:
                    self.sessions.remove(session)
            session.answer(request, "unbind_resp")
            session.sock.settimeout(5)
        elif not request.is_response():
            session.answer(request, "generic_nack", consts.SMPP_ESME_RINVCMDID)

    def bind(self, session, request):
        if session.mode:
            status = consts.SMPP_ESME_RALYBND
        elif (request.system_id or b"").decode("latin-1") != self.args.system_id or (
            request.password or b""
        ).decode("latin-1") != self.args.password:
            status = consts.SMPP_ESME_RBINDFAIL
        else:
            status = consts.SMPP_ESME_ROK
        resp = request.command + "_resp"
        session.answer(request, resp, status, system_id="SIMSMSC")
        if status == consts.SMPP_ESME_ROK:
            session.mode = request.command
            with self.lock:
                self.sessions.append(session)

    def submit(self, session, request):
        if session.mode not in ("bind_transmitter", "bind_transceiver"):
            session.answer(request, "submit_sm_resp", consts.SMPP_ESME_RINVBNDSTS)
            return
        number = (request.destination_addr or b"").decode("latin-1")
        if number.endswith("0000"):
            session.answer(request, "submit_sm_resp", consts.SMPP_ESME_RINVDSTADR)
            return
        with self.lock:
            if self.args.crash_after and self.accepted >= self.args.crash_after:
                os.kill(os.getpid(), signal.SIGKILL)
            allowed = self.bucket.take()
        if not allowed:
            session.answer(request, "submit_sm_resp", consts.SMPP_ESME_RTHROTTLED)
            return
        esm_class = request.esm_class or 0
        data_coding = request.data_coding or 0
        concat, body = split_udh(request.short_message or b"", esm_class)
        record = {
            "message_id": uuid.uuid4().hex,
            "destination": number,
            "source": (request.source_addr or b"").decode("latin-1"),
            "data_coding": data_coding,
            "esm_class": esm_class,
            "ref": concat[0] if concat else None,
            "total": concat[1] if concat else None,
            "seq": concat[2] if concat else None,
            "text": decode(body, data_coding),
            "t": time.time(),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.lock:
            self.submits.write(line)
            self.submits.flush()
            os.fsync(self.submits.fileno())
            self.accepted += 1
            if request.registered_delivery:
                self.pending[record["message_id"]] = record
            else:  # no receipt asked for
                self._ack(record["message_id"])
        session.answer(request, "submit_sm_resp", message_id=record["message_id"])

    # -- receipts ---------------------------------------------------------
    def _ack(self, message_id):
        self.acks.write(json.dumps({"acked": message_id}) + "\n")
        self.acks.flush()

    def receipt_answered(self, session, response):
        with self.lock:
            message_id = session.inflight.pop(response.sequence, None)
            if message_id is None or message_id not in self.pending:
                return
            if response.status == consts.SMPP_ESME_ROK:
                del self.pending[message_id]
                self.sent_at.pop(message_id, None)
                self._ack(message_id)

    def receipts(self):
        """Forever: send the due receipts to the sessions that receive."""
        turn = 0
        while True:
            time.sleep(0.05)
            batch = []
            with self.lock:
                receivers = [s for s in self.sessions if s.receives and not s.closed]
                now = time.time()
                for message_id, record in self.pending.items():
                    if not receivers:
                        break
                    last = self.sent_at.get(message_id)
                    if last and now - last[1] < self.args.receipt_resend:
                        continue
                    if now < record["t"] + self.args.receipt_delay:
                        continue
                    free = [s for s in receivers if len(s.inflight) < RECEIPT_WINDOW]
                    if not free:
                        break
                    turn += 1
                    session = free[turn % len(free)]
                    pdu = self.receipt_pdu(session, record)
                    session.inflight[pdu.sequence] = message_id
                    self.sent_at[message_id] = (session, now)
                    batch.append((session, pdu))
            for session, pdu in batch:
                try:
                    session.send(pdu)
                except OSError:
                    session.closed = True

    def receipt_pdu(self, session, record):
        failed = record["destination"].endswith("4444")
        stat, err = ("UNDELIV", "001") if failed else ("DELIVRD", "000")
        stamp = datetime.datetime.fromtimestamp(record["t"], datetime.UTC)
        date = stamp.strftime("%y%m%d%H%M")
        done = datetime.datetime.now(datetime.UTC).strftime("%y%m%d%H%M")
        sample = record["text"][:20].encode("ascii", "replace").decode("ascii")
        # written here, not with the core's helper: the simulator is the
        # other side the transport's parser is tested against
        text = (
            f"id:{record['message_id']} sub:001 dlvrd:{'000' if failed else '001'}"
            f" submit date:{date} done date:{done} stat:{stat} err:{err}"
            f" text:{sample}"
        )
        return smpp.make_pdu(
            "deliver_sm",
            client=session.peer,
            source_addr=record["destination"],
            destination_addr=record["source"],
            esm_class=SMSC_DELIVERY_RECEIPT,
            data_coding=consts.SMPP_ENCODING_DEFAULT,
            short_message=text.encode("ascii"),
            receipted_message_id=record["message_id"],
            message_state=(
                consts.SMPP_MESSAGE_STATE_UNDELIVERABLE
                if failed
                else consts.SMPP_MESSAGE_STATE_DELIVERED
            ),
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--system-id", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--rate", type=float, default=0, help="submit_sm a second")
    parser.add_argument("--state", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--receipt-delay", type=float, default=0.2)
    parser.add_argument("--receipt-resend", type=float, default=3.0)
    parser.add_argument("--crash-after", type=int, default=0)
    args = parser.parse_args(argv)
    server = Server(args)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(64)
    threading.Thread(target=server.receipts, daemon=True).start()
    print(f"LISTENING {listener.getsockname()[1]}", flush=True)
    while True:
        sock, _address = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=server.serve, args=(sock,), daemon=True).start()


if __name__ == "__main__":
    main()
