"""Real SMS gateways on local ports for the Odoo tier: the SMSC simulator of
tests/smsc (a process of its own, built on smpplib's PDUs) and a small
enterprise SMS platform over HTTP (a thread)."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase

SMSC = Path(__file__).resolve().parents[2] / "tests" / "smsc" / "smsc.py"
SYSTEM_ID = "fsodoo"
PASSWORD = "S3cr3t!p"


def no_commit(self, *args, **kwargs):
    return float("inf")


class Smsc:
    """The simulator as a process: started on a free port, killed (-9) and
    started again on the same port and state."""

    def __init__(self, rate=0, receipt_delay=0.05):
        self.dir = tempfile.mkdtemp(prefix="fs-smsc-")
        self.state = os.path.join(self.dir, "state")
        self.rate = rate
        self.receipt_delay = receipt_delay
        self.port = 0
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(SMSC),
                "--port",
                str(self.port),
                "--system-id",
                SYSTEM_ID,
                "--password",
                PASSWORD,
                "--rate",
                str(self.rate),
                "--state",
                self.state,
                "--receipt-delay",
                str(self.receipt_delay),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        assert line.startswith("LISTENING"), line
        self.port = int(line.split()[1])
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def submits(self):
        rows = []
        path = f"{self.state}.submits.jsonl"
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        continue
        return rows

    def texts(self, skip=0):
        """The texts the SMSC took (after the first ``skip`` submits), each
        concatenated message reassembled: Counter of (destination, text)."""
        whole, parts = Counter(), {}
        for row in self.submits()[skip:]:
            if row.get("total"):
                key = (row["destination"], row["ref"], row["total"])
                parts.setdefault(key, {})[row["seq"]] = row["text"]
                if len(parts[key]) == row["total"]:
                    chunks = parts.pop(key)
                    whole[
                        (row["destination"], "".join(chunks[i] for i in sorted(chunks)))
                    ] += 1
            else:
                whole[(row["destination"], row["text"])] += 1
        return whole


class PlatformHandler(BaseHTTPRequestHandler):
    """An enterprise SMS platform: Bearer token, JSON in, JSON out."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        if self.headers.get("Authorization") != f"Bearer {server.token}":
            self._answer(401, {"code": "401", "msg": "bad token"})
            return
        data = json.loads(body)
        if data["to"].endswith("0000"):
            self._answer(200, {"code": "E101", "msg": "invalid number"})
            return
        with server.lock:
            server.count += 1
            msgid = f"P{server.count:06d}"
            server.received.append((msgid, data["to"], data["text"]))
        self._answer(200, {"code": "0", "data": {"msgid": msgid}})

    def _answer(self, status, payload):
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@contextmanager
def sms_platform(token="platform-token"):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlatformHandler)
    server.token = token
    server.lock = threading.Lock()
    server.count = 0
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def smpp_gateway(env, port, rate, name="Test SMSC"):
    """An SMPP gateway on the simulator at ``port``, in use for the company
    (the tests' and the benchmarks')."""
    gateway = env["fs.sms.gateway"].create(
        {
            "name": name,
            "protocol": "smpp",
            "smpp_host": "127.0.0.1",
            "smpp_port": port,
            "smpp_system_id": SYSTEM_ID,
            "smpp_password": PASSWORD,
            "smpp_source_addr": "10655",
            "rate": rate,
            "retry_minutes": 60,
        }
    )
    gateway.action_use()
    return gateway


def forget_queued_sms(env):
    """Tests that read the whole SMS queue start from an empty one: what the
    database already queued (the demo's planned-work notices) is dropped in
    the test's transaction, which rolls back."""
    env["sms.sms"].sudo().search([]).unlink()


class SmsGatewayCase(TransactionCase):
    """A company whose SMS leave through an SMPP gateway on the simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        forget_queued_sms(cls.env)
        cls.smsc = Smsc().start()
        cls.addClassCleanup(cls.smsc.stop)
        cls.gateway = smpp_gateway(cls.env, cls.smsc.port, rate=1000)

    def setUp(self):
        super().setUp()
        # the simulator lives for the class: each test reads what it added
        self.seen = len(self.smsc.submits())

    def new_submits(self):
        return self.smsc.submits()[self.seen :]

    def new_texts(self):
        return self.smsc.texts(self.seen)

    def queue(self, count, text="【故障通报】{i}", start=0):
        return self.env["sms.sms"].create(
            [
                {"number": f"+86138{i + start:07d}1", "body": text.format(i=i + start)}
                for i in range(count)
            ]
        )

    def run_queue(self, times=1):
        Sms = self.env["sms.sms"]
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            for _i in range(times):
                Sms._process_queue()

    def collect(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["fs.sms.gateway"]._cron_collect_receipts()

    def wait_receipts(self, sms, seconds=10):
        """Receipts come a moment after the sending: read them until every
        one of ``sms`` is final."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.collect()
            sms.invalidate_recordset(["state"])
            if all(s.state in ("sent", "error") for s in sms.exists()):
                return
            time.sleep(0.2)
