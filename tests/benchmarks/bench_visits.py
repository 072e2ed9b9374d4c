#!/usr/bin/env python3
"""Performance benchmark of the fault rates and periodic visits (README.md beside this file).

On a fresh database with field_service_sla, 10,000 customers (2-3 service
lines each) and 100,000 tickets of the last 90 days filled in by SQL:
  1. fault rate and repeat-fault rate of 1,000 and of 10,000 customers:
     time and SQL queries (the count must not grow with the customers);
  2. planning a month of visits for the 10,000 customers, then again (the
     second run must create nothing).
Prints a table, writes benchmark-results/bench_visits.json, drops its database.
"""

import argparse
import os
import time
from datetime import timedelta
from pathlib import Path

from benchlib import finish, install, table

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_visits.json"
DB = "benchfw_visits"
TARGETS = {"rates_s": 5.0, "plan_s": 30.0}
# (tier xmlid, share of the customers): every tier of the fixture has a cadence
TIERS = [
    ("tier_province", 1),
    ("tier_diamond", 2),
    ("tier_gold", 3),
    ("tier_silver", 4),
]



def fill(env, customers, tickets):
    """Customers spread over the tiers, 2-3 lines each, tickets spread over
    the lines and the last 90 days: plain SQL, the ORM is not what is measured."""
    cr = env.cr
    tier_ids = [env.ref(f"field_service_sla.{x}").id for x, share in TIERS for _ in range(share)]
    internet = env.ref("field_service_sla.service_type_internet_line").id
    level = env.ref("field_service_sla.level_aa").id
    company = env.company.id
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
    # 100,000 faults on 25,000 lines in 90 days is 4 a line on average: the
    # shipped thresholds would call every customer; these call the worst few
    env["fs.customer.tier"].browse(set(tier_ids)).write(
        {"fault_rate_threshold": 8.0, "repeat_rate_threshold": 0.9}
    )
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 customer_segment, customer_tier_id)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, true, true,
               'contact', 'enterprise', (%(tiers)s::int[])[1 + n %% %(ntiers)s]
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"tiers": tier_ids, "ntiers": len(tier_ids), "customers": customers},
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
        SELECT 'BENCH-' || p.id || '-' || k, p.id, %(type)s, %(level)s, %(company)s, true
          FROM unnest(%(ids)s::int[]) p(id), generate_series(1, 2 + p.id %% 2) k
        RETURNING id
        """,
        {"type": internet, "level": level, "company": company, "ids": partner_ids},
    )
    line_ids = [row[0] for row in cr.fetchall()]
    # pseudo-random times over the 90 days; lines picked with a skew (the
    # square of a pseudo-random share), so that a few lines fault often
    # (repeats, customers above threshold) and many never
    cr.execute(
        """
        WITH lines AS (
            SELECT id, partner_id, row_number() OVER (ORDER BY id) - 1 AS k
              FROM fs_service_line WHERE id = ANY(%(lines)s)
        )
        INSERT INTO helpdesk_ticket (number, name, description, company_id, active,
                                     stage_id, service_line_id, partner_id,
                                     reported_date, create_date, write_date)
        SELECT 'BENCH' || n, 'Line down', '<p>alarm</p>', %(company)s, true,
               %(stage)s, l.id, l.partner_id,
               %(now)s - make_interval(secs => (n::bigint * 7919 %% (90 * 86400))),
               %(now)s, %(now)s
          FROM generate_series(1, %(tickets)s) n
          JOIN lines l ON l.k = floor(
              %(nlines)s * power((n::bigint * 104729 %% 1000003) / 1000003.0, 3))
        """,
        {
            "company": company,
            "stage": stage,
            "now": fields.Datetime.now(),
            "tickets": tickets,
            "lines": line_ids,
            "nlines": len(line_ids),
        },
    )
    cr.execute("ANALYZE res_partner; ANALYZE fs_service_line; ANALYZE helpdesk_ticket")
    return partner_ids, len(line_ids), time.perf_counter() - started


def measure(cr, fn):
    queries = cr.sql_log_count
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started, cr.sql_log_count - queries


def bench_rates(env, partner_ids):
    partners = env["res.partner"]
    now = fields.Datetime.now()
    out = {}
    for n in (1_000, len(partner_ids)):
        ids = partner_ids[:n]
        env.invalidate_all()
        figures, wall, queries = measure(
            env.cr, lambda ids=ids: partners._fs_fault_figures_for(ids, now)
        )
        faults = sum(f[0].faults for f in figures.values())
        repeats = sum(f[0].repeats for f in figures.values())
        alerts = sum(1 for f in figures.values() if f[2])
        out[n] = {"wall_s": wall, "queries": queries, "faults": faults,
                  "repeats": repeats, "alerts": alerts}  # fmt: skip
    # the same through the ORM: the customer form's fields, on all at once
    env.invalidate_all()
    records = partners.browse(partner_ids)
    _rates, wall, queries = measure(env.cr, lambda: records.mapped("fs_repeat_rate"))
    out["orm_read"] = {"wall_s": wall, "queries": queries}
    return out


def bench_plan(env):
    visits = env["fs.visit"]
    today = fields.Date.context_today(visits)
    first, wall1, queries1 = measure(env.cr, lambda: visits._plan_visits(today=today))
    env.flush_all()
    by_reason = {}
    for reason in first.mapped("reason"):
        by_reason[reason] = by_reason.get(reason, 0) + 1
    last = max(first.mapped("planned_date"))
    env.invalidate_all()
    second, wall2, queries2 = measure(env.cr, lambda: visits._plan_visits(today=today))
    env.cr.execute(
        "SELECT count(*) FROM (SELECT partner_id, planned_date FROM fs_visit "
        "GROUP BY 1, 2 HAVING count(*) > 1) d"
    )
    duplicates = env.cr.fetchone()[0]
    return {
        "first": {"wall_s": wall1, "queries": queries1, "created": len(first),
                  "by_reason": by_reason, "last_date": str(last),
                  "horizon_end": str(today + timedelta(days=30))},  # fmt: skip
        "second": {"wall_s": wall2, "queries": queries2, "created": len(second)},
        "duplicates": duplicates,
    }



def verdict(ok):
    return "OK" if ok else "MISSED"


def report(results):
    rates, plan = results["rates"], results["plan"]
    small, big = rates[1_000], rates[results["customers"]]
    print(
        f"\n{results['customers']} customers, {results['lines']} service lines, "
        f"{results['tickets']} tickets of the last 90 days "
        f"(filled by SQL in {results['fill_s']:.1f} s)\n"
    )
    table(
        [
            ("what", "wall", "queries", "", "verdict"),
            ("rates, 1,000 customers", f"{small['wall_s']:.3f} s", small["queries"],
             f"{small['faults']} faults", ""),  # fmt: skip
            (f"rates, {results['customers']:,} customers", f"{big['wall_s']:.3f} s",
             big["queries"], f"{big['faults']} faults, {big['repeats']} repeated, "
             f"{big['alerts']} above threshold",
             f"<= {TARGETS['rates_s']} s, queries flat: "
             f"{verdict(big['wall_s'] <= TARGETS['rates_s'] and big['queries'] == small['queries'])}"),  # fmt: skip
            ("  same via the ORM (read fs_repeat_rate)",
             f"{rates['orm_read']['wall_s']:.3f} s", rates["orm_read"]["queries"], "", ""),  # fmt: skip
            ("plan a month of visits", f"{plan['first']['wall_s']:.3f} s",
             plan["first"]["queries"], f"{plan['first']['created']} visits "
             f"{plan['first']['by_reason']}",
             f"<= {TARGETS['plan_s']} s: {verdict(plan['first']['wall_s'] <= TARGETS['plan_s'])}"),  # fmt: skip
            ("plan again", f"{plan['second']['wall_s']:.3f} s", plan["second"]["queries"],
             f"{plan['second']['created']} created, {plan['duplicates']} duplicates",
             f"nothing twice: {verdict(plan['second']['created'] == 0 and not plan['duplicates'])}"),  # fmt: skip
        ]
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
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"])
    install(args.config, DB)
    results = {"args": vars(args), "customers": args.customers, "tickets": args.tickets}
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids, lines, fill_s = fill(env, args.customers, args.tickets)
        cr.commit()
        results.update(lines=lines, fill_s=fill_s)
        results["rates"] = bench_rates(env, partner_ids)
        results["plan"] = bench_plan(env)
        cr.rollback()
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
