#!/usr/bin/env python3
"""Performance benchmark of the escalation sweep (README.md beside this file).

On a fresh database with field_service_sla (no demo):
  1. ticket creation with the shipped ladders active vs archived, in the three
     modes of bench_sla.py (the escalation's own cost at creation);
  2. 100,000 open tickets, nothing due: the sweep's wall time and the server
     time of its one SELECT (EXPLAIN ANALYZE), target at most 5 ms;
  3. 10,000 tickets with a step due at once, each step scheduling an
     activity, posting a note, queueing e-mails and SMS: total time (target
     at most 10 s) and the queries of each batch, which must not grow with
     the batch size (batches of 100 and of the engine's size compared).
Prints a table, writes benchmark-results/bench_escalation.json, drops its
database.
"""

import argparse
import os
import re
import statistics
import time
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from bench_sla import MODES, Probe
from benchlib import finish, install

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_escalation.json"
DB = os.environ.get("BENCH_DB", "benchesc")
TARGETS = {"idle_server_ms": 5.0, "due_s": 10.0}
CUSTOMERS = 300
MANAGERS = 30
TEMPLATE_TICKETS = 300
CREATE_BATCH = 250
ROUNDS = 4
REPEATS = 7


def environment(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def committing(env):
    """The cron progress API outside a cron commits: so does the sweep here."""
    return patch.object(
        type(env["ir.cron"]),
        "_commit_progress",
        lambda self, processed=0, *, remaining=None, deactivate=False: (
            self.env.cr.commit() or float("inf")
        ),
    )


# ----------------------------------------------------------------------------
# fixture
# ----------------------------------------------------------------------------
def fixture(env):
    """Customers of every enterprise tier with their account managers, one
    team with its leader and shift lead, a distribution list of 4 numbers."""
    users = env["res.users"].create(
        [
            {
                "name": f"Manager {n:02d}",
                "login": f"bench_am_{n}",
                "email": f"am{n}@example.com",
            }
            for n in range(MANAGERS + 2)
        ]
    )
    leader, shift, managers = users[0], users[1], users[2:]
    env.company.fs_department_head_ids = managers[:3]
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench NOC", "user_id": leader.id, "fs_shift_lead_id": shift.id}
    )
    tiers = [
        env.ref(f"field_service_sla.{x}").id
        for x in ("tier_gold", "tier_gold", "tier_silver", "tier_standard")
    ]
    levels = [env.ref(f"field_service_sla.{x}").id for x in ("level_aaa", "level_aa")]
    internet = env.ref("field_service_sla.service_type_internet_line").id
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {n:03d}",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": tiers[n % len(tiers)],
                "account_manager_id": managers[n % MANAGERS].id,
            }
            for n in range(CUSTOMERS)
        ]
    )
    lines = env["fs.service.line"].create(
        [
            {
                "circuit_ref": f"BENCH-{n:04d}",
                "partner_id": partner.id,
                "service_type_id": internet,
                "assurance_level_id": levels[n % 2],
            }
            for n, partner in enumerate(partners)
        ]
    )
    sms_list = env["fs.sms.list"].create(
        {
            "name": "Bench bulletins",
            "number_ids": [
                Command.create({"number": f"1350000000{k}"}) for k in range(4)
            ],
        }
    )
    dispatcher = env["res.users"].create(
        {
            "name": "Bench dispatcher",
            "login": "bench_dispatcher",
            "email": "dispatcher@example.com",
            "group_ids": [
                Command.set([env.ref("field_service_sla.group_fs_dispatcher").id])
            ],
        }
    )
    return {
        "team": team.id,
        "lines": lines.ids,
        "list": sms_list.id,
        "dispatcher": dispatcher.id,
    }


def ticket_values(fx, first, count):
    return [
        {
            "name": f"Link down {n}",
            "description": f"<p>Alarm on circuit {n % len(fx['lines'])}</p>",
            "team_id": fx["team"],
            "service_line_id": fx["lines"][n % len(fx["lines"])],
        }
        for n in range(first, first + count)
    ]


# ----------------------------------------------------------------------------
# 1. creation
# ----------------------------------------------------------------------------
def bench_create(fx, tickets):
    """The same batches with the shipped ladders active and archived, in
    alternating rounds. A new ticket is due for an escalation look by its
    column default: creating it writes nothing more."""
    registry = Registry(DB)
    with registry.cursor() as cr:
        ladders = environment(cr)["fs.escalation.ladder"].search([]).ids
    result = {}
    for mode, how in MODES.items():
        uid = fx["dispatcher"] if how["user"] else SUPERUSER_ID
        probes = {"active": [], "archived": []}
        created = 0
        for round_ in range(ROUNDS * 2 + 1):
            state = "active" if round_ % 2 else "archived"
            with registry.cursor() as cr:
                environment(cr)["fs.escalation.ladder"].with_context(
                    active_test=False
                ).browse(ladders).write({"active": state == "active"})
            with registry.cursor() as cr, Probe(cr) as probe:
                env = api.Environment(cr, uid, {})
                env["helpdesk.ticket"].with_context(**how["context"]).create(
                    ticket_values(fx, created, tickets)
                )
                cr.commit()
            created += tickets
            if round_:  # the first is a warm-up
                probes[state].append(probe)
        active = sum(p.wall_s for p in probes["active"])
        archived = sum(p.wall_s for p in probes["archived"])
        result[mode] = {
            "tickets_per_batch": tickets,
            "ratio": active / archived,
            "median_ratio": statistics.median(
                a.wall_s / b.wall_s
                for a, b in zip(probes["active"], probes["archived"], strict=True)
            ),
            "queries_per_ticket_active": sum(p.queries for p in probes["active"])
            / (tickets * ROUNDS),
            "queries_per_ticket_archived": sum(p.queries for p in probes["archived"])
            / (tickets * ROUNDS),
            "ms_per_ticket_active": 1000 * active / (tickets * ROUNDS),
        }
    with registry.cursor() as cr:
        environment(cr)["fs.escalation.ladder"].with_context(active_test=False).browse(
            ladders
        ).write({"active": True})
    return result


