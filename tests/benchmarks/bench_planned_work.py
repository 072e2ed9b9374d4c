#!/usr/bin/env python3
"""Performance benchmark of planned work, i.e. cutovers (README.md beside this
file).

On a fresh database with field_service_sla: 600 customers with one or two
contact persons each (an e-mail and a mobile), 2,000 service lines of theirs
that cutovers take and 1,000 more that none does.

1. **Notify**: ``fs.planned.work.action_notify()`` as a dispatcher (the
   planner) for a cutover of 200 lines of 60 customers, then of 2,000 lines
   of 600 customers (after an unmeasured one of 10 lines): wall time, SQL
   queries (and which statements grow with the lines), notices, mail.mail
   and sms.sms rows queued. Target: at most 5 s for 2,000 lines, queries
   flat in the number of lines but for the ORM's INSERTs of 100 rows.
2. **Ticket creation with 100 announced windows against none**: 100
   notified cutovers of 20 lines each, their windows holding the present;
   "none" is the same database with them set back to draft by SQL (the link
   query then finds nothing). Rounds alternate both states (the order
   alternating too); the figure is the median of the per-round time ratios.
   Cases: one ticket per create() and commit, chatter on, as the superuser
   and as a dispatcher; in bulk (no chatter) in batches of 1,000; and with
   one ticket in ten on a line inside a window (those get a pause and leave
   the figures: real work, reported beside the others).

Prints a table, writes benchmark-results/bench_planned_work.json, drops its
database unless --keep.

    python3 tests/benchmarks/bench_planned_work.py --config my.conf [--keep]
    python3 tests/benchmarks/bench_planned_work.py --tickets 300 --bulk 2000  # quick
"""

import argparse
import os
import re
import statistics
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench_sla import Probe
from benchlib import finish, install, table

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_planned_work.json"
DB = os.environ.get("BENCH_DB", "benchfw_planned")
TARGETS = {"notify_s": 5.0, "create_ratio": 1.05}
CUSTOMERS, CUT_LINES, FREE_LINES = 600, 2_000, 1_000
SIZES = ((10, 3), (200, 60), (CUT_LINES, CUSTOMERS))  # (lines, customers)
WINDOWS, WINDOW_LINES = 100, 20
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


