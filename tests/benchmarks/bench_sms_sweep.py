#!/usr/bin/env python3
"""The escalation sweep with the SMS gateway up, down and hung, side by side
(README.md beside this file).

The sweep only queues its bulletins; a cron thread sends them. So a slow or
dead SMSC must not change the sweep's time. Measured for real: on a fresh
database with field_service_sla (no demo), bench_escalation.py's fixture
(open tickets, a ladder whose step schedules an activity, posts a note,
queues e-mails and a start bulletin) with the bulletin's list grown to 40
numbers, and an SMPP gateway in use; a real Odoo server on the database whose
one cron thread runs the SMS queue and the receipts (every other cron
archived) while this process sweeps. Each round sweeps ``--due`` tickets
due at once three times, the gateway pointed at:

- **up**: the local SMSC simulator (tests/smsc/smsc.py) at 400 submit_sm/s,
  sending the round's digests while the sweep runs;
- **down**: a closed port (connection refused: every batch deferred);
- **hung**: a port that accepts the connection and never answers (each
  sending batch waits for the transport's 10 s timeout).

Prints the sweep's wall time per mode (median of the rounds) and the ratios
to "up", writes benchmark-results/bench_sms_sweep.json, drops its database.

    python3 tests/benchmarks/bench_sms_sweep.py --config my.conf [--due 10000]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ["BENCH_DB"] = os.environ.get("SWEEP_BENCH_DB", "benchfw_sweep")

import bench_escalation as esc  # its DB from BENCH_DB
from benchlib import finish, install

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_sms_sweep.json"
DB = esc.DB
MODES = ("up", "down", "hung")
NUMBERS = 40
RATE = 400
TARGET_RATIO = 1.10
KEEP_CRONS = (
    "sms.ir_cron_sms_scheduler_action",
    "field_service_sla.ir_cron_sms_receipts",
)


class Hung:
    """A TCP port that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env, fx, smsc):
    """The bulletin's list at NUMBERS numbers, the gateway in use, every cron
    but the SMS queue and the receipts archived (the sweep runs here)."""
    from odoo.addons.field_service_sla.tests.sms_common import smpp_gateway

    env["fs.sms.list"].browse(fx["list"]).number_ids = [Command.clear()] + [
        Command.create({"number": f"+86139{n:04d}5678"}) for n in range(NUMBERS)
    ]
    gateway = smpp_gateway(env, smsc.port, RATE, name="Bench SMSC")
    keep = [env.ref(xmlid).id for xmlid in KEEP_CRONS]
    env["ir.cron"].search([("id", "not in", keep)]).active = False
    env.cr.commit()
    return gateway


def server(conf):
    """A real Odoo server on the database: one cron thread, no HTTP."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-c",
            conf,
            f"--addons-path={REPO}",
            "-d",
            DB,
            f"--db-filter=^{DB}$",
            "--workers=0",
            "--max-cron-threads=1",
            "--no-http",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def point(env, gateway, port):
    """The gateway at ``port`` (the password given again: a gateway pointed
    elsewhere forgets it); what earlier modes left in the queue cancelled."""
    from odoo.addons.field_service_sla.tests.sms_common import PASSWORD

    env.cr.execute(
        "UPDATE sms_sms SET state = 'canceled' WHERE state IN ('outgoing', 'fs_retry')"
    )
    gateway.write({"smpp_port": port, "smpp_password": PASSWORD})
    env.cr.commit()


def settle(cr, since, seconds=30):
    """The states of the SMS queued since ``since`` once the server's cron
    has dealt with them (none outgoing), at most ``seconds`` later."""
    started = time.perf_counter()
    while True:
        cr.execute(
            "SELECT state, count(*) FROM sms_sms WHERE id > %s GROUP BY state",
            [since],
        )
        states = dict(cr.fetchall())
        cr.commit()
        if not states.get("outgoing") or time.perf_counter() - started > seconds:
            return states, time.perf_counter() - started
        time.sleep(0.5)


def sweep(env, gateway, mode, port, due, batch, seed):
    point(env, gateway, port)
    cr = env.cr
    cr.execute("SELECT coalesce(max(id), 0) FROM sms_sms")
    since = cr.fetchone()[0]
    result = esc.bench_due(env, due, batch, seed)
    result["mode"] = mode
    result["sms_after"], result["settle_s"] = settle(cr, since)
    return result


def report(results):
    rounds = results["rounds"]
    wall = {
        m: statistics.median(r["wall_s"] for r in rounds if r["mode"] == m)
        for m in MODES
    }
    results["median_wall_s"] = wall
    results["ratio_to_up"] = {m: wall[m] / wall["up"] for m in MODES}
    print(
        f"\nThe escalation sweep of {results['args']['due']:,} tickets due at "
        f"once (batches of {rounds[0]['batch_size']}), {NUMBERS} numbers per "
        f"bulletin; a real Odoo server's cron thread sending meanwhile\n"
    )
    print(f"{'mode':6}{'sweep (median)':>16}{'vs up':>8}   rounds   SMS after")
    for mode in MODES:
        mine = [r for r in rounds if r["mode"] == mode]
        states = mine[-1]["sms_after"]
        print(
            f"{mode:6}{wall[mode]:>14.2f} s{results['ratio_to_up'][mode]:>7.2f}x   "
            f"{', '.join(format(r['wall_s'], '.2f') for r in mine)}   {states}"
        )
    worst = max(results["ratio_to_up"].values())
    ok = worst <= TARGET_RATIO
    print(f"\nworst ratio {worst:.2f}x, target <= {TARGET_RATIO}x: {esc.verdict(ok)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--open-tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    needed = args.due * args.rounds * len(MODES) + esc.TEMPLATE_TICKETS
    if args.open_tickets < needed:
        parser.error(f"--open-tickets must be at least {needed:,}")
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    from odoo.addons.field_service_sla.tests.sms_common import Smsc

    install(args.config, DB)
    results = {"args": vars(args), "rounds": []}
    smsc = Smsc(rate=RATE, receipt_delay=0.2).start()
    hung = Hung()
    odoo = None
    try:
        with Registry(DB).cursor() as cr:
            env = esc.environment(cr)
            fx = esc.fixture(env)
            cr.commit()
            results["fill"] = esc.fill(env, fx, args.open_tickets)
            esc.busy_ladder(env, fx)
            gateway = prepare(env, fx, smsc)
            odoo = server(args.config)
            time.sleep(5)  # the server's registry loaded
            ports = {"up": smsc.port, "down": closed_port(), "hung": hung.port}
            seed = 0.1
            for _round in range(args.rounds):
                for mode in MODES:
                    results["rounds"].append(
                        sweep(
                            env, gateway, mode, ports[mode], args.due, args.batch, seed
                        )
                    )
                    seed += 0.05
    finally:
        if odoo:
            odoo.terminate()
            odoo.wait(30)
        smsc.kill()
        hung.close()
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
