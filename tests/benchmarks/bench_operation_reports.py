#!/usr/bin/env python3
"""Benchmark of the customer network operation reports' batch job (README.md
beside this file).

On a fresh database with field_service_sla and field_service_reports, filled
by SQL (1,000 group customers, their 2 or 3 service lines, 40,000 faults over
the month and the one before with their clocks, a planned work), a batch
for the month and every tier is started and its job run as the cron runs it
(``fs.operation.report.run._cron_process``, each batch committed with the
cron's progress): one draft per customer with a to-do for its account
manager (20 of them), its lines' figures, totals and six months' chart from
the monthly figures' functions.
  - wall time for 1,000 customers (target: at most 5 minutes), SQL queries
    per customer;
  - the progress the batch shows after each committed batch, and this
    process's resident memory then: it must stay flat (no growth with the
    customers done beyond the first batches' warm-up);
  - every customer has its report, none failed.
Prints a table, writes benchmark-results/bench_operation_reports.json, drops
its database unless --keep.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from unittest.mock import patch

from benchlib import finish, install, table

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_operation_reports.json"
DB = os.environ.get("BENCH_DB", "oprep_bench")
TZ = "Asia/Shanghai"
TARGET_S = 300.0
ACCOUNT_MANAGERS = 20
TIERS = ["tier_province", "tier_diamond", "tier_gold", "tier_silver", "tier_standard"]
MONTH = "2026-10-01"  # bench_monthly_report's big month
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def fill(env, customers, tickets):
    """By SQL (the ORM is not what is measured): ``customers`` group
    customers over the five tiers, 2 or 3 service lines each, ``tickets``
    faults over the month and the month before it (Shanghai time), 80 %
    closed, 1 in 7 never restored, 1 % excluded; two clocks per ticket with
    their stored assessment; a planned work on a line in ten."""
    cr = env.cr
    started = time.perf_counter()
    ref = env.ref
    tiers = [ref(f"field_service_sla.{x}").id for x in TIERS]
    company = env.company.id
    env.company.fs_tz = TZ
    team = env["helpdesk.ticket.team"].create({"name": "Bench team"}).id
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 customer_segment, customer_tier_id)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, true, true,
               'contact', 'enterprise', (%(tiers)s::int[])[1 + n %% 5]
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"tiers": tiers, "customers": customers},
    )
    ids = [row[0] for row in cr.fetchall()]
    managers = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench account manager {n}",
                    "login": f"bench_am_{n}",
                    "group_ids": [
                        (4, ref("field_service_sla.group_fs_account_manager").id)
                    ],
                }
                for n in range(ACCOUNT_MANAGERS)
            ]
        )
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id,"
        " account_manager_id = (%s::int[])[1 + id %% %s] WHERE id = ANY(%s)",
        [managers.ids, len(managers), ids],
    )
    cr.execute(
        """
        INSERT INTO fs_service_line (circuit_ref, partner_id, service_type_id,
                                     assurance_level_id, company_id, active)
        SELECT 'BENCH-' || p.id || '-' || k, p.id, %(type)s, %(level)s,
               %(company)s, true
          FROM unnest(%(ids)s::int[]) p(id), generate_series(1, 2 + p.id %% 2) k
        """,
        {
            "type": ref("field_service_sla.service_type_internet_line").id,
            "level": ref("field_service_sla.level_aa").id,
            "company": company,
            "ids": ids,
        },
    )
    cr.execute(
        "SELECT (%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'",
        ("2026-09-01", TZ),
    )
    [first] = cr.fetchone()
    cr.execute(
        """
        WITH lines AS (
            SELECT l.id, l.partner_id, p.customer_tier_id,
                   row_number() OVER (ORDER BY l.id) - 1 AS k
              FROM fs_service_line l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.circuit_ref LIKE 'BENCH-%%'
        ), numbered AS (
            SELECT n, %(first)s::timestamp
                      + make_interval(secs => (n::bigint * 7919) %% 5270400) AS at,
                   30 + (n * 37) %% 600 AS minutes
              FROM generate_series(1, %(tickets)s) n
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, active, stage_id,
            service_line_id, partner_id, commercial_partner_id, customer_tier_id,
            service_type_id, customer_segment, team_id, reported_date,
            restored_date, closed_date, restore_duration_hours, severity,
            severity_excluded, fs_is_fault, fs_repeated_fault, escalation_level,
            priority, sla_state, create_date, write_date)
        SELECT 'OR-' || n, 'Line down', '<p>alarm</p>', %(company)s, true,
               CASE WHEN n %% 5 = 0 THEN %(open)s ELSE %(done)s END,
               l.id, l.partner_id, l.partner_id, l.customer_tier_id, %(type)s,
               'enterprise', %(team)s, at,
               CASE WHEN n %% 7 <> 0 THEN at + make_interval(mins => minutes) END,
               CASE WHEN n %% 5 <> 0 THEN at + make_interval(mins => minutes + 60) END,
               CASE WHEN n %% 7 <> 0 THEN minutes / 60.0 ELSE 0 END,
               'general', n %% 100 = 0, n %% 100 <> 0, n %% 9 = 0, 'city', '1',
               'met', now(), now()
          FROM numbered
          JOIN lines l ON l.k = floor(
              %(nlines)s * power((n::bigint * 104729 %% 1000003) / 1000003.0, 2))
        """,
        {
            "first": first,
            "tickets": tickets,
            "company": company,
            "open": ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id,
            "done": ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            "type": ref("field_service_sla.service_type_internet_line").id,
            "team": team,
            "nlines": env["fs.service.line"].search_count([]),
        },
    )
    cr.execute(
        """
        INSERT INTO fs_sla_clock (ticket_id, company_id, kind, sequence,
                                  target_hours, start_date, deadline, state,
                                  sla_outcome, on_time_count, missed_count,
                                  breach_count)
        SELECT t.id, t.company_id, k.kind, k.seq, k.target, t.reported_date,
               t.reported_date + make_interval(hours => k.target),
               CASE WHEN (t.id + k.seq) %% 4 = 0 THEN 'breached' ELSE 'met' END,
               CASE WHEN (t.id + k.seq) %% 4 = 0 THEN 'missed' ELSE 'on_time' END,
               CASE WHEN (t.id + k.seq) %% 4 = 0 THEN 0 ELSE 1 END,
               CASE WHEN (t.id + k.seq) %% 4 = 0 THEN 1 ELSE 0 END,
               CASE WHEN (t.id + k.seq) %% 4 = 0 THEN 1 ELSE 0 END
          FROM helpdesk_ticket t
         CROSS JOIN (VALUES ('contact', 1, 1), ('restored', 2, 4)) k(kind, seq, target)
         WHERE t.number LIKE 'OR-%%'
        """,
        {},
    )
    work = env["fs.planned.work"].create(
        {
            "name": "Bench cutover",
            "reason": "Bench",
            "date_start": "2026-10-10 16:00:00",
            "date_end": "2026-10-10 20:00:00",
        }
    )
    cr.execute(
        """
        INSERT INTO fs_planned_work_line (planned_work_id, company_id,
                                          service_line_id, partner_id,
                                          expected_minutes)
        SELECT %(work)s, l.company_id, l.id, l.partner_id, 60
          FROM fs_service_line l WHERE l.circuit_ref LIKE 'BENCH-%%' AND l.id %% 10 = 0
        """,
        {"work": work.id},
    )
    cr.execute("UPDATE fs_planned_work SET state = 'done' WHERE id = %s", [work.id])
    cr.execute(
        "ANALYZE res_partner; ANALYZE fs_service_line; ANALYZE helpdesk_ticket; "
        "ANALYZE fs_sla_clock; ANALYZE fs_planned_work_line"
    )
    return time.perf_counter() - started


def run_job(env, batch_size):
    Run = env["fs.operation.report.run"]
    run = Run.create({"date_from": MONTH})
    run._move("queued", ["draft"])
    env.cr.commit()
    samples = []
    Cron = type(env["ir.cron"])
    commit = Cron._commit_progress

    def progress(cron, processed=0, remaining=None, deactivate=False):
        left = commit(cron, processed, remaining=remaining, deactivate=deactivate)
        env.cr.execute(
            "SELECT done_count FROM fs_operation_report_run WHERE id = %s", [run.id]
        )
        done = env.cr.fetchone()[0]
        samples.append(
            {
                "t": time.perf_counter() - started,
                "done": done,
                "rss_mb": round(rss_mb(), 1),
                "queries": env.cr.sql_log_count - queries,
            }
        )
        return left

    queries = env.cr.sql_log_count
    started = time.perf_counter()
    with (
        patch.object(Cron, "_commit_progress", progress),
        patch.object(Cron, "_trigger", lambda *a, **k: None),
    ):
        complete = Run._cron_process(batch_size=batch_size)
    wall = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    run.invalidate_recordset()
    return run, complete, wall, queries, samples


def report(results):
    rows = [
        ("customers", "wall s", "target s", "queries/customer", "made", "failed"),
        (
            results["customers"],
            f"{results['wall_s']:.1f}",
            f"{TARGET_S:.0f}",
            f"{results['queries'] / max(results['customers'], 1):.1f}",
            results["created"],
            results["failed"],
        ),
    ]
    table(rows)
    samples = results["samples"]
    if samples:
        shown = samples[:: max(len(samples) // 10, 1)] + samples[-1:]
        table(
            [("elapsed s", "done", "RSS MB")]
            + [(f"{s['t']:.1f}", s["done"], s["rss_mb"]) for s in shown]
        )
    print(
        f"RSS after the first tenth {results['rss_early_mb']:.1f} MB, at the end "
        f"{results['rss_end_mb']:.1f} MB (growth {results['rss_growth_mb']:+.1f} MB)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.environ.get("ODOO_RC"))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--tickets", type=int, default=40_000)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()
    if not args.config:
        sys.exit("--config (or ODOO_RC) names the Odoo configuration file")
    config.parse_config(["-c", args.config])
    started = time.perf_counter()
    if not args.reuse:
        install(args.config, DB, "field_service_sla,field_service_reports")
    results = {"customers": args.customers, "tickets": args.tickets}
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": TZ, "lang": "en_US"})
        if not args.reuse:
            results["fill_s"] = fill(env, args.customers, args.tickets)
            cr.commit()
        run, complete, wall, queries, samples = run_job(env, args.batch_size)
        made = env["fs.operation.report"].search_count([("date_from", "=", MONTH)])
        early = samples[max(len(samples) // 10, 1) - 1]["rss_mb"] if samples else 0
        end = samples[-1]["rss_mb"] if samples else 0
        results.update(
            {
                "complete": complete,
                "wall_s": wall,
                "queries": queries,
                "created": run.created_count,
                "failed": run.failed_count,
                "reports": made,
                "customers": run.total,
                "samples": samples,
                "rss_early_mb": early,
                "rss_end_mb": end,
                "rss_growth_mb": end - early,
                "target_s": TARGET_S,
            }
        )
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
