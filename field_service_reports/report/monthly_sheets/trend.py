"""The on-time rate of all milestones over the last twelve months, per tier
and for all tiers: a sheet of figures, and the chart drawn from it on the
workbook's first sheet."""

from datetime import datetime, time

from .book import FIRST_ROW, HEADER_ROW, WIDTH

TREND_MONTHS = 12


def write(book, source):
    months, trend = source._trend(book.scope, TREND_MONTHS)
    trend_sheet = _write_trend(book, months, trend)
    _write_chart(book, trend_sheet, months)


def _trend_tiers(book, trend):
    tier_ids = {tier for _month, tier in trend if tier}
    tiers = (
        book.env["fs.customer.tier"]
        .sudo()
        .with_context(active_test=False)
        .search([("id", "in", list(tier_ids))])
    )
    keys = [(tier.id, tier.display_name) for tier in tiers]
    if any(tier is None for _month, tier in trend):
        keys.append((None, book.env._("No tier")))
    return keys


def _write_trend(book, months, trend):
    _ = book.env._
    tiers = _trend_tiers(book, trend)
    columns = [(_("Month"), WIDTH["number"])]
    columns += [(name, WIDTH["number"]) for _tier, name in tiers]
    columns.append((_("All tiers"), WIDTH["number"]))
    title = _("On-time rate of all milestones, by month and tier")
    sheet = book.sheet(_("On-time by month"), title, columns)
    for i, month in enumerate(months):
        # a date, not text: in constant-memory mode the chart gets no
        # cached values, and Excel reads numeric categories back right
        cells = [(datetime.combine(month.first_day, time()), "month")]
        on_time = assessed = 0
        for tier, _name in tiers:
            counts = trend.get((month, tier))
            cells.append((counts.on_time_rate if counts else None, "pct"))
            if counts:
                on_time += counts.on_time
                assessed += counts.assessed
        cells.append((on_time / assessed if assessed else None, "pct"))
        book.write_row(sheet, FIRST_ROW + i, cells)
    sheet.autofilter(HEADER_ROW, 0, FIRST_ROW + len(months) - 1, len(columns) - 1)
    return sheet, len(columns)


def _write_chart(book, trend_sheet, months):
    _ = book.env._
    sheet, width = trend_sheet
    name = sheet.get_name()
    last = FIRST_ROW + len(months) - 1
    chart = book.workbook.add_chart({"type": "line"})
    for col in range(1, width):
        chart.add_series(
            {
                "name": [name, HEADER_ROW, col],
                "categories": [name, FIRST_ROW, 0, last, 0],
                "values": [name, FIRST_ROW, col, last, col],
                "marker": {"type": "circle"},
                "line": {"width": 3.0 if col == width - 1 else 1.75},
            }
        )
    chart.set_title({"name": _("On-time rate by month and tier")})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_x_axis({"name": _("Month reported"), "num_format": "yyyy-mm"})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    book.chart_sheet.set_chart(chart)
