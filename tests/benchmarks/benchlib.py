"""What the benchmarks share: installing and dropping their databases,
printing their tables."""

import json
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from odoo import sql_db
from odoo.modules.registry import Registry
from odoo.tools import SQL


def drop_database(db):
    """Drop ``db`` if it exists. Not Odoo's ``exp_drop``: it silently skips a
    database the config's ``db_name`` or ``dbfilter`` does not list, which
    left the benchmarks' databases behind (and the next run failing on
    them)."""
    Registry.delete(db)
    sql_db.close_db(db)
    with closing(sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        )
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))


REPO = Path(__file__).resolve().parents[2]


def install(conf, db, modules="field_service_sla"):
    """A fresh database ``db`` with ``modules`` (no demo), installed by an
    Odoo of its own; the install's log tail on failure."""
    drop_database(db)
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        cmd = [sys.executable, "-m", "odoo", "server", "-c", conf,
               f"--addons-path={REPO}", "-d", db, "-i", modules,
               "--stop-after-init", "--log-level=warn"]  # fmt: skip
        if subprocess.run(
            cmd, check=False, stdout=log, stderr=subprocess.STDOUT
        ).returncode:
            log.seek(0)
            sys.exit(f"installing {db} failed:\n{log.read()[-5000:]}")


def table(rows):
    """``rows`` as left-aligned columns, then a blank line."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                str(c).ljust(w) for c, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    print()


def finish(results, started, report, path, db, keep):
    """A benchmark's end: its total time, its table printed, its figures
    written to ``path`` (JSON), its database dropped unless ``keep``."""
    results["total_s"] = time.perf_counter() - started
    report(results)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"results: {path} (total {results['total_s']:.0f} s)")
    if not keep:
        drop_database(db)
