#!/usr/bin/env python3
"""Performance benchmark of field_service_sla (see README.md beside this file).

Measures, on three fresh databases (plain helpdesk; helpdesk + field_service_sla;
helpdesk + OCA helpdesk_mgmt_sla for comparison):
  1. the cost of creating tickets, SLA and OCA vs base (time and SQL queries),
     in three modes: as superuser with the chatter on, in bulk with tracking
     and the creation message off, and as a normal internal user;
  2. whether the queries per created ticket grow with the number of policies;
  3. the breach sweep over 100,000 open tickets, with nothing due and with
     10,000 milestones newly overdue.
Prints a table, writes benchmark-results/bench_sla.json, drops its databases.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from benchlib import drop_database

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "benchmark-results" / "bench_sla.json"
# databases bench_base, bench_sla, bench_oca (another prefix: $BENCH_DB_PREFIX)
PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")
BASE_DB, SLA_DB, OCA_DB = f"{PREFIX}_base", f"{PREFIX}_sla", f"{PREFIX}_oca"
BASE_MODULES = "helpdesk_mgmt,helpdesk_mgmt_fieldservice"
SLA_MODULES = "field_service_sla"
OCA_MODULES = "helpdesk_mgmt_sla,helpdesk_mgmt_fieldservice"
DATABASES = {"base": BASE_DB, "sla": SLA_DB, "oca": OCA_DB}
# How tickets are created: who creates them, and with which context.
MODES = {
    # an administrator or a script with the chatter on
    "superuser": {"user": None, "context": {}},
    # imports and integrations: no tracking, no creation message, no followers
    "bulk": {
        "user": None,
        "context": {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
        },
    },
    # a dispatcher (SLA database) or helpdesk user (others), chatter on:
    # access rights and record rules apply
    "user": {"user": "bench_dispatcher", "context": {}},
}
BATCH = 1000
# Ticket creation runs in small batches, one per database in turn, so that
# the load of other processes on a shared machine hits every database alike;
# each mode starts with an unmeasured batch per database to warm the caches.
CREATE_BATCH = 250
WARM_UP = 50
SMALL_BATCH = 100
EXTRA_POLICIES = 100
OVERDUE = 10_000
SWEEP_REPEATS = 7
TARGETS = {
    "create_time_ratio": 1.1,
    "idle_sweep_ms": 50,
    "breach_sweep_s": 2.0,
}

# Customers of the SLA database: (tier xmlid, how many, levels their lines get).
ENTERPRISE = [
    ("tier_province", 10, ["level_aaa", "level_aa"]),
    ("tier_diamond", 30, ["level_aaa", "level_aa"]),
    ("tier_gold", 50, ["level_aa", "level_a"]),
    ("tier_silver", 50, ["level_a", "level_standard"]),
    ("tier_standard", 60, ["level_standard"]),
]
ENTERPRISE_TYPES = [
    "service_type_internet_line",
    "service_type_data_line",
    "service_type_voice_line",
    "service_type_gprs_apn",
    "service_type_group_sms",
    "service_type_iplc_dplc",
]
HOME_CUSTOMERS = 300
HOME_TYPES = [
    "service_type_home_broadband",
    "service_type_fixed_phone",
    "service_type_iptv",
]
PRIORITIES = (["0"] * 2) + (["1"] * 5) + (["2"] * 2) + ["3"]
FAULTS = ["Link down", "Packet loss", "No dial tone", "Slow throughput", "Flapping"]


# ----------------------------------------------------------------------------
# databases
# ----------------------------------------------------------------------------
def create_databases(conf):
    """Install the three databases side by side."""
    for db in DATABASES.values():
        drop_database(db)
    with tempfile.TemporaryDirectory() as logs:
        jobs = {}
        for db, modules in (
            (BASE_DB, BASE_MODULES),
            (SLA_DB, SLA_MODULES),
            (OCA_DB, OCA_MODULES),
        ):
            log = Path(logs, f"{db}.log")
            cmd = [sys.executable, "-m", "odoo", "server", "-c", conf,
                   f"--addons-path={REPO}", "-d", db, "-i", modules,
                   "--stop-after-init", "--log-level=warn"]  # fmt: skip
            with log.open("w") as out:
                process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
            jobs[db] = (process, log)
        for db, (process, log) in jobs.items():
            if process.wait():
                sys.exit(f"installing {db} failed:\n{log.read_text()[-5000:]}")


@contextmanager
def environment(db, uid=SUPERUSER_ID):
    """An environment (superuser by default) on a new cursor, committed on
    success."""
    with Registry(db).cursor() as cr:
        yield api.Environment(cr, uid, {})


class Probe:
    """Wall time, query count and time spent in SQL calls on one cursor.

    Odoo calls each of the thread's ``query_hooks`` after every statement with
    its text, parameters and duration: that gives the SQL time and, with
    ``keep``, the statements themselves."""

    def __init__(self, cr, keep=False):
        self.cr, self.keep = cr, keep
        self.statements, self.sql_s = [], 0.0

    def _hook(self, cr, query, params, start, delay):
        if cr is self.cr:
            self.sql_s += delay
            if self.keep:
                self.statements.append((query, params, delay))

    def __enter__(self):
        threading.current_thread().query_hooks = [self._hook]
        self._queries = self.cr.sql_log_count
        self._start = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall_s = time.perf_counter() - self._start
        self.cpu_s = time.process_time() - self._cpu
        self.queries = self.cr.sql_log_count - self._queries
        del threading.current_thread().query_hooks


# ----------------------------------------------------------------------------
# data: the same customers and ticket values in both databases
# ----------------------------------------------------------------------------
def customer_plan():
    """(partner values, SLA-only partner values, [(service type, level)])."""
    rng = random.Random(7)
    plan = []
    for tier, count, levels in ENTERPRISE:
        for n in range(count):
            name = f"{tier[5:].title()} Group {n + 1:03d}"
            partner = {"name": name, "is_company": True,
                       "email": f"noc@{tier[5:]}{n + 1}.example.com"}  # fmt: skip
            sla = {"customer_segment": "enterprise", "customer_tier_id": tier}
            lines = [
                (rng.choice(ENTERPRISE_TYPES), rng.choice(levels))
                for _line in range(rng.randint(1, 4))
            ]
            plan.append((partner, sla, lines))
    for n in range(HOME_CUSTOMERS):
        partner = {"name": f"Home subscriber {n + 1:03d}",
                   "email": f"home{n + 1}@example.com"}  # fmt: skip
        sla = {"customer_segment": "home", "customer_tier_id": "tier_home"}
        plan.append((partner, sla, [(rng.choice(HOME_TYPES), "level_standard")]))
    return plan


class Fixture:
    """One database's customers, team and user, and its ticket values for a
    given slot list.

    A slot is one service line of the plan; in the other databases it stands
    for the same customer, without the line. Every ticket goes to one team:
    OCA helpdesk_mgmt_sla only applies SLAs to the tickets of a team that
    uses them."""

    def __init__(self, env, kind):
        self.db, self.kind, self.sla = env.cr.dbname, kind, kind == "sla"
        self.created = 0  # tickets created so far: the next batch's first index
        self.slots = []  # (partner id, service line id or None, circuit ref)
        self.team_id = self._team(env)
        self.user_id = self._user(env)
        sla = self.sla
        circuit = 0
        for partner_vals, sla_vals, lines in customer_plan():
            vals = dict(partner_vals)
            if sla:
                vals["customer_segment"] = sla_vals["customer_segment"]
                vals["customer_tier_id"] = self._ref(env, sla_vals["customer_tier_id"])
            partner = env["res.partner"].create(vals)
            for service_type, level in lines:
                circuit += 1
                ref = f"CIR-{circuit:05d}"
                line_id = None
                if sla:
                    line_id = (
                        env["fs.service.line"]
                        .create(
                            {
                                "circuit_ref": ref,
                                "partner_id": partner.id,
                                "service_type_id": self._ref(env, service_type),
                                "assurance_level_id": self._ref(env, level),
                            }
                        )
                        .id
                    )
                self.slots.append((partner.id, line_id, ref))

    @staticmethod
    def _ref(env, xmlid):
        return env.ref(f"field_service_sla.{xmlid}").id

    def _team(self, env):
        team = env["helpdesk.ticket.team"].create({"name": "Network operations"})
        if self.kind == "oca":
            # the same job as the SLA database's policies: three timed
            # targets per ticket on a working calendar
            team.use_sla = True
            stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
            done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            env["helpdesk.sla"].create(
                [
                    {"name": name, "team_ids": [Command.set(team.ids)],
                     "stage_id": target.id, "hours": hours_, "days": days}
                    for name, target, hours_, days in (
                        ("Contact", stage, 2, 0),
                        ("Restored", done, 8, 0),
                        ("Resolved", done, 0, 2),
                    )
                ]
            )  # fmt: skip
        return team.id

    def _user(self, env):
        group = (
            "field_service_sla.group_fs_dispatcher"
            if self.sla
            else "helpdesk_mgmt.group_helpdesk_user"
        )
        return (
            env["res.users"]
            .create(
                {
                    "name": "Bench dispatcher",
                    "login": "bench_dispatcher",
                    "email": "dispatcher@example.com",
                    "group_ids": [Command.set([env.ref(group).id])],
                }
            )
            .id
        )

    def vals(self, specs):
        vals_list = []
        for slot, priority, fault in specs:
            partner_id, line_id, ref = self.slots[slot]
            vals = {
                "name": f"{fault} on {ref}",
                "description": f"<p>{fault} reported by the customer on circuit "
                f"{ref}; the NOC sees alarms on the access side.</p>",
                "partner_id": partner_id,
                "priority": priority,
                "team_id": self.team_id,
            }
            if self.sla:
                vals["service_line_id"] = line_id
            vals_list.append(vals)
        return vals_list


def ticket_specs(first, count, slots):
    """Ticket ``first`` .. ``first + count - 1``: (slot, priority, fault),
    the same in both databases."""
    rng = random.Random(first)
    return [
        (rng.randrange(slots), rng.choice(PRIORITIES), rng.choice(FAULTS))
        for _n in range(count)
    ]


def create_batch(fixture, count, context=None, as_user=False):
    """Create the next ``count`` tickets in one create() call and commit:
    a Probe."""
    specs = ticket_specs(fixture.created, count, len(fixture.slots))
    uid = fixture.user_id if as_user else SUPERUSER_ID
    with environment(fixture.db, uid) as env, Probe(env.cr) as probe:
        tickets = env["helpdesk.ticket"].with_context(**(context or {}))
        tickets.create(fixture.vals(specs))
        env.cr.commit()
    fixture.created += count
    return probe


# ----------------------------------------------------------------------------
# 1. ticket creation, SLA and OCA vs base, in each mode
# ----------------------------------------------------------------------------
def bench_create(fixtures, tickets):
    """Create ``tickets`` per mode in every database, in rounds of one small
    batch per database (in a rotating order) so that a load change on the
    machine hits them alike. The median of the per-round ratios is the figure
    least moved by other processes."""
    result = {}
    names = list(fixtures)
    for mode, how in MODES.items():
        options = {"context": how["context"], "as_user": how["user"] is not None}
        for name in names:
            create_batch(fixtures[name], WARM_UP, **options)
        batches = {name: [] for name in names}
        for n, first in enumerate(range(0, tickets, CREATE_BATCH)):
            for name in names[n % 3 :] + names[: n % 3]:
                batches[name].append(
                    create_batch(
                        fixtures[name], min(CREATE_BATCH, tickets - first), **options
                    )
                )
        figures = {}
        for name, probes in batches.items():
            wall = sum(p.wall_s for p in probes)
            queries = sum(p.queries for p in probes)
            figures[name] = {
                "tickets": tickets,
                "wall_s": wall,
                "sql_s": sum(p.sql_s for p in probes),
                "cpu_s": sum(p.cpu_s for p in probes),
                "queries": queries,
                "ms_per_ticket": 1000 * wall / tickets,
                "queries_per_ticket": queries / tickets,
                "batch_wall_s": [round(p.wall_s, 3) for p in probes],
            }
        for name in ("sla", "oca"):
            figures[f"{name}_time_ratio"] = (
                figures[name]["wall_s"] / figures["base"]["wall_s"]
            )
            figures[f"{name}_median_batch_time_ratio"] = statistics.median(
                s.wall_s / b.wall_s
                for s, b in zip(batches[name], batches["base"], strict=True)
            )
            figures[f"{name}_cpu_ratio"] = (
                figures[name]["cpu_s"] / figures["base"]["cpu_s"]
            )
            figures[f"{name}_query_ratio"] = (
                figures[name]["queries"] / figures["base"]["queries"]
            )
        result[mode] = figures
    with environment(SLA_DB) as env:
        result["clocks"] = clock_census(env)
    with environment(OCA_DB) as env:
        env.cr.execute(
            "SELECT count(*), (SELECT count(*) FROM helpdesk_ticket_sla)"
            " FROM helpdesk_ticket"
        )
        oca_tickets, oca_slas = env.cr.fetchone()
        result["oca_slas"] = {"tickets": oca_tickets, "ticket_slas": oca_slas}
    return result


def clock_census(env):
    """Clocks created vs the milestones of each ticket's policy."""
    env.cr.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE t.sla_policy_id IS NULL),
               coalesce(sum(m.n), 0),
               (SELECT count(*) FROM fs_sla_clock)
          FROM helpdesk_ticket t
     LEFT JOIN (SELECT policy_id, count(*) AS n
                  FROM fs_sla_milestone GROUP BY policy_id) m
            ON m.policy_id = t.sla_policy_id
        """
    )
    tickets, without_policy, expected, clocks = env.cr.fetchone()
    env.cr.execute("SELECT state, count(*) FROM fs_sla_clock GROUP BY state")
    return {
        "tickets": tickets,
        "tickets_without_policy": without_policy,
        "expected": int(expected),
        "created": clocks,
        "by_state": dict(env.cr.fetchall()),
    }


# ----------------------------------------------------------------------------
# 2. queries per ticket vs number of policies
# ----------------------------------------------------------------------------
def bench_policies(fixture):
    """Queries per ticket with the shipped policies, then with EXTRA_POLICIES
    more. Each measure first creates a small unmeasured batch so that Odoo's
    caches are warm, then a SMALL_BATCH and a BATCH: the slope between the two
    is the per-ticket cost, free of per-batch constants (one query more to
    read more policies is not a per-ticket cost)."""

    def measure():
        create_batch(fixture, SMALL_BATCH)
        small, large = create_batch(fixture, SMALL_BATCH), create_batch(fixture, BATCH)
        return {
            "queries_per_ticket": large.queries / BATCH,
            "ms_per_ticket": 1000 * large.wall_s / BATCH,
            "batch_queries": {SMALL_BATCH: small.queries, BATCH: large.queries},
            "queries_per_extra_ticket": (large.queries - small.queries)
            / (BATCH - SMALL_BATCH),
        }

    with environment(SLA_DB) as env:
        shipped = env["fs.sla.policy"].search_count([])
    before = measure()
    with environment(SLA_DB) as env:
        extra = add_policies(env)
    after = measure()
    with environment(SLA_DB) as env:
        # the extra policies are for teams the tickets do not use: same matches
        stray = env["helpdesk.ticket"].search_count(
            [("sla_policy_id", "in", extra.ids)]
        )
    return {
        "policies_before": shipped,
        "policies_after": shipped + len(extra),
        "before": before,
        "after": after,
        "grew": after["queries_per_extra_ticket"]
        > before["queries_per_extra_ticket"] + 0.005,
        "tickets_on_extra_policies": stray,
    }


def add_policies(env):
    """EXTRA_POLICIES active policies, each on a new team, three milestones."""
    levels = [
        env.ref(f"field_service_sla.{x}").id
        for x in ("level_aaa", "level_aa", "level_a", "level_standard")
    ]
    office = env.ref("field_service_sla.calendar_office").id
    teams = env["helpdesk.ticket.team"].create(
        [{"name": f"Bench team {k:03d}"} for k in range(EXTRA_POLICIES)]
    )
    return env["fs.sla.policy"].create(
        [
            {
                "name": f"Bench team {k:03d} policy",
                "sequence": 5,
                "segment": "enterprise",
                "team_ids": [Command.set(team.ids)],
                "level_ids": [Command.set([levels[k % len(levels)]])],
                "milestone_ids": [
                    Command.create(
                        {
                            "sequence": 10,
                            "kind": "contact",
                            "target_hours": 0.5,
                            "calendar_id": office if k % 2 else False,
                        }
                    ),
                    Command.create(
                        {"sequence": 20, "kind": "restored", "target_hours": 4}
                    ),
                    Command.create(
                        {"sequence": 30, "kind": "resolved", "target_hours": 24}
                    ),
                ],
            }
            for k, team in enumerate(teams)
        ]
    )


# ----------------------------------------------------------------------------
# 3. the breach sweep at scale
# ----------------------------------------------------------------------------
def fill_open_tickets(fixture, total):
    """Top the SLA database up to ``total`` tickets with the ORM, then spread
    every running deadline over the next five days: the tickets created early
    in this run would otherwise already be overdue (targets start at 15 min).

    These tickets are set-up, not measured: they skip the chatter (creation
    message, tracking, notifications), two thirds of the cost of a ticket and
    nothing the sweep reads. Their SLA policy and clocks come from the same
    create() as above."""
    start, first = time.perf_counter(), fixture.created
    quiet = {"tracking_disable": True, "mail_create_nolog": True}
    while fixture.created < total:
        create_batch(fixture, min(BATCH, total - fixture.created), quiet)
    with environment(SLA_DB) as env:
        env.cr.execute(
            """
            UPDATE fs_sla_clock
               SET deadline = %s + interval '1 hour'
                              + (id %% 7200) * interval '1 minute'
             WHERE state = 'running'
            """,
            (fields.Datetime.now(),),
        )
        env.cr.execute("SELECT id FROM helpdesk_ticket")
        ticket_ids = [row[0] for row in env.cr.fetchall()]
        env["fs.sla.engine"]._refresh_summary(ticket_ids)
        env.cr.commit()
        env.cr.execute("ANALYZE fs_sla_clock")
        env.cr.execute("ANALYZE helpdesk_ticket")
        env.cr.execute(
            """
            SELECT count(DISTINCT c.ticket_id), count(*)
              FROM fs_sla_clock c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
             WHERE c.state = 'running' AND NOT s.closed
            """
        )
        open_tickets, running = env.cr.fetchone()
    return {
        "created": total - first,
        "wall_s": time.perf_counter() - start,
        "open_tickets_with_running_clocks": open_tickets,
        "running_clocks": running,
    }


def bench_idle_sweep():
    """The sweep with nothing due: the cron's wall time, and the server time
    of its UPDATE from EXPLAIN ANALYZE (rolled back)."""
    walls, queries, server_ms = [], [], []
    with environment(SLA_DB) as env:
        for _run in range(SWEEP_REPEATS):
            with Probe(env.cr, keep=True) as probe:
                marked = env["fs.sla.clock"]._cron_mark_breaches()
            assert marked == 0, f"{marked} tickets breached with nothing due"
            walls.append(probe.wall_s)
            queries.append(probe.queries)
        update, params = next(
            (q, p) for q, p, _d in probe.statements if "UPDATE fs_sla_clock" in q
        )
        for _run in range(SWEEP_REPEATS):
            env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + update, params)
            plan = "\n".join(row[0] for row in env.cr.fetchall())
            env.cr.rollback()
            server_ms.append(
                float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            )
    return {
        "runs": SWEEP_REPEATS,
        "median_wall_ms": 1000 * statistics.median(walls),
        "max_wall_ms": 1000 * max(walls),
        "queries": max(queries),
        "median_update_server_ms": statistics.median(server_ms),
        "plan": plan,
    }


def bench_breach_sweep():
    """Make OVERDUE running clocks (one per ticket, tickets drawn at random)
    overdue, run the sweep once, and check it marked exactly those."""
    with environment(SLA_DB) as env:
        env.cr.execute("SELECT setseed(0.42)")
        env.cr.execute(
            """
            SELECT id, ticket_id FROM (
                SELECT DISTINCT ON (ticket_id) id, ticket_id
                  FROM fs_sla_clock WHERE state = 'running'
              ORDER BY ticket_id, sequence) first_running
          ORDER BY random() LIMIT %s
            """,
            (OVERDUE,),
        )
        chosen = dict(env.cr.fetchall())
        env.cr.execute(
            """
            UPDATE fs_sla_clock
               SET deadline = %s - (1 + id %% 600) * interval '1 minute'
             WHERE id = ANY(%s)
            """,
            (fields.Datetime.now(), list(chosen)),
        )
    with environment(SLA_DB) as env:
        with Probe(env.cr, keep=True) as probe:
            marked = env["fs.sla.clock"]._cron_mark_breaches()
            env.cr.commit()
        env.cr.execute("SELECT id FROM fs_sla_clock WHERE state = 'breached'")
        breached_clocks = {row[0] for row in env.cr.fetchall()}
        env.cr.execute("SELECT id FROM helpdesk_ticket WHERE sla_state = 'breached'")
        breached_tickets = {row[0] for row in env.cr.fetchall()}
    return {
        "overdue_clocks": len(chosen),
        "tickets_marked": marked,
        "wall_s": probe.wall_s,
        "sql_s": probe.sql_s,
        "queries": probe.queries,
        "statements": [
            {"sql": " ".join(q.split())[:70], "ms": round(1000 * d, 1)}
            for q, _p, d in probe.statements
        ],
        "exactly_those_clocks_breached": breached_clocks == set(chosen),
        "exactly_their_tickets_breached": breached_tickets == set(chosen.values()),
    }


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------
def verdict(ok):
    return "ok" if ok else "MISSED"


def table(rows):
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print()


def report_create(create):
    limit = TARGETS["create_time_ratio"]
    rows = [("create tickets", "base", "sla", "oca", "sla/base", "oca/base")]
    for mode in MODES:
        m = create[mode]
        base, sla, oca = m["base"], m["sla"], m["oca"]
        rows += [
            (f"{mode}: {base['tickets']} tickets", "", "", "", "", ""),
            (
                "  median of per-round time ratios",
                "",
                "",
                "",
                (
                    f"{m['sla_median_batch_time_ratio']:.2f}x (target <= "
                    f"{limit}x: "
                    f"{verdict(m['sla_median_batch_time_ratio'] <= limit)})"
                ),
                f"{m['oca_median_batch_time_ratio']:.2f}x",
            ),
            (
                "  wall time, s",
                f"{base['wall_s']:.1f}",
                f"{sla['wall_s']:.1f}",
                f"{oca['wall_s']:.1f}",
                f"{m['sla_time_ratio']:.2f}x",
                f"{m['oca_time_ratio']:.2f}x",
            ),
            (
                "  this process's CPU, s",
                *(f"{f['cpu_s']:.1f}" for f in (base, sla, oca)),
                f"{m['sla_cpu_ratio']:.2f}x",
                f"{m['oca_cpu_ratio']:.2f}x",
            ),
            (
                "  ms per ticket",
                *(f"{f['ms_per_ticket']:.2f}" for f in (base, sla, oca)),
                "",
                "",
            ),
            (
                "  time in SQL calls, s",
                *(f"{f['sql_s']:.1f}" for f in (base, sla, oca)),
                "",
                "",
            ),
            (
                "  queries per ticket",
                *(f"{f['queries_per_ticket']:.2f}" for f in (base, sla, oca)),
                f"{m['sla_query_ratio']:.2f}x",
                f"{m['oca_query_ratio']:.2f}x",
            ),
        ]
    clocks, oca = create["clocks"], create["oca_slas"]
    rows.append(
        (
            "clocks created / expected",
            "",
            f"{clocks['created']} / {clocks['expected']}",
            f"{oca['ticket_slas']} SLA lines",
            f"tickets without policy: {clocks['tickets_without_policy']}",
            f"{oca['ticket_slas'] / max(oca['tickets'], 1):.2f} per ticket",
        )
    )
    table(rows)


def report(results):
    create, policies = results["create"], results["policies"]
    idle, breach = results["idle_sweep"], results["breach_sweep"]
    report_create(create)
    clocks = create["clocks"]
    print("clocks by state after creation:", clocks["by_state"], "\n")

    before, after = policies["before"], policies["after"]
    table(
        [
            (
                "policies",
                "active",
                f"queries/ticket @{BATCH}",
                "queries per extra ticket",
                f"ms/ticket @{BATCH}",
            ),
            *(
                (
                    label,
                    f"{count}",
                    f"{m['queries_per_ticket']:.3f}",
                    f"{m['queries_per_extra_ticket']:.3f}",
                    f"{m['ms_per_ticket']:.2f}",
                )
                for label, count, m in (
                    ("  shipped", policies["policies_before"], before),
                    (
                        f"  + {EXTRA_POLICIES} on unused teams",
                        policies["policies_after"],
                        after,
                    ),
                )
            ),
            (
                "  per-ticket queries grow?",
                "",
                "",
                (
                    f"{'yes' if policies['grew'] else 'no'} "
                    f"(target: no: {verdict(not policies['grew'])})"
                ),
                "",
            ),
        ]
    )

    idle_ok = idle["median_wall_ms"] <= TARGETS["idle_sweep_ms"]
    breach_ok = breach["wall_s"] <= TARGETS["breach_sweep_s"]
    exact = (
        breach["exactly_those_clocks_breached"]
        and breach["exactly_their_tickets_breached"]
    )
    fill = results["fill"]
    table(
        [
            (
                (
                    f"sweep, {fill['open_tickets_with_running_clocks']} open "
                    f"tickets, {fill['running_clocks']} running clocks"
                ),
                "wall",
                "SQL",
                "queries",
                "",
            ),
            (
                f"  nothing due (median of {idle['runs']})",
                f"{idle['median_wall_ms']:.2f} ms",
                f"{idle['median_update_server_ms']:.3f} ms (EXPLAIN)",
                f"{idle['queries']}",
                f"target <= {TARGETS['idle_sweep_ms']} ms: {verdict(idle_ok)}",
            ),
            (
                f"  {breach['overdue_clocks']} newly overdue",
                f"{breach['wall_s']:.3f} s",
                f"{breach['sql_s']:.3f} s",
                f"{breach['queries']}",
                f"target <= {TARGETS['breach_sweep_s']} s: {verdict(breach_ok)}",
            ),
            (
                "    tickets marked breached",
                f"{breach['tickets_marked']}",
                "",
                "",
                f"exactly those clocks and tickets: {verdict(exact)}",
            ),
        ]
    )
    print("idle sweep UPDATE plan (last EXPLAIN):\n" + idle["plan"] + "\n")
    print("breach sweep statements:")
    for statement in breach["statements"]:
        print(f"  {statement['ms']:9.1f} ms  {statement['sql']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        default=os.environ.get("ODOO_RC"),
        required="ODOO_RC" not in os.environ,
        help="Odoo config file reaching the PostgreSQL (default: $ODOO_RC)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--tickets", type=int, default=5_000, help="tickets per mode and database"
    )
    parser.add_argument(
        "--create-only",
        action="store_true",
        help="measure ticket creation only (no policies, no sweep)",
    )
    parser.add_argument("--open-tickets", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    config.parse_config(
        ["-c", args.config, f"--addons-path={REPO}", "--log-level=warn"]
    )
    results = {"args": vars(args)}

    create_databases(args.config)
    results["install_s"] = time.perf_counter() - started
    fixtures = {}
    for name, db in DATABASES.items():
        with environment(db) as env:
            fixtures[name] = Fixture(env, name)

    results["create"] = bench_create(fixtures, args.tickets)
    if args.create_only:
        report_create(results["create"])
        write_results(results, args)
        return
    results["policies"] = bench_policies(fixtures["sla"])
    results["fill"] = fill_open_tickets(fixtures["sla"], args.open_tickets)
    results["idle_sweep"] = bench_idle_sweep()
    results["breach_sweep"] = bench_breach_sweep()
    results["total_s"] = time.perf_counter() - started

    report(results)
    print(
        f"\ninstall {results['install_s']:.0f} s, filling to "
        f"{args.open_tickets} tickets {results['fill']['wall_s']:.0f} s, "
        f"total {results['total_s']:.0f} s"
    )
    write_results(results, args)


def write_results(results, args):
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(f"results: {RESULTS}")
    if not args.keep:
        for db in DATABASES.values():
            drop_database(db)


if __name__ == "__main__":
    main()
