"""The availability sheet of the monthly workbook: per customer and service
line, the same figures the customer's network operation report prints
(fs.monthly.report.data._line_figures), with the total of every line."""

from ...reports_core.availability import combined
from .book import FIRST_ROW


def line_rows(env, figures):
    """``[(customer, line, LineFigures)]`` ordered by customer and circuit,
    the lines read in one go (as superuser: the workbook's reader may produce
    it, the lines are the company's)."""
    lines = (
        env["fs.service.line"]
        .sudo()
        .with_context(active_test=False)
        .browse(list(figures))
        .exists()
    )
    rows = [
        (line.partner_id.commercial_partner_id, line, figures[line.id])
        for line in lines
    ]
    rows.sort(key=lambda row: (row[0].name or "", row[1].circuit_ref or "", row[1].id))
    return rows


def write(book, source):
    """Write the sheet into ``book`` (a MonthlyWorkbook)."""
    _ = book.env._
    figures = source._line_figures(book.scope)
    columns = [
        (_("Customer"), 28),
        (_("Circuit ID"), 18),
        (_("Service type"), 18),
        (_("Assurance level"), 10),
        (_("Availability"), 12),
        (_("Out of service (h)"), 12),
        (_("Planned work (h)"), 12),
        (_("Faults"), 9),
        (_("Repeated faults"), 9),
        (_("Mean restore time (h)"), 12),
        (_("Longest restore time (h)"), 12),
        (_("Restore target (h)"), 12),
        (_("On-time rate"), 10),
    ]
    title = _(
        "Availability per service line: time out of service over the month, "
        "planned work not counted (stated apart)"
    )
    sheet = book.sheet(_("Availability"), title, columns, 2)
    formats = book.formats
    if "availability" not in formats:
        for prefix, extra in (("", {}), ("total_", {"bold": True, "top": 1})):
            formats[f"{prefix}availability"] = book.workbook.add_format(
                {"valign": "top", "num_format": "0.000%", **extra}
            )
    row = first_row = FIRST_ROW
    for customer, line, line_figures in line_rows(book.env, figures):
        book.write_row(
            sheet, row, _cells(customer.name, line, line_figures), total=False
        )
        row += 1
    if row > first_row:
        sheet.autofilter(first_row - 1, 0, row - 1, len(columns) - 1)
    total = combined(
        [f.availability for f in figures.values() if f.availability is not None]
    )
    book.write_row(
        sheet,
        row,
        [
            (_("Total"), "text"),
            ("", "text"),
            ("", "text"),
            ("", "text"),
            (total.availability, "availability"),
            (total.outage_hours, "rate"),
            (total.planned_hours, "rate"),
            (sum(f.faults for f in figures.values()), "int"),
            (sum(f.repeats for f in figures.values()), "int"),
            ("", "rate"),
            ("", "rate"),
            ("", "rate"),
            ("", "pct"),
        ],
        total=True,
    )


def _cells(customer, line, figures):
    availability = figures.availability
    return [
        (customer or "", "text"),
        (line.circuit_ref or "", "text"),
        (line.service_type_id.name or "", "text"),
        (line.assurance_level_id.code or "", "text"),
        (availability and availability.availability, "availability"),
        (availability and availability.outage_hours, "rate"),
        (availability and availability.planned_hours, "rate"),
        (figures.faults, "int"),
        (figures.repeats, "int"),
        (figures.mean_restore_hours, "rate"),
        (figures.worst_hours, "rate"),
        (figures.target_hours, "rate"),
        (figures.on_time_rate, "pct"),
    ]
