"""One INSERT for many complete rows of a model: what the engines use where
the ORM's create (defaults, cache and computes per record, an INSERT per
hundred rows) would be most of their time. Not a model."""

from odoo.tools import SQL, split_every

LOG_ACCESS = ("create_uid", "create_date", "write_uid", "write_date")


def insert_rows(model, values_list, chunk=None):
    """Insert ``values_list`` (dicts of column values, complete: no default,
    no compute is applied) as rows of ``model``'s table, in one statement
    (or one per ``chunk`` rows), one array per column: psycopg2 adapts a
    list in C, a row tuple in Python. False is an empty value, but for
    booleans; the log-access columns are stamped when the model has them.
    Returns the new ids, in the order of ``values_list``. The caller
    invalidates what it must."""
    if not values_list:
        return []
    env = model.env
    names = sorted({name for values in values_list for name in values})
    fields = [model._fields[name] for name in names]
    # create_uid, create_date, write_uid, write_date
    stamps = [("int4", env.uid), ("timestamp", env.cr.now())] * 2
    log_access = LOG_ACCESS if model._log_access else ()
    ids = []
    for part in split_every(chunk or len(values_list), values_list):
        arrays = []
        for field in fields:
            column = [values.get(field.name) for values in part]
            if field.type != "boolean":
                column = [None if value is False else value for value in column]
            arrays.append(SQL("%s::%s[]", column, SQL(field.column_type[1])))
        if log_access:
            arrays += (
                SQL("%s::%s[]", [stamp] * len(part), SQL(sql_type))
                for sql_type, stamp in stamps
            )
        columns = [*names, *log_access]
        ids += (
            row[0]
            for row in env.execute_query(
                SQL(
                    "INSERT INTO %s (%s) SELECT * FROM unnest(%s) RETURNING id",
                    SQL.identifier(model._table),
                    SQL(", ").join(SQL.identifier(name) for name in columns),
                    SQL(", ").join(arrays),
                )
            )
        )
    return ids
