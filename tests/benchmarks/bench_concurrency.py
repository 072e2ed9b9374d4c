#!/usr/bin/env python3
"""Concurrency benchmark: users and both sweeps on one server at once.

Copies a database that has field_service_sla with demo data (``--from``) to
``--db``, sets PostgreSQL's ``log_lock_waits`` on that copy, starts a real
Odoo server on it (threaded, ``--workers=0``, no cron threads, loopback only,
on ``--port``, by default the config file's http_port), and for ``--seconds``
(default 60) runs over JSON-RPC:

- two ticket creators (dispatchers): each creates faults on random service
  lines, reported 0 to 6 hours ago (so that clocks breach and ladders fire
  while they work), assigned to the worker's team and the worker;
- one worker (a technician of that team): on the newest tickets assigned to
  him, in turn: customer contacted, on site, a work-log note, pause and
  resume of the SLA clocks, service restored;
- the two sweeps in loops, as the scheduler runs them (``ir.cron``
  ``method_direct_trigger`` as the administrator): the SLA breach sweep and
  the escalation sweep.

Counts, from the server's log: the concurrency failures (``could not
serialize``, deadlocks, lock timeouts) with the statement and table each
hit, and Odoo's retries; from PostgreSQL's log, the lock waits longer than
``deadlock_timeout`` (set to 100 ms on the copy) with the relation they
waited on; from the clients: calls made and calls that failed for good.
Counts matter, not timings (the machine is shared). Prints a summary and
writes benchmark-results/bench_concurrency.json. Drops the copy unless
``--keep``.

    python3 tests/benchmarks/bench_concurrency.py --config my.conf --from mydb
"""

import argparse
import collections
import configparser
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_concurrency.json"
PASSWORD = "bench-concurrency"
CONCURRENCY = re.compile(
    r"could not serialize|concurrent update|deadlock detected|"
    r"could not obtain lock|SerializationFailure|SERIALIZATION_FAILURE|"
    r"DEADLOCK_DETECTED|LOCK_NOT_AVAILABLE"
)
RETRY = re.compile(r"(SERIALIZATION_FAILURE|DEADLOCK_DETECTED|LOCK_NOT_AVAILABLE)"
                   r", (\d+) tries left|maximum number of tries reached")  # fmt: skip
BAD_QUERY = re.compile(r"bad query: (.*)")
TABLE = re.compile(
    r'^\s*(?:WITH .*?\)\s*)?(UPDATE|INSERT INTO|DELETE FROM|SELECT .*? FROM)\s+"?(\w+)"?',
    re.DOTALL | re.IGNORECASE,
)
# the ORM's UPDATE ... FROM (VALUES (id, ...)), or a WHERE on one id
ROW_ID = re.compile(r"FROM \(VALUES \((\d+),|\bid\s*=\s*(\d+)|id IN \((\d+)")
LOCK_WAIT = re.compile(r"still waiting for (\w+) on (.*?) after")
RELATION = re.compile(r'(?:tuple \((\d+),(\d+)\) in )?relation "(\w+)"')


# ----------------------------------------------------------------------------
# database and server
# ----------------------------------------------------------------------------
def pg_connect(options, dbname="postgres"):
    conn = psycopg2.connect(
        dbname=dbname,
        host=options.get("db_host") or None,
        port=options.get("db_port") or None,
        user=options.get("db_user") or None,
        password=options.get("db_password") or None,
    )
    conn.autocommit = True
    return conn


def copy_database(options, source, target):
    conn = pg_connect(options)
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        # lock waits longer than deadlock_timeout go to PostgreSQL's log,
        # with the relation and tuple waited on
        cr.execute(f'ALTER DATABASE "{target}" SET log_lock_waits = on')
        cr.execute(f"ALTER DATABASE \"{target}\" SET deadlock_timeout = '100ms'")
        cr.execute("SELECT current_setting('data_directory')")
    conn.close()


def drop_database(options, target):
    conn = pg_connect(options)
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (target,),
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
    conn.close()


def start_server(config, db, port, log_path):
    cmd = [
        sys.executable, "-m", "odoo", "server", "-c", config, "-d", db,
        f"--db-filter=^{db}$", "--workers=0", "--max-cron-threads=0",
        "--http-interface=127.0.0.1", f"--http-port={port}",
        f"--logfile={log_path}", "--log-level=info",
    ]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=REPO, start_new_session=True)
    url = f"http://127.0.0.1:{port}/web/webclient/version_info"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped (see {log_path})")
        try:
            request = urllib.request.Request(
                url, data=b'{"jsonrpc":"2.0","params":{}}',
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            urllib.request.urlopen(request, timeout=5).read()
            return server
        except OSError:
            time.sleep(1)
    stop_server(server)
    sys.exit("the server did not answer within 3 minutes")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# ----------------------------------------------------------------------------
# JSON-RPC clients
# ----------------------------------------------------------------------------
class RpcError(Exception):
    pass


class Client:
    def __init__(self, port, db, login, password):
        self.url = f"http://127.0.0.1:{port}/jsonrpc"
        self.db, self.password = db, password
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError(f"{login} cannot log in")
        self.calls = self.failures = 0
        self.errors = collections.Counter()

    def call(self, service, method, *args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": args},
                "id": random.randint(0, 10**9),
            }
        ).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.load(response)
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise RpcError(data.get("name", "") + ": " + str(data.get("message")))
        return answer.get("result")

    def x(self, model, method, *args, **kwargs):
        self.calls += 1
        try:
            return self.call(
                "object", "execute_kw", self.db, self.uid, self.password,
                model, method, list(args), kwargs,
            )  # fmt: skip
        except RpcError as error:
            self.failures += 1
            self.errors[str(error)[:160]] += 1
            return None


