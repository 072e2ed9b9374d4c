"""The sending side of the SMS benchmarks: the SMS queue run as Odoo runs
it (a cron thread's job loop and its wait on ``cron_trigger``, or the queue
method called batch after batch), receipts collected, the states counted,
the process's memory measured. Used by bench_sms.py and bench_sms_sweep.py."""

import select
import time
import tracemalloc
from contextlib import closing
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.modules.registry import Registry

QUEUE_CRON = "sms.ir_cron_sms_scheduler_action"


# ----------------------------------------------------------------------------
# memory: the peak RSS of this process, reset before each measure
# ----------------------------------------------------------------------------
def _status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """VmHWM back to the current RSS (Linux: 5 > /proc/self/clear_refs);
    the RSS then, in kB."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status_kb("VmRSS")


def peak_rss():
    return _status_kb("VmHWM")


# ----------------------------------------------------------------------------
# sending and receipts
# ----------------------------------------------------------------------------
class Throttles:
    """Counts the ESME_RTHROTTLED/ESME_RMSGQFUL answers the transport reads."""

    def __init__(self):
        from odoo.addons.field_service_sla.gateways import smpp_batch

        self.count = 0
        original = smpp_batch.Batch.slow_down
        counter = self

        def slow_down(batch, part, status):
            counter.count += 1
            return original(batch, part, status)

        self.patcher = patch.object(smpp_batch.Batch, "slow_down", slow_down)

    def __enter__(self):
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


def _left(cr):
    cr.execute(
        "SELECT count(*) FILTER (WHERE state = 'outgoing'),"
        "       count(*) FILTER (WHERE state = 'fs_retry'),"
        "       min(fs_next_try) FILTER (WHERE state = 'fs_retry')"
        "  FROM sms_sms"
    )
    return cr.fetchone()


def send_all(db, max_batches=None, trace=False):
    """The queue's cron method in a cursor of its own, a commit per batch,
    until nothing is outgoing or waiting to retry. ``trace``: under
    tracemalloc (slower: for the heap's peak only)."""
    batches, queries, retries_waited = [], [], 0.0
    if trace:
        tracemalloc.start()
        heap_before = tracemalloc.get_traced_memory()[0]
    rss_before = reset_peak_rss()
    started = time.perf_counter()
    with Throttles() as throttles, Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        while True:
            outgoing, retry, next_try = _left(cr)
            cr.commit()
            if not outgoing and not retry:
                break
            if max_batches is not None and len(batches) >= max_batches:
                break
            if not outgoing:  # only retries left: wait for the first one due
                wait = max(0.0, (next_try - fields.Datetime.now()).total_seconds())
                retries_waited += wait
                time.sleep(wait + 0.05)
            count = cr.sql_log_count
            batch_started = time.perf_counter()
            env["sms.sms"]._process_queue()
            cr.commit()
            batches.append(time.perf_counter() - batch_started)
            queries.append(cr.sql_log_count - count)
    wall = time.perf_counter() - started
    rss_growth = (peak_rss() - rss_before) / 1024
    heap_peak = None
    if trace:
        heap_peak = (tracemalloc.get_traced_memory()[1] - heap_before) / 2**20
        tracemalloc.stop()
    return {
        "wall_s": wall,
        "heap_peak_mb": heap_peak,
        "batches": len(batches),
        "batch_s": batches,
        "queries_per_batch": queries,
        "throttled": throttles.count,
        "retries_waited_s": retries_waited,
        "rss_start_mb": rss_before / 1024,
        "rss_growth_mb": rss_growth,
    }


class Batches:
    """Times and counts the queries of each ``sms.sms._process_queue``
    call, wherever it is called from (the cron's own loop)."""

    def __init__(self, registry):
        self.model = registry["sms.sms"]
        self.original = self.model._process_queue
        self.wall, self.queries = [], []
        batches = self

        def process_queue(sms):
            cr = sms.env.cr
            count, started = cr.sql_log_count, time.perf_counter()
            try:
                return batches.original(sms)
            finally:
                batches.wall.append(time.perf_counter() - started)
                batches.queries.append(cr.sql_log_count - count)

        self.patcher = patch.object(self.model, "_process_queue", process_queue)

    def __enter__(self):
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


def send_by_cron(db):
    """The SMS queue as a cron thread runs it (odoo/service/server.py
    ``cron_thread``): the job, when ready, through ``ir.cron``'s
    ``_process_jobs_loop`` (``_run_job``: at least MIN_RUNS_PER_JOB calls and
    MIN_TIME_PER_JOB seconds, each batch committed by ``_commit_progress``,
    then the job rescheduled as soon as possible); then the thread's wait,
    LISTENing on ``cron_trigger``, for a NOTIFY or SLEEP_INTERVAL seconds."""
    from odoo.service.server import SLEEP_INTERVAL

    from odoo.addons.base.models.ir_cron import IrCron

    registry = Registry(db)
    with registry.cursor() as cr:
        job_id = api.Environment(cr, SUPERUSER_ID, {}).ref(QUEUE_CRON).id
    runs, waits = 0, []
    rss_before = reset_peak_rss()
    started = time.perf_counter()
    with (
        Throttles() as throttles,
        Batches(registry) as batches,
        closing(sql_db.db_connect("postgres").cursor()) as listener,
        registry.cursor() as cr,
    ):
        listener.execute("LISTEN cron_trigger")
        listener.commit()
        connection = listener._cnx
        while True:
            outgoing, retry, _next_try = _left(cr)
            cr.commit()
            if not outgoing and not retry:
                break
            with sql_db.db_connect(db).cursor() as cron_cr:
                IrCron._process_jobs_loop(cron_cr, job_ids=[job_id])
            runs += 1
            outgoing, retry, _next_try = _left(cr)
            cr.commit()
            if not outgoing and not retry:
                break
            waited = time.perf_counter()
            select.select([connection], [], [], SLEEP_INTERVAL)
            connection.poll()
            connection.notifies.clear()
            waits.append(time.perf_counter() - waited)
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "job_runs": runs,
        "waits_s": waits,
        "batches": len(batches.wall),
        "batch_s": batches.wall,
        "queries_per_batch": batches.queries,
        "throttled": throttles.count,
        "rss_start_mb": rss_before / 1024,
        "rss_growth_mb": (peak_rss() - rss_before) / 1024,
    }


