#!/usr/bin/env python3
"""Performance benchmark of the service-line import (README.md beside this file).

On an existing database with field_service_sla installed (``--database``),
inside one transaction that is rolled back at the end (nothing stays):
a customer and a CSV of ``--rows`` service lines (default 50,000: circuit,
customer, service type, level, cross-city) go through the import screen's
call, ``base_import.import.execute_import``, as the screen sends it (batches
of 2,000 rows asked for):
  1. the screen's test run (dryrun): time, queries, messages;
  2. the import: time, queries, lines created, rows still to send (must be
     none: the whole file in one call);
  3. the same file with an error in its last row: time, lines written (must
     be none).
Prints a table and writes benchmark-results/bench_line_import.json.
"""

import argparse
import json
import os
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_line_import.json"
HEADER = ["Circuit ID", "Customer", "Service type", "Level", "Cross-city"]
FIELDS = [
    "circuit_ref",
    "partner_id",
    "service_type_id",
    "assurance_level_id",
    "cross_city",
]
OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "limit": 2000,
    "skip": 0,
}


def csv_file(env, rows, bad_last=False):
    st = env.ref("field_service_sla.service_type_internet_line").name
    level = env.ref("field_service_sla.level_aa").name
    lines = [",".join(HEADER)]
    for n in range(rows):
        lines.append(
            f"BENCH-IMP-{n:06d},Bench Import Customer,{st},{level},{n % 7 == 0}"
        )
    if bad_last:
        lines[-1] = lines[-1].replace(f",{level},", ",NO SUCH LEVEL,")
    return "\n".join(lines).encode()


def run(env, data, dryrun):
    wizard = env["base_import.import"].create(
        {
            "res_model": "fs.service.line",
            "file": data,
            "file_name": "lines.csv",
            "file_type": "text/csv",
        }
    )
    env.flush_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    result = wizard.execute_import(FIELDS, HEADER, dict(OPTIONS), dryrun=dryrun)
    env.flush_all()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "queries": env.cr.sql_log_count - queries,
        "created": len(result["ids"] or []),
        "messages": len(result["messages"]),
        "first_message": (result["messages"] or [{}])[0].get("message"),
        "nextrow": result["nextrow"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
        help="Odoo config file reaching the PostgreSQL (default: $ODOO_RC)",
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    results = {"rows": args.rows}
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        env["res.partner"].create({"name": "Bench Import Customer", "is_company": True})
        good = csv_file(env, args.rows)
        results["dryrun"] = run(env, good, dryrun=True)
        results["import"] = run(env, good, dryrun=False)
        cr.execute("SAVEPOINT bench_clean")
        env["fs.service.line"].search(
            [("circuit_ref", "=like", "BENCH-IMP-%")]
        ).unlink()
        results["error_in_last_row"] = run(env, csv_file(env, args.rows, True), False)
        results["error_in_last_row"]["lines_written"] = env[
            "fs.service.line"
        ].search_count([("circuit_ref", "=like", "BENCH-IMP-%")])
        cr.rollback()
    print(f"{'step':<20}{'seconds':>9}{'queries':>9}{'created':>9}{'messages':>9}")
    for step in ("dryrun", "import", "error_in_last_row"):
        r = results[step]
        print(
            f"{step:<20}{r['seconds']:>9}{r['queries']:>9}{r['created']:>9}{r['messages']:>9}"
        )
    print("last-row error:", results["error_in_last_row"]["first_message"])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