# ----------------------------------------------------------------------------
# the fixture
# ----------------------------------------------------------------------------
def fill(env):
    """Customers, their contacts, their lines and the planner: ids."""
    env = env(context=dict(env.context, **QUIET))
    customers = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {c:03d}",
                "is_company": True,
                "customer_segment": "enterprise",
            }
            for c in range(CUSTOMERS)
        ]
    )
    contacts, n = [], 0
    for c, customer in enumerate(customers):
        for k in range(1 + c % 2):  # one or two contact persons
            contacts.append(
                {
                    "name": f"Contact {c:03d}-{k}",
                    "parent_id": customer.id,
                    "type": "contact",
                    "email": f"noc{c}.{k}@customer{c}.example.com",
                    "phone": f"1380000{n:04d}",
                }
            )
            n += 1
    env["res.partner"].create(contacts)
    internet = env.ref("field_service_sla.service_type_internet_line").id
    level = env.ref("field_service_sla.level_aa").id
    # the cutovers' lines in blocks: the first 200 belong to the first 60
    # customers; the free lines spread over all of them
    owners = [n * CUSTOMERS // CUT_LINES for n in range(CUT_LINES)]
    owners += [n % CUSTOMERS for n in range(FREE_LINES)]
    lines = env["fs.service.line"].create(
        [
            {
                "circuit_ref": f"BPW-{n:05d}",
                "partner_id": customers[c].id,
                "service_type_id": internet,
                "assurance_level_id": level,
            }
            for n, c in enumerate(owners)
        ]
    )
    planner = env["res.users"].create(
        {
            "name": "Bench planner",
            "login": "bench_planner",
            "email": "planner@example.com",
            "tz": "Asia/Shanghai",
            "group_ids": [
                Command.set([env.ref("field_service_sla.group_fs_dispatcher").id])
            ],
        }
    )
    env.cr.execute("ANALYZE")
    return {
        "cut_lines": lines[:CUT_LINES].ids,
        "free_lines": lines[CUT_LINES:].ids,
        "planner": planner.id,
    }


def new_work(env, name, line_ids, start):
    """A draft cutover of ``line_ids``, a four-hour window from ``start``."""
    return (
        env["fs.planned.work"]
        .with_context(**QUIET)
        .create(
            {
                "name": name,
                "reason": "Core router software upgrade",
                "date_start": start,
                "date_end": start + timedelta(hours=4),
                "line_ids": [Command.create({"service_line_id": n}) for n in line_ids],
            }
        )
    )


# ----------------------------------------------------------------------------
# 1. notify
# ----------------------------------------------------------------------------
def shape(query):
    """A statement's kind, its literals dropped: which statements grow."""
    head = re.sub(r"\s+", " ", str(query)).strip()
    head = re.sub(r"\d+|'[^']*'", "?", head)
    return head[:90]


def bench_notify(registry, fx):
    results, now = {}, fields.Datetime.now()
    for n, (lines, customers) in enumerate(SIZES):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            work = new_work(
                env,
                f"Cutover of {lines} lines",
                fx["cut_lines"][:lines],
                now + timedelta(days=10 + 2 * n),
            )
            cr.execute("SELECT max(id) FROM mail_mail")
            mail_since = cr.fetchone()[0] or 0
            cr.execute("SELECT max(id) FROM sms_sms")
            sms_since = cr.fetchone()[0] or 0
            cr.commit()
            env = env(user=fx["planner"])
            work = work.with_env(env)
            with Probe(cr, keep=True) as probe:
                work.action_notify()
                env.flush_all()
            started = time.perf_counter()
            cr.commit()
            commit_s = time.perf_counter() - started
            cr.execute("SELECT count(*) FROM mail_mail WHERE id > %s", [mail_since])
            mails = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM sms_sms WHERE id > %s", [sms_since])
            sms = cr.fetchone()[0]
            notices = len(work.sudo().notice_ids)
            # out of the way of part 2: not an announced window any more
            cr.execute("UPDATE fs_planned_work SET state = 'cancelled' WHERE id = %s",
                       [work.id])  # fmt: skip
        results[str(lines)] = {
            "lines": lines,
            "customers": customers,
            "state": "notified",
            "wall_s": probe.wall_s,
            "cpu_s": probe.cpu_s,
            "sql_s": probe.sql_s,
            "queries": probe.queries,
            "commit_s": commit_s,
            "notices": notices,
            "mail_mail": mails,
            "sms_sms": sms,
            "statements": Counter(shape(q) for q, _p, _d in probe.statements),
        }
    return results


# ----------------------------------------------------------------------------
# 2. ticket creation, 100 windows against none
# ----------------------------------------------------------------------------
def make_windows(registry, fx):
    """WINDOWS notified cutovers of WINDOW_LINES lines each, their windows
    then moved (by SQL) to hold the present: ids."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = fields.Datetime.now() + timedelta(days=20)
        works = env["fs.planned.work"]
        for w in range(WINDOWS):
            line_ids = fx["cut_lines"][w * WINDOW_LINES : (w + 1) * WINDOW_LINES]
            works |= new_work(env, f"Window {w}", line_ids, start)
        works.action_notify()
        cr.execute(
            """UPDATE fs_planned_work
                  SET date_start = now() AT TIME ZONE 'UTC' - interval '1 hour',
                      date_end = now() AT TIME ZONE 'UTC' + interval '10 hours'
                WHERE id = ANY(%s)""",
            [works.ids],
        )
        cr.execute("ANALYZE")
        return works.ids


def set_windows(cr, ids, on):
    """The windows announced (``on``) or back to draft: committed."""
    cr.execute(
        "UPDATE fs_planned_work SET state = %s WHERE id = ANY(%s)",
        ["notified" if on else "draft", ids],
    )
    cr.commit()


CASES = [
    # (name, as the planner, context, tickets per create, size key, inside)
    ("superuser, one at a time", False, {}, 1, "tickets", 0),
    ("dispatcher, one at a time", True, {}, 1, "tickets", 0),
    ("bulk, batches of 1,000", False, QUIET, 1_000, "bulk", 0),
    ("bulk, 1 in 10 in a window", False, QUIET, 1_000, "bulk", 10),
    ("dispatcher, 1 in 10 in a window", True, {}, 1, "tickets", 10),
]


def ticket_vals(fx, first, count, inside):
    """Tickets ``first`` .. ``first + count - 1``: on the free lines, or
    one in ``inside`` on a windowed line."""
    window_lines = fx["cut_lines"][: WINDOWS * WINDOW_LINES]
    vals = []
    for n in range(first, first + count):
        if inside and n % inside == 0:
            line = window_lines[(n // inside) % len(window_lines)]
        else:
            line = fx["free_lines"][n % FREE_LINES]
        vals.append(
            {
                "name": f"Line down {n}",
                "description": "<p>Alarm: link down on the access side.</p>",
                "service_line_id": line,
                "priority": "1",
            }
        )
    return vals


def create_round(registry, fx, windows, on, case, first, count):
    """``count`` tickets in creates of ``per`` and a commit each: timings."""
    _name, as_planner, context, per, _size, inside = case
    wall = cpu = sql = 0.0
    queries, ids = 0, []
    with registry.cursor() as cr:
        set_windows(cr, windows, on)
        uid = fx["planner"] if as_planner else SUPERUSER_ID
        env = api.Environment(cr, uid, context)
        for start in range(first, first + count, per):
            vals = ticket_vals(fx, start, min(per, first + count - start), inside)
            with Probe(cr) as probe:
                ids += env["helpdesk.ticket"].create(vals).ids
                cr.commit()
            wall, cpu, sql = wall + probe.wall_s, cpu + probe.cpu_s, sql + probe.sql_s
            queries += probe.queries
            env.invalidate_all()
        cr.execute(
            "SELECT count(planned_work_id) FROM helpdesk_ticket WHERE id = ANY(%s)",
            [ids],
        )
        linked = cr.fetchone()[0]
    return {"wall_s": wall, "cpu_s": cpu, "sql_s": sql, "queries": queries,
            "tickets": count, "linked": linked}  # fmt: skip


def bench_create(registry, fx, windows, sizes):
    results, first = {}, 0
    for case in CASES:
        name, _planner, _context, per, size, inside = case
        total = sizes[size]
        per_round = max(per, total // 10)
        # warm-up, both states
        for on in (True, False):
            create_round(registry, fx, windows, on, case, first, min(per_round, 50))
        first += 100
        rounds = {True: [], False: []}
        for r, start in enumerate(range(0, total, per_round)):
            count = min(per_round, total - start)
            for on in (r % 2 == 0, r % 2 == 1):
                rounds[on].append(
                    create_round(registry, fx, windows, on, case, first, count)
                )
            first += count
        ratios = [
            a["wall_s"] / b["wall_s"]
            for a, b in zip(rounds[True], rounds[False], strict=True)
        ]
        figures = {"inside": inside, "per_create": per, "rounds": len(ratios)}
        for on, label in ((True, "windows"), (False, "none")):
            rs = rounds[on]
            tickets = sum(r["tickets"] for r in rs)
            figures[label] = {
                key: sum(r[key] for r in rs)
                for key in ("wall_s", "cpu_s", "sql_s", "queries", "linked")
            }
            figures[label].update(
                tickets=tickets,
                ms_per_ticket=1000 * figures[label]["wall_s"] / tickets,
                queries_per_ticket=figures[label]["queries"] / tickets,
            )
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios
        figures.update(
            median_ratio=statistics.median(ratios),
            iqr=(quartiles[0], quartiles[-1]),
            ratios=[round(x, 3) for x in ratios],
            total_ratio=figures["windows"]["wall_s"] / figures["none"]["wall_s"],
            cpu_ratio=figures["windows"]["cpu_s"] / figures["none"]["cpu_s"],
        )
        results[name] = figures
    return results


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------
def verdict(ok):
    return "OK" if ok else "MISSED"


def report(results):
    notify = results["notify"]
    small, big = (notify[str(lines)] for lines, _c in SIZES[1:])
    print(f"\nload average at the start {results['load_start']}, at the end "
          f"{os.getloadavg()[0]:.2f}\n")  # fmt: skip
    rows = [("lines / customers", "notify wall", "CPU", "SQL", "queries", "commit",
             "notices", "mail.mail", "sms.sms")]  # fmt: skip
    for r in (small, big):
        rows.append(
            (f"{r['lines']:,} / {r['customers']}", f"{r['wall_s']:.2f} s",
             f"{r['cpu_s']:.2f} s", f"{r['sql_s']:.2f} s", r["queries"],
             f"{r['commit_s']:.2f} s", r["notices"], r["mail_mail"], r["sms_sms"])
        )  # fmt: skip
    table(rows)
    grown = {
        k: (small["statements"].get(k, 0), n)
        for k, n in big["statements"].items()
        if n != small["statements"].get(k, 0)
    }
    print("statements whose count grows (200 -> 2,000 lines):")
    for k, (a, b) in sorted(grown.items(), key=lambda kv: kv[1][0] - kv[1][1]):
        print(f"  {a:>4} -> {b:>4}  {k}")
    # flat: only the ORM's INSERT/UPDATE statements of 100 rows grow, and
    # its reads by 1,000 records (prefetch) of the lines
    writes = sum(
        b - a for k, (a, b) in grown.items() if k.startswith(("INSERT", "UPDATE"))
    )
    reads = sum(b - a for k, (a, b) in grown.items()) - writes
    big["grown"] = {"writes": writes, "reads": reads}
    ok = big["wall_s"] <= TARGETS["notify_s"]
    flat = reads <= 2 * CUT_LINES // 1000
    print(
        f"notify 2,000 lines <= {TARGETS['notify_s']} s: {verdict(ok)}; queries "
        f"{small['queries']} -> {big['queries']}: +{writes} INSERT/UPDATE batches "
        f"of 100 rows, +{reads} reads (<= {2 * CUT_LINES // 1000}: prefetch of "
        f"1,000 records): {verdict(flat)}\n"
    )
    rows = [("case", "tickets/side", "ms/ticket none", "ms/ticket 100 windows",
             "median ratio (IQR)", "total", "CPU", "queries/ticket none / windows",
             "linked")]  # fmt: skip
    for name, f in results["create"].items():
        none, win = f["none"], f["windows"]
        ok = f["median_ratio"] <= TARGETS["create_ratio"]
        rows.append(
            (name, none["tickets"], f"{none['ms_per_ticket']:.2f}",
             f"{win['ms_per_ticket']:.2f}",
             f"{f['median_ratio']:.3f}x ({f['iqr'][0]:.2f}-{f['iqr'][1]:.2f})"
             + ("" if f["inside"] else f" {verdict(ok)}"),
             f"{f['total_ratio']:.3f}x", f"{f['cpu_ratio']:.3f}x",
             f"{none['queries_per_ticket']:.2f} / {win['queries_per_ticket']:.2f}",
             f"{win['linked']} / {none['linked']}")
        )  # fmt: skip
    table(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
        help="Odoo config file reaching the PostgreSQL (default: $ODOO_RC)",
    )
    parser.add_argument(
        "--tickets", type=int, default=1_000, help="tickets per state, one at a time"
    )
    parser.add_argument(
        "--bulk", type=int, default=5_000, help="tickets per state in bulk"
    )
    parser.add_argument("--notify-only", action="store_true", help="skip part 2")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    install(args.config, DB)
    results = {"args": vars(args), "load_start": round(os.getloadavg()[0], 2)}
    registry = Registry(DB)
    with registry.cursor() as cr:
        fx = fill(api.Environment(cr, SUPERUSER_ID, {}))
    results["notify"] = bench_notify(registry, fx)
    results["create"] = {}
    if not args.notify_only:
        windows = make_windows(registry, fx)
        sizes = {"tickets": args.tickets, "bulk": args.bulk}
        results["create"] = bench_create(registry, fx, windows, sizes)
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
