#!/usr/bin/env python3
"""Performance benchmark of SMS through the operator's own gateway (README.md
beside this file).

On a fresh database with field_service_sla, an SMPP gateway in use on the
local SMSC simulator (tests/smsc/smsc.py, a process of its own), both at the
same throughput limit (``--rate``, default 400 submit_sm a second):

1. **queue**: a storm's 300 digests to 40 numbers each (12,000 SMS, Chinese
   digests of three tickets, two UCS-2 parts each, written by
   ``sla_core.escalation.digest_sms``) queued by the escalation sweep's own
   ``fs.escalation.actions._queue_sms`` with its planned SMS and fired rows;
2. **sending**: the SMS queue's cron method ``sms.sms._process_queue``,
   called in a cursor of its own until nothing is outgoing, each batch
   committed (outside a cron, ``ir.cron._commit_progress`` commits): wall
   time against what the limit allows (parts / rate), the throttled answers
   (ESME_RTHROTTLED) the transport read, every (number, text) reassembled
   from the simulator's submits exactly once;
3. **receipts**: ``fs.sms.gateway._cron_collect_receipts`` until every SMS
   is delivered (those read while sending, on the transceiver bind, count);
4. **memory**: the growth of the process's peak RSS (VmHWM, reset through
   /proc/self/clear_refs) over the sending of 1,200 and of 12,000 SMS;
5. **queries per batch**: a batch of 100 SMS against one of 1,000.

Prints a table, writes benchmark-results/bench_sms.json, drops its database.

    python3 tests/benchmarks/bench_sms.py --config my.conf [--rate 400] [--keep]
"""

import argparse
import logging
import os
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from benchlib import finish, install, table
from sms_sending import (
    bulletin_states,
    collect_receipts,
    last_sms_id,
    send_all,
    send_by_cron,
    uuids_of,
)

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_sms.json"
DB = "benchfw_sms"
TARGETS = {"queue_s": 2.0, "send_over_limit": 0.10, "memory_ratio": 1.5}
DIGESTS, NUMBERS, PER_DIGEST = 300, 40, 3
SMALL_DIGESTS = 30  # 1,200 SMS: the memory comparison
QUERY_BATCHES = (100, 1_000)
TZ = "Asia/Shanghai"
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


# ----------------------------------------------------------------------------
# the fixture
# ----------------------------------------------------------------------------
def fixture(env, smsc, rate):
    """The gateway on the simulator, the digests' tickets and their fired
    rows (one per ticket, on a shipped SMS step)."""
    from odoo.addons.field_service_sla.tests.sms_common import smpp_gateway

    gateway = smpp_gateway(env, smsc.port, rate, name="Bench SMSC")
    tickets = (
        env["helpdesk.ticket"]
        .with_context(**QUIET)
        .create(
            [
                {"name": f"光缆中断，专线业务全阻{n}", "description": "告警"}
                for n in range((DIGESTS + SMALL_DIGESTS + 2) * PER_DIGEST)
            ]
        )
    )
    Step = env["fs.escalation.step"]
    step = Step.search([("sms_list_id", "!=", False)], limit=1) or Step.search(
        [], limit=1
    )
    env.cr.execute(
        """
        INSERT INTO fs_escalation_fired
               (ticket_id, step_id, ladder_id, company_id, occurrence, fired_at,
                trigger, sms_count, digest)
        SELECT t, %s, %s, %s, 0, now() AT TIME ZONE 'UTC', 'severity', %s, true
          FROM unnest(%s::int[]) AS t
     RETURNING ticket_id, id
        """,
        [step.id, step.ladder_id.id or None, env.company.id, NUMBERS, tickets.ids],
    )
    fired = dict(env.cr.fetchall())
    env.cr.commit()
    return {
        "gateway": gateway.id,
        "step": step.id,
        "tickets": [(t.id, t.name) for t in tickets],
        "fired": fired,
    }


def numbers(offset):
    """NUMBERS mobile numbers, none that the simulator refuses (…0000) or
    fails (…4444)."""
    return [f"+86139{offset + n:04d}5678" for n in range(NUMBERS)]


def plan(env, fx, first_ticket, digests, offset):
    """``digests`` digests of PER_DIGEST tickets each, to NUMBERS numbers
    each, as the sweep plans them: (PlannedSms list, fired ids by key)."""
    from odoo.addons.field_service_sla.models.fs_escalation_sms import PlannedSms
    from odoo.addons.field_service_sla.sla_core.escalation import START, digest_sms

    now = datetime(2026, 12, 7, 6, 0)
    company = env.company.id
    planned, fired_ids = [], {}
    to = numbers(offset)
    for d in range(digests):
        entries = fx["tickets"][
            first_ticket + d * PER_DIGEST : first_ticket + (d + 1) * PER_DIGEST
        ]
        body = digest_sms(
            START,
            [(f"上海浦东发展银行第{tid}支行", name) for tid, name in entries],
            now,
            TZ,
        )
        keys = [(tid, fx["step"], 0) for tid, _name in entries]
        for tid, _name in entries:
            fired_ids[(tid, fx["step"], 0)] = fx["fired"][tid]
        planned.extend(PlannedSms(number, body, company, keys) for number in to)
    return planned, fired_ids


