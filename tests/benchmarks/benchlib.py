"""What the benchmarks share: dropping their databases."""

from contextlib import closing

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
