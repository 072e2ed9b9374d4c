"""The automatic-dispatch sheet: per area and per team, the month's fault
orders and the automatic-dispatch success rate (自动派单成功率); the figures
are fs_monthly_report_dispatch's."""

from ...reports_core.monthly import share
from ..fs_monthly_report_dispatch import AREA, TEAM, TOTAL
from .book import FIRST_ROW, HEADER_ROW


def write(book, source):
    """One row per area, then per team, then the total."""
    _ = book.env._
    dispatch = source._dispatch(book.scope)
    columns = [
        (_("By"), 12),
        (_("Area or team"), 28),
        (_("Fault orders"), 12),
        (_("Dispatched automatically"), 14),
        (_("Dispatcher's queue"), 12),
        (_("By a dispatcher"), 12),
        (_("Automatic-dispatch success rate"), 14),
    ]
    title = _("Automatic dispatch: success rate per area and team")
    sheet = book.sheet(_("Automatic dispatch"), title, columns, 2)
    row = FIRST_ROW
    for view, label, model, none_label in (
        (AREA, _("Area"), "res.territory", _("No area")),
        (TEAM, _("Team"), "fsm.team", _("No team")),
    ):
        groups = dispatch[view]
        records = (
            book.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", [key for key in groups if key])])
        )
        keys = [record.id for record in records] + ([None] if None in groups else [])
        for key in keys:
            name = book.names(model, key) if key else none_label
            book.write_row(sheet, row, _cells(label, name, groups[key]))
            row += 1
    if row > FIRST_ROW:
        sheet.autofilter(HEADER_ROW, 0, row - 1, len(columns) - 1)
    book.write_row(sheet, row, _cells(_("Total"), "", dispatch[TOTAL]), total=True)


def _cells(label, name, counts):
    orders, auto, queue, manual = counts
    return [
        (label, "text"),
        (name, "text"),
        (orders, "int"),
        (auto, "int"),
        (queue, "int"),
        (manual, "int"),
        (share(auto, orders), "pct"),
    ]