# ----------------------------------------------------------------------------
# 2. 100,000 open tickets, nothing due
# ----------------------------------------------------------------------------
def fill(env, fx, total):
    """ORM tickets of every customer, swept once (the shipped ladders do what
    they do on a new ticket), then copied by SQL up to ``total`` open
    tickets, each with its next check within the next five days."""
    tickets = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True
    )
    tickets.create(ticket_values(fx, 0, TEMPLATE_TICKETS))
    env.cr.commit()
    with committing(env):
        env["fs.escalation.engine"]._sweep()
    cr = env.cr
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket' AND column_name <> 'id'
        """
    )
    columns = [row[0] for row in cr.fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    started = time.perf_counter()
    cr.execute("SELECT count(*) FROM helpdesk_ticket")
    have = cr.fetchone()[0]
    while have < total:
        copies = min(20_000 // TEMPLATE_TICKETS, -(-(total - have) // TEMPLATE_TICKETS))
        cr.execute(
            f"""
            INSERT INTO helpdesk_ticket ({names})
            SELECT {names} FROM helpdesk_ticket,
                   generate_series(1, %s)
             WHERE id IN (SELECT id FROM helpdesk_ticket ORDER BY id LIMIT %s)
             LIMIT %s
            """,
            (copies, TEMPLATE_TICKETS, total - have),
        )
        have += cr.rowcount
    cr.execute(
        """
        INSERT INTO fs_escalation_check AS c (ticket_id, next_check)
        SELECT id, %s + interval '1 hour' + (id %% 7200) * interval '1 minute'
          FROM helpdesk_ticket
        ON CONFLICT (ticket_id) DO UPDATE SET next_check = excluded.next_check
        """,
        (fields.Datetime.now(),),
    )
    cr.commit()
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE fs_escalation_check")
    cr.execute(
        "SELECT count(*) FROM helpdesk_ticket t JOIN helpdesk_ticket_stage s"
        " ON s.id = t.stage_id WHERE NOT s.closed"
    )
    return {"open_tickets": cr.fetchone()[0], "fill_s": time.perf_counter() - started}


def bench_idle(env):
    engine = env["fs.escalation.engine"]
    walls, queries, server = [], [], []
    with committing(env):
        for _run in range(REPEATS):
            with Probe(env.cr, keep=True) as probe:
                done = engine._sweep()
            assert done == 0, f"{done} tickets swept with nothing due"
            walls.append(probe.wall_s)
            queries.append(probe.queries)
    select, params = next(
        (q, p) for q, p, _d in probe.statements if "next_check <=" in q
    )
    for _run in range(REPEATS):
        env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + select, params)
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        env.cr.rollback()
        server.append(float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)))
    return {
        "median_wall_ms": 1000 * statistics.median(walls),
        "queries": max(queries),
        "median_server_ms": statistics.median(server),
        "plan": plan,
    }


# ----------------------------------------------------------------------------
# 3. 10,000 steps due at once
# ----------------------------------------------------------------------------
def busy_ladder(env, fx):
    """One step on the first look at a ticket doing what a storm of steps
    does: an activity for the account manager, the escalation e-mail to the
    account manager, a start bulletin to 4 numbers, an internal note."""
    role = env.ref("field_service_sla.escalation_role_account_manager")
    ladder = env["fs.escalation.ladder"].create(
        {
            "name": "Bench: everything at once",
            "step_ids": [
                Command.create(
                    {
                        "name": "Everything",
                        "trigger": "severity",
                        "severity": "general",
                        "activity_role_ids": [Command.set(role.ids)],
                        "activity_type_id": env.ref(
                            "field_service_sla.mail_activity_type_escalation"
                        ).id,
                        "mail_template_id": env.ref(
                            "field_service_sla.mail_template_escalation_notice"
                        ).id,
                        "mail_role_ids": [Command.set(role.ids)],
                        "sms_list_id": fx["list"],
                        "sms_kind": "start",
                        "note": "Escalated by the benchmark.",
                    }
                )
            ],
        }
    )
    env.cr.commit()
    return ladder


def make_due(env, count, seed):
    """``count`` open tickets due now, the others in the future."""
    cr = env.cr
    now = fields.Datetime.now()
    cr.execute(
        "UPDATE fs_escalation_check SET next_check = %s + interval '1 day'",
        (now,),
    )
    cr.execute("SELECT setseed(%s)", (seed,))
    cr.execute(
        """
        UPDATE fs_escalation_check SET next_check = %s
         WHERE ticket_id IN (
                SELECT id FROM helpdesk_ticket
                 WHERE id NOT IN (SELECT ticket_id FROM fs_escalation_fired)
              ORDER BY random() LIMIT %s)
        """,
        (now - timedelta(minutes=1), count),
    )
    cr.commit()
    cr.execute("ANALYZE fs_escalation_check")


def bench_due(env, count, batch, seed):
    make_due(env, count, seed)
    env.invalidate_all()
    counts_before = census(env)
    batches = []
    cr = env.cr

    def progress(self, processed=0, *, remaining=None, deactivate=False):
        batches.append(cr.sql_log_count)
        cr.commit()
        return float("inf")

    with (
        patch.object(type(env["ir.cron"]), "_commit_progress", progress),
        Probe(cr) as probe,
    ):
        start = cr.sql_log_count
        done = env["fs.escalation.engine"]._sweep(batch_size=batch)
    per_batch = [b - a for a, b in zip([start, *batches], batches, strict=False)]
    after = census(env)
    return {
        "due": count,
        "batch_size": batch,
        "swept": done,
        "wall_s": probe.wall_s,
        "sql_s": probe.sql_s,
        "cpu_s": probe.cpu_s,
        "queries": probe.queries,
        "batches": len(per_batch),
        "queries_per_batch": per_batch,
        "created": {k: after[k] - counts_before[k] for k in after},
    }


def census(env):
    cr = env.cr
    out = {}
    for key, sql in (
        ("fired", "SELECT count(*) FROM fs_escalation_fired"),
        ("activities", "SELECT count(*) FROM mail_activity"),
        ("mails", "SELECT count(*) FROM mail_mail"),
        ("sms", "SELECT count(*) FROM sms_sms"),
        ("notes", "SELECT count(*) FROM mail_message WHERE model = 'helpdesk.ticket'"),
    ):
        cr.execute(sql)
        out[key] = cr.fetchone()[0]
    return out


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------
def verdict(ok):
    return "ok" if ok else "MISSED"


def report(results):
    print("\nticket creation, shipped ladders active vs archived (same database)")
    for mode, m in results["create"].items():
        print(
            f"  {mode:9s} {m['ms_per_ticket_active']:.2f} ms/ticket; ratio "
            f"{m['median_ratio']:.2f}x (median of rounds), {m['ratio']:.2f}x "
            f"(total); queries/ticket {m['queries_per_ticket_active']:.2f} vs "
            f"{m['queries_per_ticket_archived']:.2f}"
        )
    idle = results["idle"]
    print(
        f"\nsweep, {results['fill']['open_tickets']} open tickets, nothing due: "
        f"wall {idle['median_wall_ms']:.2f} ms, {idle['queries']} queries, "
        f"server {idle['median_server_ms']:.3f} ms (EXPLAIN) -> target <= "
        f"{TARGETS['idle_server_ms']} ms: "
        f"{verdict(idle['median_server_ms'] <= TARGETS['idle_server_ms'])}"
    )
    print(idle["plan"])
    for run in results["due"]:
        print(
            f"\n{run['due']} steps due, batches of {run['batch_size']}: "
            f"{run['wall_s']:.2f} s (SQL {run['sql_s']:.2f} s, this process's CPU "
            f"{run['cpu_s']:.2f} s), {run['queries']} "
            f"queries in {run['batches']} batches -> target <= "
            f"{TARGETS['due_s']} s: {verdict(run['wall_s'] <= TARGETS['due_s'])}"
        )
        full = run["queries_per_batch"][:-1] or run["queries_per_batch"]
        print(
            f"  queries per batch: min {min(full)}, max {max(full)} "
            f"(last batch {run['queries_per_batch'][-1]})"
        )
        print(f"  created: {run['created']}")


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
    parser.add_argument("--create-tickets", type=int, default=CREATE_BATCH)
    parser.add_argument(
        "--batch", type=int, help="sweep batch of the due run (the engine's default)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    install(args.config, DB)
    results = {"args": vars(args)}
    with Registry(DB).cursor() as cr:
        env = environment(cr)
        fx = fixture(env)
        cr.commit()
    results["create"] = bench_create(fx, args.create_tickets)
    with Registry(DB).cursor() as cr:
        env = environment(cr)
        results["fill"] = fill(env, fx, args.open_tickets)
        results["idle"] = bench_idle(env)
        busy_ladder(env, fx)
        small = min(args.due, 2_000)
        results["due"] = [
            bench_due(env, small, 100, 0.1),
            bench_due(
                env,
                args.due,
                args.batch or env["fs.escalation.engine"]._batch_size(),
                0.2,
            ),
        ]
    finish(results, started, report, RESULTS, DB, args.keep)


if __name__ == "__main__":
    main()
