#!/usr/bin/env python3
"""Performance benchmark of the inspection plans (README.md beside this file).

On a fresh database with field_service_sla, 10,000 customers filled in by SQL
(one site each, 2-3 service lines at it) over the tiers that get an
inspection plan here (four enterprise tiers, the enterprise template; the
home tier, the home routine test), every plan monthly, so that every site
gets one inspection order in the month (the worst case of a month):
  1. generating the month for the 1,000 first customers, then for all
     10,000 (the rest): time and SQL queries (the count must not grow with
     the customers beyond a constant per batch);
  2. generating again: nothing created, no duplicate.
Prints a table, writes benchmark-results/bench_inspections.json, drops its
database.
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
RESULTS = REPO / "benchmark-results" / "bench_inspections.json"
DB = os.environ.get("BENCH_DB", "benchfw_inspections")
TARGET_S = 30.0
# (tier xmlid, share of the customers, segment, template, service type)
TIERS = [
    ("tier_province", 1, "enterprise", "enterprise", "internet_line"),
    ("tier_diamond", 2, "enterprise", "enterprise", "internet_line"),
    ("tier_gold", 3, "enterprise", "enterprise", "internet_line"),
    ("tier_silver", 4, "enterprise", "enterprise", "internet_line"),
    ("tier_home", 4, "home", "home", "home_broadband"),
]


def fill(env, customers):
    """Customers spread over the tiers, one site (fsm.location) each with 2-3
    service lines: plain SQL, the ORM is not what is measured."""
    cr = env.cr
    ref = env.ref
    kinds = [
        (
            ref(f"field_service_sla.{tier}").id,
            segment,
            ref(f"field_service_sla.service_type_{stype}").id,
        )
        for tier, share, segment, _t, stype in TIERS
        for _ in range(share)
    ]
    level = ref("field_service_sla.level_aa").id
    company = env.company.id
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 customer_segment, customer_tier_id)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, true, true,
               'contact', (%(segments)s::varchar[])[1 + n %% %(nkinds)s],
               (%(tiers)s::int[])[1 + n %% %(nkinds)s]
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {
            "tiers": [k[0] for k in kinds],
            "segments": [k[1] for k in kinds],
            "nkinds": len(kinds),
            "customers": customers,
        },
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    # the site: a partner of its own (fsm.location _inherits res.partner)
    cr.execute(
        """
        WITH sites AS (
            INSERT INTO res_partner (name, complete_name, active, type,
                                     fsm_location, parent_id)
            SELECT 'Site of ' || p.id, 'Site of ' || p.id, true, 'other', true, p.id
              FROM unnest(%(ids)s::int[]) p(id)
            RETURNING id, parent_id
        )
        INSERT INTO fsm_location (partner_id, owner_id, complete_name)
        SELECT id, parent_id, 'Site of ' || parent_id FROM sites
        RETURNING id, owner_id
        """,
        {"ids": partner_ids},
    )
    sites = cr.fetchall()
    cr.execute(
        "UPDATE fsm_location SET parent_path = id || '/' WHERE id = ANY(%s)",
        [[s[0] for s in sites]],
    )
    type_of = {}
    cr.execute(
        "SELECT id, customer_tier_id FROM res_partner WHERE id = ANY(%s)", [partner_ids]
    )
    tier_type = {k[0]: k[2] for k in kinds}
    type_of = {pid: tier_type[tier] for pid, tier in cr.fetchall()}
    cr.execute(
        """
        INSERT INTO fs_service_line (circuit_ref, partner_id, location_id,
                                     service_type_id, assurance_level_id,
                                     company_id, active)
        SELECT 'BENCH-' || s.owner || '-' || k, s.owner, s.id, s.stype,
               %(level)s, %(company)s, true
          FROM unnest(%(sites)s::int[], %(owners)s::int[], %(types)s::int[])
               s(id, owner, stype),
               generate_series(1, 2 + s.owner %% 2) k
        """,
        {
            "level": level,
            "company": company,
            "sites": [s[0] for s in sites],
            "owners": [s[1] for s in sites],
            "types": [type_of[s[1]] for s in sites],
        },
    )
    cr.execute("ANALYZE res_partner; ANALYZE fsm_location; ANALYZE fs_service_line")
    cr.execute(
        "SELECT count(*) FROM fs_service_line WHERE partner_id = ANY(%s)", [partner_ids]
    )
    nlines = cr.fetchone()[0]
    env.invalidate_all()
    return partner_ids, nlines, time.perf_counter() - started


def plans(env, start):
    """One monthly plan per tier of the fixture, due a few days after start."""
    Plan = env["fs.inspection.plan"]
    return Plan.create(
        [
            {
                "name": f"Bench {tier} monthly",
                "tier_id": env.ref(f"field_service_sla.{tier}").id,
                "template_id": env.ref(
                    f"field_service_sla.inspection_template_{tpl}"
                ).id,
                "interval_months": 1,
                "anchor_date": start + timedelta(days=3 + i),
                "horizon_days": 31,
            }
            for i, (tier, _s, _seg, tpl, _t) in enumerate(TIERS)
        ]
    )


def measure(cr, fn):
    queries = cr.sql_log_count
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started, cr.sql_log_count - queries


def counts(cr):
    cr.execute(
        """SELECT (SELECT count(*) FROM fs_inspection),
                  (SELECT count(*) FROM fsm_order),
                  (SELECT count(*) FROM fs_inspection_item),
                  (SELECT count(*) FROM fs_inspection_reading)"""
    )
    return cr.fetchone()


def bench_generate(env, partner_ids, small):
    """First the month of the `small` first customers (the others moved to a
    tier without plan for that run), then of all, then all again."""
    cr = env.cr
    start = fields.Date.context_today(env["fs.inspection.plan"])
    all_plans = plans(env, start)
    env.flush_all()
    out = {}
    # the small run: the other customers out of the planned tiers for now
    cr.execute(
        "CREATE TEMP TABLE bench_tiers AS SELECT id, customer_tier_id FROM res_partner "
        "WHERE id = ANY(%s)",
        [partner_ids[small:]],
    )
    standard = env.ref("field_service_sla.tier_standard").id
    cr.execute(
        "UPDATE res_partner SET customer_tier_id = %s WHERE id = ANY(%s)",
        [standard, partner_ids[small:]],
    )
    env.invalidate_all()

    def run():
        created = all_plans._generate(start)
        env.flush_all()
        return created

    for label in ("small", "all", "again"):
        if label == "all":
            cr.execute(
                "UPDATE res_partner p SET customer_tier_id = b.customer_tier_id "
                "FROM bench_tiers b WHERE b.id = p.id"
            )
            env.invalidate_all()
        before = counts(cr)
        created, wall, queries = measure(cr, run)
        after = counts(cr)
        out[label] = {
            "wall_s": wall,
            "queries": queries,
            "created": len(created),
            "orders": after[1] - before[1],
            "items": after[2] - before[2],
            "readings": after[3] - before[3],
        }
        env.invalidate_all()
    cr.execute(
        "SELECT count(*) FROM (SELECT plan_id, location_id, planned_date "
        "FROM fs_inspection GROUP BY 1, 2, 3 HAVING count(*) > 1) d"
    )
    out["duplicates"] = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM fs_inspection i JOIN fsm_order o "
        "ON o.id = i.fsm_order_id WHERE o.location_id = i.location_id"
    )
    out["orders_at_their_site"] = cr.fetchone()[0]
    return out


def verdict(ok):
    return "OK" if ok else "MISSED"


def report(results):
    gen = results["generate"]
    small, big, again = gen["small"], gen["all"], gen["again"]
    n, m = results["small"], results["customers"]
    # the target is the month of all the customers: both runs
    month = small["wall_s"] + big["wall_s"]
    print(
        f"\n{m} customers (one site each), {results['lines']} service lines "
        f"(filled by SQL in {results['fill_s']:.1f} s); one monthly plan per tier\n"
    )

    def what(r):
        return (
            f"{r['created']} inspections, {r['orders']} orders, "
            f"{r['items']} checks, {r['readings']} readings"
        )

    table(
        [
            ("what", "wall", "queries", "", "verdict"),
            (
                f"month of inspections, {n:,} customers",
                f"{small['wall_s']:.2f} s",
                small["queries"],
                what(small),
                "",
            ),
            (
                f"month of inspections, +{m - n:,} customers",
                f"{big['wall_s']:.2f} s",
                big["queries"],
                what(big),
                "",
            ),
            (
                f"a month for {m:,} customers (sum)",
                f"{month:.2f} s",
                small["queries"] + big["queries"],
                "",
                f"<= {TARGET_S:.0f} s: {verdict(month <= TARGET_S)}",
            ),
            (
                "generate again",
                f"{again['wall_s']:.2f} s",
                again["queries"],
                f"{again['created']} created, {gen['duplicates']} duplicates",
                "nothing twice: "
                + verdict(again["created"] == 0 and not gen["duplicates"]),
            ),
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
    parser.add_argument("--small", type=int, default=1_000)
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    install(args.config, DB)
    results = {"args": vars(args), "customers": args.customers, "small": args.small}
    with Registry(DB).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids, lines, fill_s = fill(env, args.customers)
        cr.commit()
        results.update(lines=lines, fill_s=fill_s)
        results["generate"] = bench_generate(env, partner_ids, args.small)
        cr.rollback()
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
