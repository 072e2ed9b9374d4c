#!/usr/bin/env python3
"""Benchmark of the monthly customer-response workbook (README.md beside this file).

On a fresh database with field_service_sla and field_service_reports, filled
by SQL: 10,000 customers, 25,000 service lines, 10 teams, a month of 100,000
tickets (three milestone clocks each, their assessment as the engine stores
it) and a month of 10,000 before it, field orders and replaced equipment.
Each workbook is produced in a process of its own, so that its peak memory
is its own:
  1. the XLSX of the 10,000-ticket month and of the 100,000-ticket month:
     wall time (target: at most 30 s for 100,000), SQL queries, size, the
     process's peak RSS growth and the Python heap peak (tracemalloc) while
     producing it: memory must not grow with the tickets beyond the detail
     rows of a fetch batch;
  2. the wizard's figures against the SLA on-time rates pivot (read_group
     over the clocks) for the big month: they must be equal.
Prints a table, writes benchmark-results/bench_monthly_report.json, drops its
database unless --keep.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

import xlsxwriter
from benchlib import drop_database, install

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_monthly_report.json"
DB = os.environ.get("BENCH_DB", "xlsx_bench")
TZ = "Asia/Shanghai"
REPORT = "field_service_reports.fs_monthly_report_xlsx"
TARGET_S = 30.0
# (year, month, tickets): the big month and a small one before it
BIG, SMALL = (2026, 10), (2026, 9)
TIERS = ["tier_province", "tier_diamond", "tier_gold", "tier_silver", "tier_standard"]
TYPES = [
    "service_type_internet_line",
    "service_type_data_line",
    "service_type_voice_line",
    "service_type_gprs_apn",
    "service_type_group_sms",
    "service_type_iplc_dplc",
]
TEAMS = 10
# (kind, sequence, target hours) of every ticket's clocks
CLOCKS = [("contact", 1, 0.5), ("restored", 2, 4.0), ("resolved", 3, 24.0)]


# ----------------------------------------------------------------------------
# data, by SQL: the ORM is not what is measured
# ----------------------------------------------------------------------------
def fill(env, customers, tickets, small_tickets):
    cr = env.cr
    started = time.perf_counter()
    ref = env.ref
    tiers = [ref(f"field_service_sla.{x}").id for x in TIERS]
    types = [ref(f"field_service_sla.{x}").id for x in TYPES]
    level = ref("field_service_sla.level_aa").id
    company = env.company.id
    teams = env["helpdesk.ticket.team"].create(
        [{"name": f"Bench team {n + 1:02d}"} for n in range(TEAMS)]
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 customer_segment, customer_tier_id)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, true, true,
               'contact', 'enterprise', (%(tiers)s::int[])[1 + n %% %(ntiers)s]
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"tiers": tiers, "ntiers": len(tiers), "customers": customers},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    cr.execute(
        """
        INSERT INTO fs_service_line (circuit_ref, partner_id, service_type_id,
                                     assurance_level_id, company_id, active)
        SELECT 'BENCH-' || p.id || '-' || k, p.id,
               (%(types)s::int[])[1 + (p.id + k) %% %(ntypes)s], %(level)s,
               %(company)s, true
          FROM unnest(%(ids)s::int[]) p(id), generate_series(1, 2 + p.id %% 2) k
        """,
        {
            "types": types,
            "ntypes": len(types),
            "level": level,
            "company": company,
            "ids": partner_ids,
        },
    )
    for (year, month), count in ((BIG, tickets), (SMALL, small_tickets)):
        fill_month(env, year, month, count, teams.ids)
    fill_equipment(env)
    cr.execute(
        "ANALYZE res_partner; ANALYZE fs_service_line; ANALYZE helpdesk_ticket; "
        "ANALYZE fs_sla_clock; ANALYZE fsm_order; ANALYZE fs_replaced_equipment"
    )
    return time.perf_counter() - started


def fill_month(env, year, month, count, team_ids):
    """``count`` tickets spread over the month (Shanghai time), on lines
    picked with a skew so that some lines fault again (repeats); 80 % closed;
    1 % excluded from assessment; then three clocks per ticket whose state and
    assessment follow the rule (sla_core.outcome.milestone_outcome)."""
    cr = env.cr
    ref = env.ref
    start = datetime(year, month, 1)
    end = datetime(year + month // 12, month % 12 + 1, 1)
    cr.execute(
        "SELECT (%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC', "
        "       (%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'",
        (start, TZ, end, TZ),
    )
    start_utc, end_utc = cr.fetchone()
    tag = f"{year}{month:02d}"
    cr.execute(
        """
        WITH lines AS (
            SELECT l.id, l.partner_id, l.service_type_id, p.customer_tier_id,
                   row_number() OVER (ORDER BY l.id) - 1 AS k
              FROM fs_service_line l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.circuit_ref LIKE 'BENCH-%%'
        ), numbered AS (
            SELECT n, %(start)s + make_interval(
                       secs => (n::bigint * 7919) %% %(seconds)s) AS reported,
                   30 + (n * 37) %% 600 AS restore_minutes
              FROM generate_series(1, %(count)s) n
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, active, stage_id,
            service_line_id, partner_id, customer_tier_id, service_type_id,
            customer_segment, team_id, reported_date, restored_date,
            restore_duration_hours, severity, severity_excluded, priority,
            sla_state, escalation_level, create_date, write_date)
        SELECT 'BM' || %(tag)s || '-' || n, 'Line down', '<p>alarm</p>',
               %(company)s, true,
               CASE WHEN n %% 5 = 0 THEN %(open)s ELSE %(done)s END,
               l.id, l.partner_id, l.customer_tier_id, l.service_type_id,
               'enterprise', (%(teams)s::int[])[1 + n %% %(nteams)s], reported,
               CASE WHEN n %% 7 <> 0
                    THEN reported + make_interval(mins => restore_minutes) END,
               CASE WHEN n %% 7 <> 0 THEN restore_minutes / 60.0 ELSE 0 END,
               'general', n %% 100 = 0, '1', 'met', 'city', %(now)s, %(now)s
          FROM numbered
          JOIN lines l ON l.k = floor(
              %(nlines)s * power((n::bigint * 104729 %% 1000003) / 1000003.0, 2))
        """,
        {
            "start": start_utc,
            "seconds": int((end_utc - start_utc).total_seconds()),
            "count": count,
            "tag": tag,
            "company": env.company.id,
            "open": ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id,
            "done": ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            "teams": team_ids,
            "nteams": len(team_ids),
            "now": fields.Datetime.now(),
            "nlines": env["fs.service.line"].search_count([]),
        },
    )
    # r picks each clock's fate; closed tickets (stage Done) never have a
    # clock running: a milestone they did not reach is paused, and missed
    cr.execute(
        """
        WITH base AS (
            SELECT t.id AS ticket_id, t.company_id, k.kind, k.seq, k.target,
                   t.reported_date AS start,
                   t.reported_date
                   + make_interval(secs => (k.target * 3600)::float8) AS due,
                   t.stage_id = %(done)s AS closed,
                   t.severity_excluded,
                   (t.id * 31 + k.seq * 17) %% 100 AS r
              FROM helpdesk_ticket t
             CROSS JOIN (VALUES {clocks}) k(kind, seq, target)
             WHERE t.number LIKE %(pattern)s
        ), fate AS (
            SELECT *, CASE
                WHEN closed AND r < 78 THEN 'met'
                WHEN closed AND r < 88 THEN 'late'
                WHEN closed AND r < 91 THEN 'waived'
                WHEN closed THEN 'never'
                WHEN r < 50 THEN 'met'
                WHEN r < 80 THEN 'running'
                ELSE 'overdue' END AS fate
              FROM base
        )
        INSERT INTO fs_sla_clock (
            ticket_id, company_id, kind, sequence, target_hours, start_date,
            deadline, reached_date, state, breached_at, breach_waived,
            waiver_reason, breach_count, sla_outcome, on_time_count,
            missed_count, on_time_rate, margin_hours, paused_hours,
            severity_excluded)
        SELECT ticket_id, company_id, kind, seq, target, start,
               CASE WHEN fate = 'never' THEN NULL ELSE due END,
               CASE fate WHEN 'met' THEN start + (due - start) / 2
                         WHEN 'late' THEN start + (due - start) * 1.5
                         WHEN 'waived' THEN start + (due - start) * 1.5 END,
               CASE fate WHEN 'met' THEN 'met' WHEN 'waived' THEN 'met'
                         WHEN 'never' THEN 'paused' WHEN 'running' THEN 'running'
                         ELSE 'breached' END,
               CASE WHEN fate IN ('late', 'waived', 'overdue') THEN due END,
               fate = 'waived',
               CASE WHEN fate = 'waived' THEN 'Fault on the customer side' END,
               CASE WHEN fate IN ('late', 'overdue') THEN 1 ELSE 0 END,
               CASE WHEN fate IN ('met', 'waived') THEN 'on_time'
                    WHEN fate = 'running' THEN 'open' ELSE 'missed' END,
               CASE WHEN fate IN ('met', 'waived') THEN 1 ELSE 0 END,
               CASE WHEN fate IN ('late', 'never', 'overdue') THEN 1 ELSE 0 END,
               CASE WHEN fate IN ('met', 'waived') THEN 100 ELSE 0 END,
               0, 0, severity_excluded
          FROM fate
        """.format(
            clocks=", ".join(
                f"('{kind}', {seq}, {hours})" for kind, seq, hours in CLOCKS
            )
        ),
        {
            "done": ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            "pattern": f"BM{tag}-%",
            "now": fields.Datetime.now(),
        },
    )


def fill_equipment(env):
    """A field order for every tenth ticket (cause recorded), and a replaced
    device on every other order: type, model, supplier, first cause."""
    cr = env.cr
    location = env["fsm.location"].create(
        {"name": "Bench site", "owner_id": env.company.partner_id.id}
    )
    cr.execute(
        """
        INSERT INTO fsm_order (name, company_id, location_id, team_id, stage_id,
                               ticket_id, fs_cause_category, create_date, write_date)
        SELECT 'BENCH-ORD-' || t.id, t.company_id, %(location)s, %(team)s, %(stage)s,
               t.id, (ARRAY['transmission', 'our_equipment', 'customer_equipment',
                            'customer_intranet', 'aggregation'])[1 + t.id %% 5],
               now(), now()
          FROM helpdesk_ticket t
         WHERE t.number LIKE 'BM%%' AND t.id %% 10 = 0
        """,
        {
            "location": location.id,
            "team": env.ref("fieldservice.fsm_team_default").id,
            "stage": env.ref("fieldservice.fsm_stage_new").id,
        },
    )
    cr.execute(
        """
        INSERT INTO fs_replaced_equipment (
            order_id, company_id, service_line_id, replaced_date, device_type,
            device_model, serial_number, supplier, failure_cause)
        SELECT o.id, o.company_id, t.service_line_id,
               (t.reported_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
               (ARRAY['Router', 'Switch', 'ONU', 'Optical transceiver',
                      'Power module'])[1 + o.id %% 5],
               'M-' || (o.id %% 15), 'SN-' || o.id,
               (ARRAY['Huawei', 'ZTE', 'FiberHome', 'H3C'])[1 + o.id %% 4],
               (ARRAY['Power supply', 'Optical module', 'Board failure',
                      'Lightning', 'Firmware', 'Ageing'])[1 + o.id %% 6]
          FROM fsm_order o JOIN helpdesk_ticket t ON t.id = o.ticket_id
         WHERE o.name LIKE 'BENCH-ORD-%%' AND o.id %% 2 = 0
        """,
        {"tz": TZ},
    )


# ----------------------------------------------------------------------------
# one workbook, in a process of its own
# ----------------------------------------------------------------------------
def max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(year, month):
    """Produce the month's workbook twice: timed (with the peak RSS of this
    process), then under tracemalloc (Python heap peak). Prints JSON."""
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": TZ, "lang": "en_US"})
        reports = env["ir.actions.report"]
        # warm up: code, translations and caches, on an empty month
        warm = env["fs.monthly.report"].create({"year": "2026", "month": "1"})
        reports._render_xlsx(REPORT, warm.ids, data=None)
        wizard = env["fs.monthly.report"].create(
            {"year": str(year), "month": str(month)}
        )
        sql = {"s": 0.0}

        def hook(_cr, _query, _params, _start, delay):
            sql["s"] += delay

        threading.current_thread().query_hooks = [hook]
        rss_before = max_rss_mb()
        queries = cr.sql_log_count
        started, cpu = time.perf_counter(), time.process_time()
        content, _kind = reports._render_xlsx(REPORT, wizard.ids, data=None)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        queries = cr.sql_log_count - queries
        rss_after = max_rss_mb()
        del threading.current_thread().query_hooks
        size = len(content)
        del content
        tracemalloc.start()
        reports._render_xlsx(REPORT, wizard.ids, data=None)
        _current, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # the same workbook written to a file: what producing it holds in
        # memory, without the finished file report_xlsx returns (in memory
        # twice: its BytesIO and the bytes read from it)
        report = env[f"report.{REPORT}"].with_context(active_model=wizard._name)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
            tracemalloc.start()
            workbook = xlsxwriter.Workbook(target.name, report.get_workbook_options())
            report.generate_xlsx_report(workbook, None, wizard)
            workbook.close()
            _current, work_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        source = env["fs.monthly.report.data"]
        scope = wizard._check_request()
        detail_rows = sum(1 for _row in source._breach_rows(scope))
        detail_rows += sum(1 for _row in source._excluded_rows(scope))
        cr.rollback()
    print(
        json.dumps(
            {
                "wall_s": wall,
                "cpu_s": cpu,
                "load": os.getloadavg()[0],
                "sql_s": sql["s"],
                "queries": queries,
                "size_bytes": size,
                "rss_before_mb": rss_before,
                "rss_growth_mb": rss_after - rss_before,
                "heap_peak_mb": heap_peak / 2**20,
                "work_peak_mb": work_peak / 2**20,
                "detail_rows": detail_rows,
            }
        )
    )


def run_measure(conf, year, month):
    cmd = [sys.executable, __file__, "--config", conf, "--measure", f"{year}-{month}"]
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"measuring {year}-{month} failed:\n{out.stderr[-5000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------
# the wizard's figures and the pivot, for the big month
# ----------------------------------------------------------------------------
def pivot_check(env):
    from odoo.addons.field_service_reports.reports_core.monthly import Month

    env = env(context=dict(env.context, tz=TZ))
    company = env.company
    scope = env["fs.monthly.report.data"]._scope(
        company, Month(*BIG), env["helpdesk.ticket.team"]
    )
    started = time.perf_counter()
    figures = env["fs.monthly.report.data"]._figures(scope)
    figures_s = time.perf_counter() - started
    started = time.perf_counter()
    pivot = {}
    for month, tier, kind, on_time, missed in env["fs.sla.clock"]._read_group(
        [
            ("company_id", "=", company.id),
            ("sla_outcome", "in", ("on_time", "missed")),
            ("severity_excluded", "=", False),
            ("ticket_reported_date", ">=", scope.start),
            ("ticket_reported_date", "<", scope.end),
        ],
        ["ticket_reported_date:month", "ticket_tier_id", "kind"],
        ["on_time_count:sum", "missed_count:sum"],
    ):
        pivot[(month.year, month.month, tier.id or None, kind)] = (on_time, missed)
    pivot_s = time.perf_counter() - started
    report = {
        (*BIG, key, kind): (counts.on_time, counts.missed)
        for key, group in figures.views["tier"].items()
        for kind, counts in group.milestones.items()
        if counts.assessed
    }
    totals = figures.totals
    return {
        "equal": pivot == report,
        "cells": len(report),
        "figures_s": figures_s,
        "pivot_s": pivot_s,
        "tickets": totals.tickets,
        "on_time": totals.all_milestones.on_time,
        "missed": totals.all_milestones.missed,
        "open": totals.all_milestones.open,
    }


def report(results):
    print(
        f"\n{results['customers']:,} customers, {results['tickets']:,} tickets in "
        f"{BIG[0]}-{BIG[1]:02d} and {results['small_tickets']:,} in "
        f"{SMALL[0]}-{SMALL[1]:02d}, 3 clocks each (filled by SQL in "
        f"{results['fill_s']:.0f} s)\n"
    )
    rows = [
        (
            "month",
            "tickets",
            "detail rows",
            "wall",
            "CPU (this process)",
            "SQL",
            "queries",
            "xlsx",
            "RSS growth",
            "heap peak",
            "heap peak, to a file",
        )
    ]
    for label, key in (("small", "small"), ("big", "big")):
        m = results[key]
        rows.append(
            (
                label,
                f"{results[key + '_count']:,}",
                f"{m['detail_rows']:,}",
                f"{m['wall_s']:.1f} s (load {m['load']:.1f})",
                f"{m['cpu_s']:.1f} s",
                f"{m['sql_s']:.1f} s",
                m["queries"],
                f"{m['size_bytes'] / 2**20:.1f} MB",
                f"{m['rss_growth_mb']:.0f} MB",
                f"{m['heap_peak_mb']:.1f} MB",
                f"{m['work_peak_mb']:.1f} MB",
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    big, check = results["big"], results["pivot"]
    verdict = "OK" if big["wall_s"] <= TARGET_S else "MISSED"
    print(f"\n100,000-ticket month in <= {TARGET_S:.0f} s: {verdict}")
    print(
        f"pivot (read_group) == wizard figures for {BIG[0]}-{BIG[1]:02d}: "
        f"{'EQUAL' if check['equal'] else 'DIFFERENT'} ({check['cells']} tier x "
        f"milestone cells; figures {check['figures_s']:.2f} s, pivot "
        f"{check['pivot_s']:.2f} s; {check['on_time']:,} on time, "
        f"{check['missed']:,} missed, {check['open']:,} open)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
        help="Odoo config file reaching the PostgreSQL (default: $ODOO_RC)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--small-tickets", type=int, default=10_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    if args.measure:
        measure(*map(int, args.measure.split("-")))
        return
    started = time.perf_counter()
    results = {
        "args": vars(args),
        "customers": args.customers,
        "tickets": args.tickets,
        "small_tickets": args.small_tickets,
        "big_count": args.tickets,
        "small_count": args.small_tickets,
    }
    if not args.reuse:
        install(args.config, DB, "field_service_sla,field_service_reports")
        with Registry(DB).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            results["fill_s"] = fill(
                env, args.customers, args.tickets, args.small_tickets
            )
            cr.commit()
    else:
        results["fill_s"] = 0.0
    results["small"] = run_measure(args.config, *SMALL)
    results["big"] = run_measure(args.config, *BIG)
    with Registry(DB).cursor() as cr:
        results["pivot"] = pivot_check(api.Environment(cr, SUPERUSER_ID, {}))
        cr.rollback()
    results["total_s"] = time.perf_counter() - started
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    report(results)
    print(f"results: {RESULTS} (total {results['total_s']:.0f} s)")
    if not args.keep:
        drop_database(DB)


if __name__ == "__main__":
    main()
