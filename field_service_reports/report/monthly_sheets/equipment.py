"""The equipment replaced on site in the month: by device type, model,
supplier and first cause, then ranked per dimension on a second sheet."""

from .book import FIRST_ROW, HEADER_ROW, WIDTH


def write(book, source):
    _ = book.env._
    equipment = source._equipment(book.scope)
    [total] = equipment["total"] or [(None, None, None, None, 0)]
    total_count = total[-1]
    columns = [
        (_("Device type"), WIDTH["name"]),
        (_("Model"), WIDTH["name"]),
        (_("Supplier"), WIDTH["name"]),
        (_("First cause of failure"), WIDTH["text"]),
        (_("Replaced"), WIDTH["number"]),
        (_("Share"), WIDTH["number"]),
    ]
    title = _("Equipment replaced on site in the month")
    sheet = book.sheet(_("Equipment"), title, columns)
    row = FIRST_ROW
    for *names, count in equipment["detail"]:
        cells = [(name or "", "text") for name in names]
        cells += [(count, "int"), (count / total_count, "pct")]
        book.write_row(sheet, row, cells)
        row += 1
    if equipment["detail"]:
        sheet.autofilter(HEADER_ROW, 0, row - 1, len(columns) - 1)
    blank = (None, "text")
    book.write_row(
        sheet,
        row,
        [(_("Total"), "text"), blank, blank, blank]
        + [(total_count, "int"), (1.0 if total_count else None, "pct")],
        total=True,
    )
    _write_rankings(book, equipment, total_count)


def _write_rankings(book, equipment, total_count):
    """Four rankings side by side: by device type, model, supplier and
    first cause, each largest first."""
    _ = book.env._
    rankings = [
        (_("Device type"), [(r[0], r[-1]) for r in equipment["device_type"]]),
        (
            _("Model"),
            [(f"{r[0]} {r[1]}", r[-1]) for r in equipment["device_model"]],
        ),
        (_("Supplier"), [(r[2], r[-1]) for r in equipment["supplier"]]),
        (
            _("First cause of failure"),
            [(r[3], r[-1]) for r in equipment["failure_cause"]],
        ),
    ]
    columns = []
    for label, _rows in rankings:
        columns += [
            (label, WIDTH["name"]),
            (_("Replaced"), WIDTH["number"]),
            (_("Share"), WIDTH["number"]),
            ("", 2),
        ]
    title = _("Equipment fault statistics by device type, model, supplier and cause")
    sheet = book.sheet(_("Equipment ranking"), title, columns, freeze_columns=0)
    depth = max((len(rows) for _label, rows in rankings), default=0)
    for i in range(depth):
        cells = []
        for _label, rows in rankings:
            name, count = rows[i] if i < len(rows) else (None, None)
            cells += [
                (name or ("" if count is None else "-"), "text"),
                (count, "int"),
                (count / total_count if count else None, "pct"),
                (None, "text"),
            ]
        book.write_row(sheet, FIRST_ROW + i, cells)
