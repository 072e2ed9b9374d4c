"""data/send-alarms: a bad URL or login is one clear line and exit 2, and a
fibre cut is sent as raises in three requests, then clears, with the source's
key. Runs the script against a small fake Odoo (stdlib HTTP server): no
database, no network."""

import json
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "data" / "send-alarms"
PORTS = [f"0/1/{p}:{o}" for p in (1, 2) for o in range(1, 9)]  # 16 lines


class FakeOdoo(BaseHTTPRequestHandler):
    password = "admin"
    posts = None  # [(path, headers, body)]

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.posts.append((self.path, dict(self.headers), body))
        if self.path == "/fs/api/alarms":
            items = body["alarms"]
            outcome = "clear" if items[0].get("state") == "cleared" else "new"
            return self._answer(
                200,
                {
                    "accepted": len(items),
                    "alarms": len(items),
                    "tickets": len(items),
                    "outcomes": [
                        {"alarm_id": i["alarm_id"], "outcome": outcome} for i in items
                    ],
                },
            )
        params = body["params"]
        service, method, args = params["service"], params["method"], params["args"]
        result = None
        if (service, method) == ("common", "version"):
            result = {"server_version": "19.0"}
        elif (service, method) == ("db", "list"):
            result = ["fs_demo"]
        elif (service, method) == ("common", "authenticate"):
            result = 2 if args[1:3] == ["admin", self.password] else False
        elif service == "object":
            model, method = args[3], args[4]
            result = {
                ("fs.alarm.source", "search_read"): [{"id": 7, "name": "NMS"}],
                ("fs.alarm.source", "action_new_api_key"): {"res_id": 3},
                ("fs.alarm.source.key", "read"): [{"id": 3, "key": "k" * 40}],
                ("fs.network.mapping", "search_read"): [
                    {
                        "port": port,
                        "service_line_id": [n, f"WZ-FTTH-{n}"],
                        "upstream_id": [9, "WZ-BS-FIBRE-012"],
                    }
                    for n, port in enumerate(PORTS, start=1)
                ],
            }[(model, method)]
        return self._answer(200, {"jsonrpc": "2.0", "id": 1, "result": result})


@pytest.fixture
def odoo():
    FakeOdoo.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOdoo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line_exit_2(proc, words):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("send-alarms: ") and words in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1:8069", "127.0.0.1:8069", "http://", "http://h:port"]
)
def test_a_bad_url_is_one_line_and_exit_2(url):
    one_line_exit_2(run(url), "URL" if url != "http://h:port" else "port")


def test_nobody_answering_is_one_line_and_exit_2():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    one_line_exit_2(run(f"http://127.0.0.1:{port}"), "no Odoo answers")


def test_a_bad_login_is_one_line_and_exit_2(odoo):
    one_line_exit_2(run(odoo, "--password", "wrong"), "refused")


def test_a_negative_wait_is_refused():
    proc = run("--wait", "-1")
    assert proc.returncode == 2 and "--wait" in proc.stderr


def test_a_fibre_cut_then_its_clears_with_the_sources_key(odoo):
    proc = run(odoo, "--wait", "0")
    assert proc.returncode == 0, proc.stderr
    posts = [p for p in FakeOdoo.posts if p[0] == "/fs/api/alarms"]
    raises = [i for _p, _h, b in posts for i in b["alarms"] if "raised_at" in i]
    clears = [i for _p, _h, b in posts for i in b["alarms"] if "cleared_at" in i]
    # one raise per line and one for the cable, in three requests, then clears
    assert len(posts) == 5
    assert len(raises) == len(PORTS) + 1 == len(clears)
    assert [len(b["alarms"]) for _p, _h, b in posts[:3]] == [6, 6, 5]
    assert {i["port"] for i in raises if "port" in i} == set(PORTS)
    assert {i["alarm_id"] for i in raises} == {i["alarm_id"] for i in clears}
    assert all(h["Authorization"] == "Bearer " + "k" * 40 for _p, h, _b in posts)
    assert "200" in proc.stdout and "clear" in proc.stdout