def queue(env, planned, fired_ids):
    """The sweep's queueing step, timed; committed afterwards."""
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    env["fs.escalation.actions"]._queue_sms(planned, fired_ids)
    env.flush_all()
    wall = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    started = time.perf_counter()
    env.cr.commit()
    return {
        "sms": len(planned),
        "wall_s": wall,
        "commit_s": time.perf_counter() - started,
        "queries": queries,
    }


def check_submits(smsc, skip, planned):
    """Each planned (number, text) reassembled from the simulator's submits
    exactly once, nothing else."""
    expected = Counter((p.number.lstrip("+"), p.body) for p in planned)
    got = smsc.texts(skip)
    rows = smsc.submits()[skip:]
    return {
        "parts": len(rows),
        "texts": sum(got.values()),
        "exactly_once": got == expected,
        "missing": sum((expected - got).values()),
        "duplicated": sum((got - expected).values()),
        "parts_per_sms": Counter(r["total"] or 1 for r in rows).most_common(),
    }


def round_trip(env, fx, smsc, first_ticket, digests, offset, rate, trace=False):
    """Queue ``digests`` x NUMBERS SMS, send them all, collect the receipts."""
    cr = env.cr
    since = last_sms_id(cr)
    skip = len(smsc.submits())
    planned, fired_ids = plan(env, fx, first_ticket, digests, offset)
    result = {"queue": queue(env, planned, fired_ids)}
    uuids = uuids_of(cr, since)
    cr.commit()
    result["send"] = send_all(DB, trace=True) if trace else send_by_cron(DB)
    result["submits"] = check_submits(smsc, skip, planned)
    parts = result["submits"]["parts"]
    result["send"]["limit_s"] = parts / rate
    result["send"]["over_limit"] = result["send"]["wall_s"] / (parts / rate) - 1
    result["receipts"] = collect_receipts(DB, uuids)
    result["bulletins"] = bulletin_states(cr, uuids)
    cr.commit()
    return result