def set_up(admin, seed):
    """Bench users (idempotent), the team they work in, the lines to report
    faults on."""
    ref = lambda xmlid: admin.x("ir.model.data", "check_object_reference",
                                *xmlid.split("."))[1]  # fmt: skip
    team_ids = admin.x("helpdesk.ticket.team", "search", [], limit=1)
    users = {}
    for login, group in (
        ("bench_creator_1", "field_service_sla.group_fs_dispatcher"),
        ("bench_creator_2", "field_service_sla.group_fs_dispatcher"),
        ("bench_worker", "field_service_sla.group_fs_technician"),
    ):
        found = admin.x("res.users", "search", [("login", "=", login)])
        if found:
            users[login] = found[0]
            continue
        users[login] = admin.x(
            "res.users",
            "create",
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": PASSWORD,
                "group_ids": [(6, 0, [ref(group)])],
            },
        )
    admin.x(
        "helpdesk.ticket.team",
        "write",
        team_ids,
        {"user_ids": [(4, uid) for uid in users.values()]},
    )
    lines = admin.x("fs.service.line", "search", [], limit=200)
    reasons = admin.x(
        "fs.sla.pause.reason",
        "search",
        [("manual", "=", True), ("stops_all_clocks", "=", False)],
    )
    crons = [
        ref("field_service_sla.ir_cron_mark_breaches"),
        ref("field_service_sla.ir_cron_escalate"),
    ]
    random.seed(seed)
    return team_ids[0], users, lines, reasons, crons


