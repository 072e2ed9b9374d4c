"""What every figure of the workbook means, and for which request it was
produced (company, month, teams, time zone, by whom and when)."""

from odoo import fields


def write(book, source):
    _ = book.env._
    wizard, scope = book.wizard, book.scope
    sheet = book.workbook.add_worksheet(_("About"))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 100)
    formats = book.formats
    sheet.write_string(0, 0, _("Monthly customer-response report"), formats["title"])
    now = book.local(fields.Datetime.now())
    rows = [
        (_("Company"), wizard.company_id.name),
        (_("Month"), str(scope.month)),
        (
            _("Teams"),
            ", ".join(wizard.team_ids.mapped("name")) or _("all teams"),
        ),
        (_("Time zone"), scope.tz),
        (_("Produced by"), book.env.user.name),
        (_("Produced at"), now.strftime("%Y-%m-%d %H:%M")),
        (
            _("Tickets"),
            _(
                "Those reported in the month, of the company and teams "
                "chosen; archived tickets are left out."
            ),
        ),
        (
            _("Excluded tickets"),
            _(
                "A ticket excluded from assessment leaves every figure; it "
                "is listed with its reason on its own sheet."
            ),
        ),
        (
            _("On time"),
            _(
                "A milestone reached without a counted breach, or whose "
                "breach an SLA administrator waived."
            ),
        ),
        (
            _("Missed"),
            _(
                "A milestone with a counted breach, or one a closed ticket "
                "never reached: closing a ticket stops its clocks, it does "
                "not excuse them."
            ),
        ),
        (
            _("Not assessed yet"),
            _(
                "A milestone not reached on a ticket still open, or running "
                "after the close (the fault report): in no rate."
            ),
        ),
        (
            _("On-time rate"),
            _(
                "On time / (on time + missed), per milestone; empty when no "
                "milestone was assessed. The SLA on-time rates pivot shows "
                "the same counts."
            ),
        ),
        (
            _("Mean restore time"),
            _(
                "From the report to service restored, paused time excluded, "
                "averaged over the tickets restored."
            ),
        ),
        (
            _("Fault rate"),
            _(
                "Faults (tickets on a service line) per service line: the "
                "lines in service plus those withdrawn that had a fault in "
                "the month. A team has no lines of its own: no fault rate "
                "per team."
            ),
        ),
        (
            _("Repeat-fault rate"),
            _(
                "Share of the faults whose line had another fault within the "
                "repeat window of the customer's tier (30 days by default) "
                "before it."
            ),
        ),
        (
            _("Reached late by"),
            _("Clock time between the deadline and the reach."),
        ),
        (
            _("Automatic-dispatch success rate"),
            _(
                "Fault orders dispatched automatically to the crew covering "
                "their area / fault orders dispatched in any way "
                "(automatically, queued for a dispatcher, or by a "
                "dispatcher), per area and team, for the month's tickets."
            ),
        ),
    ]
    for i, (label, text) in enumerate(rows, start=2):
        sheet.write_string(i, 0, label, formats["header"])
        sheet.write_string(i, 1, text, formats["wrap"])