def batch_queries(env, fx, smsc, first_ticket, offset, size):
    """One batch of ``size`` SMS (the gateway's batch size set to it): its
    queries, then the rest of the queue sent and its receipts collected."""
    cr = env.cr
    gateway = env["fs.sms.gateway"].browse(fx["gateway"])
    gateway.batch_size = size
    since = last_sms_id(cr)
    digests = -(-size // NUMBERS)
    planned, fired_ids = plan(env, fx, first_ticket, digests, offset)
    queue(env, planned[:size], fired_ids)
    uuids = uuids_of(cr, since)
    cr.commit()
    one = send_all(DB, max_batches=1)
    gateway.batch_size = 100
    cr.commit()
    send_all(DB)
    collect_receipts(DB, uuids)
    return {
        "sms": size,
        "queries": one["queries_per_batch"][0],
        "wall_s": one["wall_s"],
    }


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------


def verdict(ok):
    return "OK" if ok else "MISSED"


def report(results):
    big, small = results["storm"], results["small"]
    rate = results["rate"]
    print(
        f"\nSMPP gateway at {rate} submit_sm/s, SMSC simulator at "
        f"{results['smsc_rate']}; "
        f"gateway batch {results['batch_size']} SMS; {DIGESTS} digests x "
        f"{NUMBERS} numbers\n"
    )
    q = big["queue"]
    s = big["send"]
    sub = big["submits"]
    rec = big["receipts"]
    per_batch = s["queries_per_batch"][:-1] or s["queries_per_batch"]
    qb = results["query_batches"]
    heap_small, heap_big = (
        results["heap"][str(n)]["heap_peak_mb"]
        for n in (SMALL_DIGESTS * NUMBERS, DIGESTS * NUMBERS)
    )
    ratio = heap_big / heap_small
    results["memory_ratio"] = ratio
    # flat but for the ORM's UPDATE statements of 100 rows (the batch's
    # SMS as sent, and as delivered when their receipts come within the
    # batch) and the receipts read meanwhile (a handful of statements)
    grown = qb[1]["queries"] - qb[0]["queries"]
    allowed = 2 * (qb[1]["sms"] - qb[0]["sms"]) // 100 + 8
    rows = [
        ("step", "figure", "target"),
        (
            "1 queue",
            (
                f"{q['sms']:,} SMS in {q['wall_s']:.2f} s ({q['queries']} queries; "
                f"commit {q['commit_s']:.2f} s)"
            ),
            f"<= {TARGETS['queue_s']} s: {verdict(q['wall_s'] <= TARGETS['queue_s'])}",
        ),
        (
            "2 sending",
            (
                f"{s['wall_s']:.1f} s for {sub['parts']:,} parts, limit "
                f"{s['limit_s']:.1f} s: {s['over_limit']:+.1%}; {s['batches']} "
                f"batches in {s['job_runs']} cron runs (waited "
                f"{sum(s['waits_s']):.1f} s between them); {s['throttled']} "
                "throttled"
            ),
            (
                f"<= +{TARGETS['send_over_limit']:.0%}: "
                f"{verdict(s['over_limit'] <= TARGETS['send_over_limit'])}"
            ),
        ),
        (
            "  accepted once",
            (
                f"{sub['texts']:,} texts, missing {sub['missing']}, twice "
                f"{sub['duplicated']}; parts {sub['parts_per_sms']}"
            ),
            verdict(sub["exactly_once"]),
        ),
        (
            "3 receipts",
            (
                f"{rec['wall_s']:.1f} s, {rec['calls']} collections "
                f"({rec['parts_while_sending']:,} parts' receipts read while "
                f"sending); SMS {rec['sms']}; parts {rec['parts']}; bulletins "
                f"{big['bulletins']}"
            ),
            verdict(
                rec["sms"].get("sent") == q["sms"]
                and big["bulletins"].get("delivered") == q["sms"]
            ),
        ),
        (
            "4 memory",
            (
                f"heap peak {heap_small:.1f} MB for {small['queue']['sms']:,} SMS, "
                f"{heap_big:.1f} MB for {q['sms']:,}: x{ratio:.2f}; peak RSS growth "
                f"{small['send']['rss_growth_mb']:.1f} / {s['rss_growth_mb']:.1f} MB"
            ),
            f"near 1: {verdict(ratio <= TARGETS['memory_ratio'])}",
        ),
        (
            "5 queries/batch",
            (
                f"{qb[0]['queries']} for {qb[0]['sms']} SMS, {qb[1]['queries']} for "
                f"{qb[1]['sms']:,}; storm batches {min(per_batch)}-{max(per_batch)}"
            ),
            (
                f"+{grown} (<= {allowed}: ORM UPDATEs of 100 rows, receipts): "
                f"{verdict(grown <= allowed)}"
            ),
        ),
    ]
    table(rows)
    print(
        f"1,200 SMS: queued in {small['queue']['wall_s']:.2f} s, sent in "
        f"{small['send']['wall_s']:.1f} s (limit {small['send']['limit_s']:.1f} s, "
        f"{small['send']['over_limit']:+.1%}), {small['send']['throttled']} throttled"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
        help="Odoo config file reaching the PostgreSQL (default: $ODOO_RC)",
    )
    parser.add_argument(
        "--rate", type=int, default=400, help="submit_sm/s of the SMSC and the gateway"
    )
    parser.add_argument(
        "--smsc-rate",
        type=int,
        help="the SMSC's own limit when it differs from the gateway's (the "
        "gateway then learns it from the ESME_RTHROTTLED answers)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    install(args.config, DB)
    from odoo.addons.field_service_sla.gateways.smpp import WIRE_LOGGER
    from odoo.addons.field_service_sla.tests.sms_common import Smsc

    # smpplib's connect/disconnect lines (INFO) would drown the table
    logging.getLogger(WIRE_LOGGER).addFilter(
        lambda record: record.levelno >= logging.WARNING
    )
    smsc_rate = args.smsc_rate or args.rate
    smsc = Smsc(rate=smsc_rate, receipt_delay=0.2).start()
    # what the limit allows: the lower of the two
    limit = min(args.rate, smsc_rate)
    results = {"args": vars(args), "rate": args.rate, "smsc_rate": smsc_rate}
    try:
        with Registry(DB).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fx = fixture(env, smsc, args.rate)
            results["batch_size"] = (
                env["fs.sms.gateway"].browse(fx["gateway"]).batch_size
            )
            first = 0
            # warm-up: caches, the first bind
            round_trip(env, fx, smsc, first, 1, 9000, limit)
            first += PER_DIGEST
            results["small"] = round_trip(env, fx, smsc, first, SMALL_DIGESTS, 0, limit)
            first += SMALL_DIGESTS * PER_DIGEST
            results["storm"] = round_trip(env, fx, smsc, first, DIGESTS, 100, limit)
            first += DIGESTS * PER_DIGEST
            results["query_batches"] = [
                batch_queries(env, fx, smsc, 0, 200 + n * 50, size)
                for n, size in enumerate(QUERY_BATCHES)
            ]
            # the Python heap's peak, under tracemalloc (which slows the
            # sending: not timed), for the same two sizes again
            results["heap"] = {
                str(digests * NUMBERS): round_trip(
                    env, fx, smsc, 0, digests, offset, limit, trace=True
                )["send"]
                for digests, offset in ((SMALL_DIGESTS, 300), (DIGESTS, 400))
            }
    finally:
        smsc.stop()
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
