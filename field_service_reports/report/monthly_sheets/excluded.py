"""The tickets excluded from assessment: listed with their reason, counted
in no figure."""

from .book import FIRST_ROW, HEADER_ROW, WIDTH


def write(book, source):
    _ = book.env._
    rows = source._excluded_rows(book.scope)
    columns = book.ticket_columns() + [
        (_("Severity"), WIDTH["number"]),
        (_("Reason for the exclusion"), WIDTH["text"]),
    ]
    title = _("Tickets excluded from assessment: listed, counted in no figure")
    sheet = book.sheet(_("Excluded tickets"), title, columns)
    write_cells = book.row_writer(sheet, book.TICKET_KINDS + ("text", "text"))
    severities = book.selection("helpdesk.ticket", "severity")
    row = FIRST_ROW
    for *ticket, severity, reason in rows:
        write_cells(
            row,
            book.ticket_cells(*ticket) + (severities.get(severity, severity), reason),
        )
        row += 1
    sheet.autofilter(HEADER_ROW, 0, max(row - 1, HEADER_ROW), len(columns) - 1)