def creator(client, stop, team_id, worker_id, lines, created):
    n = 0
    while not stop.is_set():
        n += 1
        reported = datetime.now(UTC) - timedelta(minutes=random.randint(0, 360))
        ticket_id = client.x(
            "helpdesk.ticket",
            "create",
            {
                "name": f"Bench fault {client.uid}-{n}",
                "description": "Line down (concurrency benchmark)",
                "service_line_id": random.choice(lines),
                "team_id": team_id,
                "user_id": worker_id,
                "reported_date": reported.strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        if ticket_id:
            created.append(ticket_id)


def worker(client, stop, created, reasons):
    steps = ("contacted", "on_site", "note", "pause", "resume", "restored")
    turn = 0
    while not stop.is_set():
        if not created:
            time.sleep(0.2)
            continue
        ticket = random.choice(created[-20:])
        step = steps[turn % len(steps)]
        turn += 1
        if step == "contacted":
            client.x("helpdesk.ticket", "action_sla_contacted", [ticket])
        elif step == "on_site":
            client.x("helpdesk.ticket", "action_sla_on_site", [ticket])
        elif step == "note":
            client.x("helpdesk.ticket", "message_post", [ticket],
                     body="Work log: fibre spliced at the cabinet",
                     message_type="comment", subtype_xmlid="mail.mt_note")  # fmt: skip
        elif step == "pause" and reasons:
            wizard = client.x(
                "fs.sla.pause.wizard",
                "create",
                {"reason_id": random.choice(reasons)},
                context={"active_ids": [ticket], "active_model": "helpdesk.ticket"},
            )
            if wizard:
                client.x(
                    "fs.sla.pause.wizard",
                    "action_pause",
                    [wizard],
                    context={"active_ids": [ticket], "active_model": "helpdesk.ticket"},
                )
        elif step == "resume":
            client.x("helpdesk.ticket", "action_sla_resume", [ticket])
        elif step == "restored":
            client.x("helpdesk.ticket", "action_sla_restored", [ticket])


def sweeper(client, stop, cron_id, runs):
    while not stop.is_set():
        if client.x("ir.cron", "method_direct_trigger", [cron_id]) is not None:
            runs[cron_id] += 1
        time.sleep(0.5)


# ----------------------------------------------------------------------------
# logs
# ----------------------------------------------------------------------------
def read_server_log(path):
    failures, retries, statements = 0, 0, []
    tables, rows = collections.Counter(), collections.Counter()
    text = Path(path).read_text(errors="replace")
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ )", text)
    for entry in entries:
        if RETRY.search(entry):
            retries += 1
            continue
        match = BAD_QUERY.search(entry)
        if match and CONCURRENCY.search(entry):
            failures += 1
            statement = entry[match.start(1) :].removeprefix("b'").removeprefix('b"')
            statement = statement.replace("\\n", " ")
            table = TABLE.search(statement)
            name = table.group(2) if table else "?"
            tables[name] += 1
            row = ROW_ID.search(statement)
            rows[f"{name}:{next(g for g in row.groups() if g)}" if row else name] += 1
            statements.append(" ".join(statement.split())[:300])
    return failures, retries, tables, rows, statements


def read_pg_log(path, start, db_pids=None):
    waits = collections.Counter()
    try:
        with open(path, "rb") as log:
            log.seek(start)
            text = log.read().decode(errors="replace")
    except OSError:
        return waits, 0
    count = 0
    blocks = text.split("\n")
    for n, line in enumerate(blocks):
        match = LOCK_WAIT.search(line)
        if not match:
            continue
        count += 1
        context = " ".join(blocks[n + 1 : n + 4])
        relation = RELATION.search(match.group(2) + " " + context)
        what = relation.group(3) if relation else match.group(2)
        waits[f"{match.group(1)} / {what}"] += 1
    return waits, count


def pg_log_path(options):
    conn = pg_connect(options)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_current_logfile()")
        logfile = cr.fetchone()[0]
        cr.execute("SELECT current_setting('data_directory')")
        data = cr.fetchone()[0]
    conn.close()
    if logfile:
        return logfile if logfile.startswith("/") else os.path.join(data, logfile)
    return os.environ.get("PG_LOG") or str(Path(data).parent / "pg.log")


# ----------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=os.environ.get("ODOO_RC"))
    parser.add_argument("--from", dest="source", required=True,
                        help="a database with field_service_sla and demo data")  # fmt: skip
    parser.add_argument("--db", default="bench_concurrency")
    parser.add_argument("--port", type=int)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--admin", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="run")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.config:
        sys.exit("--config (or ODOO_RC) is needed")
    parser_ = configparser.ConfigParser()
    parser_.read(args.config)
    options = dict(parser_["options"])
    port = args.port or int(options.get("http_port", 8069))
    seconds = max(5, min(args.seconds, 600))

    copy_database(options, args.source, args.db)
    pg_log = pg_log_path(options)
    pg_start = os.path.getsize(pg_log) if os.path.exists(pg_log) else 0
    log_path = REPO / "benchmark-results" / f"bench_concurrency_{args.label}.log"
    log_path.parent.mkdir(exist_ok=True)
    if log_path.exists():
        log_path.unlink()
    server = start_server(args.config, args.db, port, log_path)
    try:
        admin = Client(port, args.db, args.admin, args.admin_password)
        team_id, users, lines, reasons, crons = set_up(admin, args.seed)
        creators = [
            Client(port, args.db, login, PASSWORD)
            for login in ("bench_creator_1", "bench_creator_2")
        ]
        tech = Client(port, args.db, "bench_worker", PASSWORD)
        cron_clients = [Client(port, args.db, args.admin, args.admin_password)
                        for _cron in crons]  # fmt: skip
        stop, created, runs = threading.Event(), [], collections.Counter()
        threads = [
            threading.Thread(target=creator, args=(c, stop, team_id,
                             users["bench_worker"], lines, created))
            for c in creators
        ] + [threading.Thread(target=worker, args=(tech, stop, created, reasons))] + [
            threading.Thread(target=sweeper, args=(c, stop, cron, runs))
            for c, cron in zip(cron_clients, crons, strict=True)
        ]  # fmt: skip
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(600)
        elapsed = time.monotonic() - start
    finally:
        stop_server(server)
    failures, retries, tables, rows, statements = read_server_log(log_path)
    waits, wait_count = read_pg_log(pg_log, pg_start)
    clients = {
        "creators": [(c.calls, c.failures) for c in creators],
        "worker": (tech.calls, tech.failures),
        "sweeps": [(c.calls, c.failures) for c in cron_clients],
    }
    result = {
        "label": args.label,
        "seconds": round(elapsed),
        "tickets_created": len(created),
        "sweep_runs": {str(k): v for k, v in runs.items()},
        "clients_calls_failures": clients,
        "client_errors": dict(
            sum(
                (c.errors for c in [*creators, tech, *cron_clients]),
                collections.Counter(),
            ).most_common(10)
        ),  # fmt: skip
        "concurrency_failures": failures,
        "retries": retries,
        "failures_by_table": dict(tables.most_common()),
        "failures_by_row": dict(rows.most_common(15)),
        "lock_waits": wait_count,
        "lock_waits_by_relation": dict(waits.most_common(15)),
        "statements": statements[:40],
    }
    print(json.dumps({k: v for k, v in result.items() if k != "statements"},
                     indent=2, ensure_ascii=False))  # fmt: skip
    for statement in statements[:15]:
        print("  ", statement)
    RESULTS.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[args.label] = result
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False))
    if not args.keep:
        drop_database(options, args.db)


if __name__ == "__main__":
    main()
