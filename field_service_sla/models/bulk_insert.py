"""One INSERT for many complete rows of a model: what the engines use where
the ORM's create (defaults, cache and computes per record, an INSERT per
hundred rows) would be most of their time. Not a model."""

from odoo.tools import SQL, split_every

LOG_ACCESS = ("create_uid", "create_date", "write_uid", "write_date")


def _array(model, name, values):
    """``values`` of column ``name`` as one SQL array: psycopg2 adapts a list
    in C, a row tuple in Python. False is Odoo's empty value, but for
    booleans."""
    field = model._fields[name]
    if field.type != "boolean":
        values = [None if value is False else value for value in values]
    return SQL("%s::%s[]", values, SQL(field.column_type[1]))


def _log_access(model):
    """The log-access columns of ``model`` and their values (none when the
    model does not log access)."""
    if not model._log_access:
        return (), []
    stamps = [model.env.uid, model.env.cr.now()] * 2
    return LOG_ACCESS, [SQL("%s", stamp) for stamp in stamps]


def _names(names):
    return SQL(", ").join(SQL.identifier(name) for name in names)


def insert_rows(model, values_list, chunk=None):
    """Insert ``values_list`` (dicts of column values, complete: no default,
    no compute is applied) as rows of ``model``'s table, in one statement
    (or one per ``chunk`` rows), one array per column; the log-access
    columns are stamped when the model has them. Returns the new ids, in
    the order of ``values_list``. The caller invalidates what it must."""
    if not values_list:
        return []
    names = sorted({name for values in values_list for name in values})
    log_names, stamps = _log_access(model)
    ids = []
    for part in split_every(chunk or len(values_list), values_list):
        arrays = [
            _array(model, name, [values.get(name) for values in part]) for name in names
        ]
        ids += (
            row[0]
            for row in model.env.execute_query(
                SQL(
                    "INSERT INTO %s (%s) SELECT * %s FROM unnest(%s) RETURNING id",
                    SQL.identifier(model._table),
                    _names([*names, *log_names]),
                    SQL("").join(SQL(", %s", stamp) for stamp in stamps),
                    SQL(", ").join(arrays),
                )
            )
        )
    return ids


def insert_alike(model, rows, chunk=None):
    """Insert rows of ``model`` that are mostly alike: ``rows`` are pairs
    ``(common, own)`` of dicts of column values, complete as for
    insert_rows; ``common`` is shared, as the same dict object, by the rows
    that have it, and ``own`` holds the same columns in every row (the ids
    that tell alike rows apart). Each distinct ``common`` is sent once and
    joined to its rows in the server: for a thousand clocks that differ only
    by their ticket, two arrays of a thousand integers go over the wire and
    through the parser instead of twenty arrays of a thousand values, which
    cost more to build, send and parse than inserting the rows. Returns
    nothing: the rows come back in no particular order."""
    if not rows:
        return
    commons, keys = [], {}
    for common, _own in rows:
        if id(common) not in keys:
            keys[id(common)] = len(commons)
            commons.append(common)
    own_names = sorted(rows[0][1])
    common_names = sorted({name for common in commons for name in common})
    if set(own_names) & set(common_names):
        raise ValueError("a column is both common and own")
    log_names, stamps = _log_access(model)
    common_arrays = SQL(", ").join(
        _array(model, name, [common.get(name) for common in commons])
        for name in common_names
    )
    selected = SQL(", ").join(
        [
            *(SQL("c.%s", SQL.identifier(name)) for name in common_names),
            *(SQL("o.%s", SQL.identifier(name)) for name in own_names),
            *stamps,
        ]
    )
    for part in split_every(chunk or len(rows), rows):
        own_arrays = SQL(", ").join(
            _array(model, name, [own[name] for _common, own in part])
            for name in own_names
        )
        model.env.cr.execute(
            SQL(
                """INSERT INTO %(table)s (%(columns)s)
                   SELECT %(selected)s
                     FROM unnest(%(own_keys)s::int4[], %(own_arrays)s)
                          AS o(_key, %(own_names)s)
                     JOIN unnest(%(common_keys)s::int4[], %(common_arrays)s)
                          AS c(_key, %(common_names)s) ON c._key = o._key""",
                table=SQL.identifier(model._table),
                columns=_names([*common_names, *own_names, *log_names]),
                selected=selected,
                own_keys=[keys[id(common)] for common, _own in part],
                own_arrays=own_arrays,
                own_names=_names(own_names),
                common_keys=list(range(len(commons))),
                common_arrays=common_arrays,
                common_names=_names(common_names),
            )
        )
