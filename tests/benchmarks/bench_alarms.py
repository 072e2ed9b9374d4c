#!/usr/bin/env python3
"""Alarm storm benchmark: a fibre cut on a real server, over HTTP.

Copies a database that has field_service_sla (``--from``) to ``--db``, adds
``--lines`` service lines (default 3,000) behind ``--elements`` network
elements (default 20: each an OLT under its own cable), an alarm source and
its API key (in an ``odoo shell`` before the server starts), then starts a
real Odoo server (threaded, ``--workers=0``, no cron threads, loopback only)
and, as the source's integration user with its API key (not the superuser):

1. **storm**: ``--alarms`` alarms (default 10,000: 3 to 4 per line, LOS,
   LOF and power, on each line's element and port), raised within one
   minute of alarm time, sent by ``--clients`` concurrent clients (default
   4) in requests of ``--batch`` (default 500). Target: at most 30 s of wall
   time, every alarm matched, a ticket a line with its clocks, an incident
   an element;
2. **redelivery**: the same storm again. Target: at most 10 s, no new row;
3. **digest**: one escalation sweep over the storm's tickets (severe by
   correlation): the SMS it sends, against the tickets it told.

Prints the figures, the queries per request (from the server's log) and the
ingestion rate; writes benchmark-results/bench_alarms.json. Drops the copy
unless ``--keep``.

    python3 tests/benchmarks/bench_alarms.py --config my.conf --from mydb
"""

import argparse
import configparser
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_concurrency import (
    copy_database,
    drop_database,
    pg_connect,
    start_server,
    stop_server,
)

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_alarms.json"
REQUEST_LINE = re.compile(r'"POST /fs/api/alarms HTTP/1.1" (\d+) - (\d+) ')
TYPES = ("LOS", "LOF", "POWER", "LINK")

SET_UP = """
from odoo import Command
env = env(context={"tracking_disable": True, "mail_create_nolog": True})
partner = env["res.partner"].create({
    "name": "Storm Bench Group", "is_company": True,
    "customer_segment": "enterprise",
    "customer_tier_id": env.ref("field_service_sla.tier_gold").id,
})
lines = env["fs.service.line"].create([{
    "circuit_ref": f"STORM-{i:05d}", "partner_id": partner.id,
    "service_type_id": env.ref("field_service_sla.service_type_internet_line").id,
    "assurance_level_id": env.ref("field_service_sla.level_aaa").id,
} for i in range(LINES)])
env.flush_all()
env.cr.execute("UPDATE fs_service_line SET create_date = now() - interval '30 days'"
               " WHERE id = ANY(%s)", [lines.ids])
Element = env["fs.network.element"]
cables = Element.create([{"name": f"STORM-CABLE-{e}", "kind": "cable"}
                         for e in range(ELEMENTS)])
olts = Element.create([{"name": f"STORM-OLT-{e}", "kind": "olt",
                        "upstream_id": cables[e].id} for e in range(ELEMENTS)])
env["fs.network.mapping"].create([{
    "element_id": olts[i % ELEMENTS].id, "port": f"1/{i}",
    "service_line_id": line.id,
} for i, line in enumerate(lines)])
source = env["fs.alarm.source"].create({"name": "Storm NMS", "code": "STORM"})
key = env["res.users.apikeys"].with_user(source.user_id).sudo()._generate(
    "rpc", "bench", None)
env.cr.commit()
print("BENCH-KEY", key)
"""

CHECK = """
env.cr.execute("SELECT count(*), count(*) FILTER (WHERE match_state = 'matched'),"
               " sum(count) FROM fs_alarm a JOIN fs_alarm_source s"
               " ON s.id = a.source_id WHERE s.code = 'STORM'")
alarms, matched, sightings = env.cr.fetchone()
env.cr.execute("SELECT count(*), count(DISTINCT service_line_id),"
               " count(DISTINCT incident_id), count(*) FILTER"
               " (WHERE severity = 'severe') FROM helpdesk_ticket"
               " WHERE fs_alarm_count > 0")
tickets, lines, incidents, severe = env.cr.fetchone()
env.cr.execute("SELECT count(*) FROM fs_sla_clock c JOIN helpdesk_ticket t"
               " ON t.id = c.ticket_id WHERE t.fs_alarm_count > 0")
clocks = env.cr.fetchone()[0]
print("BENCH-CHECK", alarms, matched, sightings, tickets, lines, incidents,
      severe, clocks)
"""

SWEEP = """
import time
from unittest.mock import patch
env.cr.execute("SELECT count(*) FROM sms_sms")
before = env.cr.fetchone()[0]
start = time.monotonic()
with patch.object(type(env["ir.cron"]), "_commit_progress",
                  lambda self, processed=0, **kw: float("inf")):
    env["fs.escalation.engine"]._sweep()
elapsed = time.monotonic() - start
env.cr.execute("SELECT count(*) FROM sms_sms")
sms = env.cr.fetchone()[0] - before
env.cr.execute("SELECT count(DISTINCT ticket_id) FROM fs_escalation_fired f"
               " JOIN helpdesk_ticket t ON t.id = f.ticket_id"
               " WHERE t.fs_alarm_count > 0")
told = env.cr.fetchone()[0]
env.cr.commit()
print("BENCH-SWEEP", round(elapsed, 2), sms, told)
"""


