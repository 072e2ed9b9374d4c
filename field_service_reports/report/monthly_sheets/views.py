"""The three views of the month's figures, one sheet each: by customer tier,
by service type and by team, each with its total row."""

from odoo.addons.field_service_sla.models.fs_sla_milestone import MILESTONE_KINDS

from ...reports_core.monthly import (
    SERVICE_TYPE,
    TEAM,
    TIER,
)
from .book import FIRST_ROW, HEADER_ROW, WIDTH


def write(book, source):
    _ = book.env._
    figures = source._figures(book.scope)
    kind_labels = book.selection("fs.sla.clock", "kind")
    kinds = figures.kinds([kind for kind, _label in MILESTONE_KINDS])
    for view, sheet_name, label, model in (
        (TIER, _("By tier"), _("Customer tier"), "fs.customer.tier"),
        (SERVICE_TYPE, _("By service type"), _("Service type"), "fs.service.type"),
        (TEAM, _("By team"), _("Team"), "helpdesk.ticket.team"),
    ):
        _write_view(book, sheet_name, label, model, figures, view, kinds, kind_labels)


def _write_view(book, sheet_name, label, model, figures, view, kinds, kind_labels):
    _ = book.env._
    columns = [(label, WIDTH["name"]), (_("Tickets"), WIDTH["number"])]
    columns += [
        (_("%s on time", kind_labels.get(kind, kind)), WIDTH["number"])
        for kind in kinds
    ]
    columns += [
        (_("Milestones on time"), WIDTH["number"]),
        (_("Milestones missed"), WIDTH["number"]),
        (_("Milestones not assessed yet"), WIDTH["number"]),
        (_("Breaches counted"), WIDTH["number"]),
        (_("Restored tickets"), WIDTH["number"]),
        (_("Mean restore time (excl. pauses)"), WIDTH["number"]),
        (_("Faults"), WIDTH["number"]),
        (_("Service lines"), WIDTH["number"]),
        (_("Fault rate (faults per line)"), WIDTH["number"]),
        (_("Repeated faults"), WIDTH["number"]),
        (_("Repeat-fault rate"), WIDTH["number"]),
    ]
    title = _("Monthly customer-response report: %s", sheet_name)
    sheet = book.sheet(sheet_name, title, columns)
    groups = book.ordered(model, figures.views[view])
    none_label = {
        TIER: _("No tier"),
        SERVICE_TYPE: _("No service type"),
        TEAM: _("No team"),
    }[view]
    row = FIRST_ROW
    for group in groups:
        name = book.names(model, group.key) if group.key else none_label
        book.write_row(sheet, row, _cells(book, name, group, kinds))
        row += 1
    if groups:
        sheet.autofilter(HEADER_ROW, 0, row - 1, len(columns) - 1)
    totals = figures.totals
    book.write_row(sheet, row, _cells(book, _("Total"), totals, kinds), total=True)


def _cells(book, name, group, kinds):
    """A team has no lines of its own (no fault rate); the total row
    divides by the company's lines in every view."""
    milestones = group.all_milestones
    return [
        (name, "text"),
        (group.tickets, "int"),
        *((group.counts(kind).on_time_rate, "pct") for kind in kinds),
        (milestones.on_time, "int"),
        (milestones.missed, "int"),
        (milestones.open, "int"),
        (group.breaches, "int"),
        (group.restored, "int"),
        (book.days(group.mean_restore_hours), "duration"),
        (group.faults, "int"),
        (group.lines, "int"),
        (group.fault_rate, "rate"),
        (group.repeats, "int"),
        (group.repeat_rate, "pct"),
    ]
