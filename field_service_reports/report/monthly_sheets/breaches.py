"""The missed milestones and breaches of the month's tickets, with their
reasons (waiver, cause found on site): one row per milestone, streamed."""

from odoo.addons.field_service_sla.sla_core import MISSED

from .book import FIRST_ROW, HEADER_ROW, WIDTH


def write(book, source):
    _ = book.env._
    rows = source._breach_rows(book.scope)
    kind_labels = book.selection("fs.sla.clock", "kind")
    columns = book.ticket_columns() + [
        (_("Milestone"), WIDTH["name"]),
        (_("Deadline"), WIDTH["date"]),
        (_("Reached at"), WIDTH["date"]),
        (_("Reached late by"), WIDTH["number"]),
        (_("Assessment"), WIDTH["name"]),
        (_("Waiver reason"), WIDTH["text"]),
        (_("Waived by"), WIDTH["name"]),
        (_("Cause found on site"), WIDTH["text"]),
    ]
    title = _("Missed milestones and breaches, with their reasons")
    sheet = book.sheet(_("Breaches"), title, columns)
    write_cells = book.row_writer(
        sheet,
        book.TICKET_KINDS
        + ("text", "datetime", "datetime", "duration", "text", "text")
        + ("text", "text"),
    )
    causes = book.selection("fsm.order", "fs_cause_category")
    statuses = {
        "breached": _("Breached"),
        "never": _("Never reached (ticket closed)"),
        "waived": _("Breach waived"),
    }
    row = FIRST_ROW
    for (
        *ticket,
        kind,
        deadline,
        reached,
        late_days,
        outcome,
        breach_count,
        waived,
        waiver_reason,
        waived_by,
        cause_codes,
        cause_other,
    ) in rows:
        if breach_count:
            status = statuses["breached"]
        elif outcome == MISSED:
            status = statuses["never"]
        else:
            status = statuses["waived"]
        cause = ", ".join(causes.get(code, code) for code in cause_codes or ())
        if cause_other:
            cause = f"{cause}: {cause_other}" if cause else cause_other
        write_cells(
            row,
            book.ticket_cells(*ticket)
            + (
                kind_labels.get(kind, kind),
                deadline,
                reached,
                late_days,
                status,
                waiver_reason if waived else None,
                waived_by if waived else None,
                cause,
            ),
        )
        row += 1
    sheet.autofilter(HEADER_ROW, 0, max(row - 1, HEADER_ROW), len(columns) - 1)
