"""The monthly customer-response figures (客户响应月报), free of Odoo.

Definitions (the same in the README, the Odoo shell's SQL and the tests):

* A ticket belongs to the month in which it was *reported* (its "Reported
  at", in the reader's time zone). A ticket excluded from assessment leaves
  every figure of the report (it is only listed, with its reason).
* Each milestone clock of a ticket is *on time*, *missed* or *open*: the
  SLA's rule (field_service_sla's ``sla_core.outcome.milestone_outcome``),
  stored on the clock (``sla_outcome``) and counted here.
* *On-time rate* of a milestone = on time / (on time + missed); open clocks
  are in neither part. No assessed milestone: no rate (an empty cell, not 0).
* *Mean restore time* = mean of the tickets' restore duration (reported to
  service restored, paused time excluded) over the month's tickets that were
  restored.
* *Fault rate* = faults / service lines, where a fault is a ticket of the
  month that the SLA's ``visits.is_fault`` calls one (on a service line, not
  excluded, not maintenance work such as an inspection finding's follow-up)
  and the lines are those in service plus those that had a fault in the
  month: faults per line over the month. *Repeat-fault rate* = repeated
  faults / faults, a fault being repeated when its line had another fault
  within the repeat window of the customer's tier before it (stored on the
  ticket as ``fs_repeated_fault``). Both are the SLA's ``visits.fault_rate``
  and ``visits.repeat_rate``, given to ``MonthlyFigures`` as ``rates``: the
  one definition the visit trigger uses too, which this core cannot import
  by one name both inside Odoo (``odoo.addons.field_service_sla.sla_core``)
  and in the core tier (``sla_core``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

#: the report's three views of the same tickets
TIER = "tier"
SERVICE_TYPE = "service_type"
TEAM = "team"
DIMENSIONS = (TIER, SERVICE_TYPE, TEAM)
#: the key of the total row of every view
TOTAL = "total"


class BadMonth(ValueError):
    """A month the report cannot be made for."""


def share(part, whole):
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise BadMonth(f"month {self.month} is not between 1 and 12")
        if not 1900 <= self.year <= 9998:
            raise BadMonth(f"year {self.year} is out of range")

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    @property
    def first_day(self):
        return date(self.year, self.month, 1)

    def next(self):
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self):
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self):
        """``[first instant, first instant of the next month)`` as naive local
        datetimes (the shell turns them into UTC)."""
        start = datetime(self.year, self.month, 1)
        return start, datetime.combine(self.next().first_day, start.time())

    def last(self, count):
        """The ``count`` months ending with this one, oldest first."""
        months = [self]
        while len(months) < count:
            months.append(months[-1].previous())
        return months[::-1]

    def check_not_future(self, today):
        if self > Month.of(today):
            raise BadMonth(f"{self} has not begun yet")

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


@dataclass
class MilestoneCounts:
    on_time: int = 0
    missed: int = 0
    open: int = 0

    @property
    def assessed(self):
        return self.on_time + self.missed

    @property
    def on_time_rate(self):
        return share(self.on_time, self.assessed)

    def add(self, other):
        self.on_time += other.on_time
        self.missed += other.missed
        self.open += other.open


@dataclass
class GroupFigures:
    """The figures of one row of a view: one tier, service type or team, or
    the total. ``lines`` is None where the group has no lines of its own (a
    team): no fault rate then. ``rates`` computes the rates from the counts
    (``fault_rate(faults, lines)``, ``repeat_rate(repeats, faults)``: the
    SLA's ``sla_core.visits``)."""

    key: object
    rates: object = field(kw_only=True, repr=False, compare=False)
    tickets: int = 0
    restored: int = 0
    restore_hours: float = 0.0
    faults: int = 0
    repeats: int = 0
    lines: int | None = None
    breaches: int = 0
    milestones: dict = field(default_factory=dict)

    def counts(self, kind):
        return self.milestones.setdefault(kind, MilestoneCounts())

    @property
    def all_milestones(self):
        total = MilestoneCounts()
        for counts in self.milestones.values():
            total.add(counts)
        return total

    @property
    def mean_restore_hours(self):
        return share(self.restore_hours, self.restored)

    @property
    def fault_rate(self):
        if self.lines is None:
            return None
        return self.rates.fault_rate(self.faults, self.lines)

    @property
    def repeat_rate(self):
        if not self.faults:
            return None
        return self.rates.repeat_rate(self.repeats, self.faults)


class MonthlyFigures:
    """The month's rows, per view, filled from grouped query results whose
    size never depends on the number of tickets; ``rates`` as GroupFigures'."""

    def __init__(self, month, rates):
        self.month, self.rates = month, rates
        self.views = {dimension: {} for dimension in DIMENSIONS}
        self.totals = GroupFigures(TOTAL, rates=rates)

    def group(self, dimension, key):
        if dimension == TOTAL:
            return self.totals
        view = self.views[dimension]
        if key not in view:
            view[key] = GroupFigures(key, rates=self.rates)
        return view[key]

    def add_tickets(
        self, dimension, key, *, tickets, restored, restore_hours, faults, repeats
    ):
        group = self.group(dimension, key)
        group.tickets += tickets
        group.restored += restored
        group.restore_hours += restore_hours or 0.0
        group.faults += faults
        group.repeats += repeats

    def add_milestones(self, dimension, key, kind, *, on_time, missed, open, breaches):
        group = self.group(dimension, key)
        group.counts(kind).add(MilestoneCounts(on_time, missed, open))
        group.breaches += breaches

    def set_lines(self, dimension, key, lines):
        self.group(dimension, key).lines = lines

    def kinds(self, order):
        """The milestone kinds that have clocks this month, in ``order``."""
        present = set(self.totals.milestones)
        return [kind for kind in order if kind in present]

    def rows(self, dimension, sort_key=None):
        groups = list(self.views[dimension].values())
        return sorted(groups, key=sort_key) if sort_key else groups


__all__ = [
    "DIMENSIONS",
    "SERVICE_TYPE",
    "TEAM",
    "TIER",
    "TOTAL",
    "BadMonth",
    "GroupFigures",
    "MilestoneCounts",
    "Month",
    "MonthlyFigures",
    "share",
]
