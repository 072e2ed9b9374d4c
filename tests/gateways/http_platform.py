"""A small enterprise SMS platform for the tests: an HTTP server on a local
port that answers the way the Chinese platforms' APIs do.

``POST /sms/send`` (JSON or form body) or ``GET /sms/send?...`` takes
``mobile``, ``content``, ``sign`` and ``uid``. It checks the
``Authorization: Bearer TOKEN`` header (401, echoing what it got, as some
platforms do), answers ``{"code": "0", "data": {"msgid": "m000001"}}``, or
``{"code": "1001", "msg": "号码无效"}`` for a number that is not one. Modes,
set on the server (``platform.mode = ...``): "ok", "fail" (HTTP 500), "busy"
(HTTP 429), "echo" (HTTP 400 quoting the request), "drop" (close the
connection without an answer), "slow" (answer after ``slow_seconds``),
"plain" (answer ``OK`` as plain text), "broke" (HTTP 200, code 1003:
the balance is empty), "gbk" (answers in GB 18030 without a charset).
``/moved`` redirects to ``/sms/send``.

Every text it takes is kept in ``platform.received`` and, when ``log`` is
given, appended to that file as a JSON line, flushed before the answer. Run
as a program (``python http_platform.py PORT TOKEN LOG [DIE_AFTER]``) it
prints ``ready`` once it listens, and with DIE_AFTER exits at once after its
DIE_AFTER-th answer: a platform killed in the middle of a storm.
"""

import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NUMBER = re.compile(r"^\+?\d{6,15}$")
BAD_NUMBER = "1001"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client's pool reuses it
    disable_nagle_algorithm = True  # headers and body, written apart, go now

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def log_message(self, *args):
        pass

    def _reply(self, code, document=None, text=None, headers=()):
        # "gbk": GB 18030 and no charset, as some platforms answer
        charset = "gb18030" if self.server.mode == "gbk" else "utf-8"
        body = (
            text if text is not None else json.dumps(document, ensure_ascii=False)
        ).encode(charset)
        self.send_response(code)
        ctype = "text/plain" if text is not None else "application/json"
        if charset == "utf-8":
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _fields(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self.raw = raw.decode("utf-8", "replace")
        if self.command == "GET":
            form = parse_qs(url.query, keep_blank_values=True)
        elif self.headers.get("Content-Type", "").startswith("application/json"):
            return url.path, json.loads(raw.decode("utf-8"))
        else:
            form = parse_qs(raw.decode("ascii"), keep_blank_values=True)
        return url.path, {key: values[0] for key, values in form.items()}

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _handle(self):
        server = self.server
        path, fields = self._fields()
        server.requests += 1
        if path == "/moved":
            self._reply(302, {}, headers=[("Location", "/sms/send")])
            return
        auth = self.headers.get("Authorization", "")
        if auth != f"Bearer {server.token}":
            self._reply(401, {"code": "401", "msg": f"invalid token: {auth}"})
            return
        mode = server.mode
        if server.drop_after and server.counter >= server.drop_after:
            mode = "drop"
        if mode == "echo":  # a platform that quotes the whole bad request
            echo = f"{self.command} {self.path} {auth} {self.raw}"
            self._reply(400, {"code": "400", "msg": f"bad request: {echo}"})
            return
        if mode == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if mode == "fail":
            self._reply(500, text="Internal Server Error")
            return
        if mode == "broke":
            self._reply(200, {"code": "1003", "msg": "余额不足"})
            return
        if mode == "busy":
            self._reply(429, {"code": "429", "msg": "too many requests"})
            return
        if mode == "slow":
            time.sleep(server.slow_seconds)
        mobile = fields.get("mobile", "")
        if not NUMBER.match(mobile):
            self._reply(200, {"code": BAD_NUMBER, "msg": f"号码无效：{mobile}"})
            return
        with server.lock:
            server.counter += 1
            msgid = f"m{server.counter:06d}"
            record = {
                "msgid": msgid,
                "mobile": mobile,
                "content": fields.get("content", ""),
                "sign": fields.get("sign", ""),
                "uid": fields.get("uid", ""),
                "at": time.monotonic(),
            }
            server.received.append(record)
            if server.log:
                with open(server.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(record, ensure_ascii=False) + "\n")
                    log.flush()
                    os.fsync(log.fileno())
        if mode == "plain":
            self._reply(200, text="OK")
        else:
            self._reply(200, {"code": "0", "msg": "success", "data": {"msgid": msgid}})
        if server.die_after and server.counter >= server.die_after:
            os._exit(0)


class Platform(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0, token="secret-token", log=None, die_after=0):
        super().__init__(("127.0.0.1", port), Handler)
        self.token = token
        self.log = log
        self.die_after = die_after
        self.drop_after = 0  # "drop" once it has taken this many texts
        self.mode = "ok"
        self.slow_seconds = 2.0
        self.lock = threading.Lock()
        self.received = []
        self.requests = 0
        self.connections = 0
        self.counter = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


if __name__ == "__main__":
    port, token, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    die_after = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    platform = Platform(port, token, log, die_after)
    print("ready", flush=True)
    platform.serve_forever()
