"""The contractor assessment (维保服务考核表): a summary of every contractor
crew's score for the month, then a sheet per crew with its deductions. The
scores are the sheets' stored ones, the same the pivot over months reads."""

import re

from .book import FIRST_ROW, HEADER_ROW, WIDTH

# characters Excel refuses in a sheet name, and its length limit
BAD_NAME = re.compile(r"[\[\]:*?/\\]")
NAME_LENGTH = 31


def write(book, source):
    _ = book.env._
    sheets = book.env["fs.assessment.sheet"]._fs_month_sheets(book.scope)
    states = book.selection("fs.assessment.sheet", "state")
    columns = [
        (_("Contractor crew"), WIDTH["name"]),
        (_("Contractor"), WIDTH["name"]),
        (_("Full score"), WIDTH["number"]),
        (_("Points off"), WIDTH["number"]),
        (_("Score"), WIDTH["number"]),
        (_("Contested"), WIDTH["number"]),
        (_("State"), WIDTH["number"]),
        (_("Signed by"), WIDTH["name"]),
    ]
    title = _("Contractor assessment: the month's score of each contractor crew")
    summary = book.sheet(_("Contractor scores"), title, columns)
    row = FIRST_ROW
    for sheet in sheets:
        book.write_row(
            summary,
            row,
            [
                (sheet.team_id.name, "text"),
                (sheet.partner_id.name, "text"),
                (sheet.base, "int"),
                (sheet.deducted, "int"),
                (sheet.score, "int"),
                (sheet.contested_count, "int"),
                (states.get(sheet.state, sheet.state), "text"),
                (sheet.signed_by or "", "text"),
            ],
        )
        row += 1
    if not sheets:
        summary.write_string(row, 0, _("No contractor crew was scored this month."))
    used = {_("Contractor scores")}
    for sheet in sheets:
        _crew_sheet(book, sheet, _unique_name(sheet.team_id.name, used))


def _unique_name(name, used):
    base = BAD_NAME.sub(" ", name or "-").strip()[:NAME_LENGTH] or "-"
    candidate, number = base, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" ({number})"
        candidate = base[: NAME_LENGTH - len(suffix)] + suffix
        number += 1
    used.add(candidate)
    return candidate


def _crew_sheet(book, sheet, name):
    _ = book.env._
    states = book.selection("fs.assessment.line", "state")
    columns = [
        (_("Item"), WIDTH["name"]),
        (_("When"), WIDTH["date"]),
        (_("Ticket"), WIDTH["ticket"]),
        (_("Field order"), WIDTH["ticket"]),
        (_("Spot check"), WIDTH["name"]),
        (_("Description"), WIDTH["text"]),
        (_("Times or days"), WIDTH["number"]),
        (_("Points off"), WIDTH["number"]),
        (_("State"), WIDTH["number"]),
        (_("Contested because"), WIDTH["text"]),
        (_("Decision"), WIDTH["text"]),
    ]
    title = _(
        "%(crew)s (%(contractor)s): %(score)s points",
        crew=sheet.team_id.name,
        contractor=sheet.partner_id.name,
        score=sheet.score,
    )
    ws = book.sheet(name, title, columns)
    row = FIRST_ROW
    for line in sheet.line_ids:
        book.write_row(
            ws,
            row,
            [
                (line.item_id.name, "text"),
                (book.local(line.date) if line.date else None, "datetime"),
                (line.ticket_id.number or "", "text"),
                (line.order_id.name or "", "text"),
                (line.inspection_id.name or "", "text"),
                (line.name or "", "text"),
                (line.quantity, "int"),
                (line.points, "int"),
                (states.get(line.state, line.state), "text"),
                (line.contest_reason or "", "wrap"),
                (line.decision_reason or "", "wrap"),
            ],
        )
        row += 1
    last = max(row - 1, HEADER_ROW)
    ws.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
    book.write_row(
        ws,
        row + 1,
        [
            (_("Score"), "text"),
            *[(None, "text")] * 6,
            (sheet.deducted, "int"),
            (sheet.score, "int"),
            (None, "text"),
            (None, "text"),
        ],
        total=True,
    )