def collect_receipts(db, uuids, seconds=300):
    """``_cron_collect_receipts`` until every SMS of ``uuids`` has its final
    state (sent, i.e. delivered, or error), at most ``seconds``."""
    calls = 0
    started = time.perf_counter()
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        while_sending = part_states(cr, uuids).get("delivered", 0)
        while True:
            states = sms_states(cr, uuids)
            cr.commit()
            if states.get("pending", 0) == 0 or time.perf_counter() - started > seconds:
                break
            env["fs.sms.gateway"]._cron_collect_receipts()
            cr.commit()
            calls += 1
        parts = part_states(cr, uuids)
    return {
        "wall_s": time.perf_counter() - started,
        "calls": calls,
        "parts_while_sending": while_sending,
        "sms": states,
        "parts": parts,
    }


def sms_states(cr, uuids):
    cr.execute(
        "SELECT state, count(*) FROM sms_sms WHERE uuid = ANY(%s) GROUP BY state",
        [list(uuids)],
    )
    return dict(cr.fetchall())


def part_states(cr, uuids):
    cr.execute(
        "SELECT state, count(*) FROM fs_sms_part WHERE sms_uuid = ANY(%s)"
        " GROUP BY state",
        [list(uuids)],
    )
    return dict(cr.fetchall())


def bulletin_states(cr, uuids):
    cr.execute(
        "SELECT state, count(*) FROM fs_escalation_sms WHERE sms_uuid = ANY(%s)"
        " GROUP BY state",
        [list(uuids)],
    )
    return dict(cr.fetchall())


def uuids_of(cr, since_id):
    cr.execute("SELECT uuid FROM sms_sms WHERE id > %s", [since_id])
    return [row[0] for row in cr.fetchall()]


def last_sms_id(cr):
    cr.execute("SELECT coalesce(max(id), 0) FROM sms_sms")
    return cr.fetchone()[0]