def shell(config, db, script, marker):
    out = subprocess.run(
        [sys.executable, "-m", "odoo", "shell", "-c", config, "-d", db,
         "--no-http", "--log-level=warn"],
        input=script, capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    for line in out.stdout.splitlines():
        if line.startswith(marker):
            return line.split()[1:]
    sys.exit(f"the shell script failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")


def storm(lines, elements, alarms, start):
    """The storm's items: per line, alarms of several types, raised within
    one minute from ``start``, on the line's element and port."""
    items = []
    for n in range(alarms):
        line = n % lines
        kind = TYPES[(n // lines) % len(TYPES)]
        raised = start + timedelta(seconds=60 * n / alarms)
        items.append(
            {
                "alarm_id": f"STORM-{kind}-{line:05d}",
                "raised_at": raised.isoformat() + "Z",
                "element": f"STORM-OLT-{line % elements}",
                "port": f"1/{line}",
                "type": kind,
                "severity": "critical",
                "text": f"{kind} on STORM-OLT-{line % elements} 1/{line}",
            }
        )
    return items


def send_all(port, key, items, batch, clients):
    """Send ``items`` in requests of ``batch`` by ``clients`` threads; return
    the wall time and the statuses."""
    requests = queue.Queue()
    for i in range(0, len(items), batch):
        requests.put(json.dumps({"alarms": items[i : i + batch]}).encode())
    statuses, lock = [], threading.Lock()

    def client():
        while True:
            try:
                body = requests.get_nowait()
            except queue.Empty:
                return
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/fs/api/alarms",
                data=body,
                headers={
                    "Authorization": f"Bearer {key}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=600) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start, statuses


def queries_per_request(log_path, skip):
    counts = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = REQUEST_LINE.search(line)
            if match:
                counts.append(int(match.group(2)))
    return counts[skip:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=os.environ.get("ODOO_RC"))
    parser.add_argument("--from", dest="source", required=True)
    parser.add_argument("--db", default="bench_alarms")
    parser.add_argument("--port", type=int)
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--elements", type=int, default=20)
    parser.add_argument("--alarms", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--label", default="run")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.config:
        sys.exit("--config (or ODOO_RC) is needed")
    config = configparser.ConfigParser()
    config.read(args.config)
    options = dict(config["options"])
    port = args.port or int(options.get("http_port", 8069))

    copy_database(options, args.source, args.db)
    t = time.monotonic()
    script = SET_UP.replace("LINES", str(args.lines)).replace(
        "ELEMENTS", str(args.elements)
    )
    (key,) = shell(args.config, args.db, script, "BENCH-KEY")
    set_up = time.monotonic() - t
    log_path = REPO / "benchmark-results" / f"bench_alarms_{args.label}.log"
    log_path.parent.mkdir(exist_ok=True)
    if log_path.exists():
        log_path.unlink()
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=3)
    items = storm(args.lines, args.elements, args.alarms, start)
    server = start_server(args.config, args.db, port, log_path)
    try:
        storm_wall, storm_status = send_all(port, key, items, args.batch, args.clients)
        requests = len(storm_status)
        again_wall, again_status = send_all(port, key, items, args.batch, args.clients)
    finally:
        stop_server(server)
    counts = queries_per_request(log_path, 0)
    check = [int(v) for v in shell(args.config, args.db, CHECK, "BENCH-CHECK")]
    sweep = shell(args.config, args.db, SWEEP, "BENCH-SWEEP")
    alarms, matched, sightings, tickets, lines, incidents, severe, clocks = check
    result = {
        "label": args.label,
        "set_up_seconds": round(set_up, 1),
        "alarms_sent": len(items),
        "requests": requests,
        "clients": args.clients,
        "storm_seconds": round(storm_wall, 2),
        "storm_alarms_per_second": round(len(items) / storm_wall),
        "storm_statuses": sorted(set(storm_status)),
        "redelivery_seconds": round(again_wall, 2),
        "redelivery_alarms_per_second": round(len(items) / again_wall),
        "redelivery_statuses": sorted(set(again_status)),
        "alarm_rows": alarms,
        "alarms_matched": matched,
        "sightings_counted": sightings,
        "tickets": tickets,
        "lines_with_a_ticket": lines,
        "incidents": incidents,
        "severe_tickets": severe,
        "clocks": clocks,
        "queries_per_storm_request": counts[:requests],
        "queries_per_redelivery_request": counts[requests:],
        "sweep_seconds": float(sweep[0]),
        "sweep_sms": int(sweep[1]),
        "sweep_tickets_told": int(sweep[2]),
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[args.label] = result
    RESULTS.write_text(json.dumps(previous, indent=2))
    if not args.keep:
        drop_database(options, args.db)
    pg_connect(options).close()


if __name__ == "__main__":
    main()
