"""The customer network operation report's own arithmetic (客户网络运行报告),
free of Odoo: its period (a month or a quarter), when it may be released,
each line's restore times against the target, and the chart's bars.

The figures themselves (faults, repeats, on-time rates, availability) are the
monthly report's (``monthly``, ``availability``): one definition for the
workbook, the pivot and this report."""

from dataclasses import dataclass
from datetime import date, datetime

MONTH = "month"
QUARTER = "quarter"
PERIOD_KINDS = (MONTH, QUARTER)

# why a period cannot be reported on (codes; the shell words them)
NOT_ENDED = "not_ended"
BAD_KIND = "bad_kind"
BAD_START = "bad_start"


class BadPeriod(ValueError):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month or quarter: ``[first_day, end)``, end being the
    first day after it."""

    kind: str
    first_day: date

    def __post_init__(self):
        if self.kind not in PERIOD_KINDS:
            raise BadPeriod(BAD_KIND)
        if self.first_day.day != 1 or (
            self.kind == QUARTER and (self.first_day.month - 1) % 3
        ):
            raise BadPeriod(BAD_START)

    @classmethod
    def containing(cls, kind, day):
        """The month or quarter that holds ``day``."""
        month = day.month if kind == MONTH else (day.month - 1) // 3 * 3 + 1
        return cls(kind, date(day.year, month, 1))

    @property
    def months(self):
        return 1 if self.kind == MONTH else 3

    @property
    def end(self):
        """The first day after the period."""
        return _add_months(self.first_day, self.months)

    @property
    def last_day(self):
        return date.fromordinal(self.end.toordinal() - 1)

    def month_starts(self):
        return [_add_months(self.first_day, i) for i in range(self.months)]

    def previous(self):
        return Period(self.kind, _add_months(self.first_day, -self.months))

    def bounds(self):
        """``[first instant, first instant after)`` as naive local datetimes
        (the shell turns them into UTC)."""
        return (
            datetime.combine(self.first_day, datetime.min.time()),
            datetime.combine(self.end, datetime.min.time()),
        )

    def check_ended(self, today):
        """A report is released on a period that is over: ``today`` (local)
        is on or after the first day after it."""
        if today < self.end:
            raise BadPeriod(NOT_ENDED)

    def __str__(self):
        if self.kind == MONTH:
            return f"{self.first_day.year}-{self.first_day.month:02d}"
        return f"{self.first_day.year} Q{(self.first_day.month - 1) // 3 + 1}"


def chart_months(period, count=6):
    """The first days of the ``count`` months ending with the period's last:
    the chart's months, oldest first."""
    last = period.month_starts()[-1]
    return [_add_months(last, i - count + 1) for i in range(count)]


@dataclass(frozen=True)
class RestoreSummary:
    """A line's restore times over the period against its target (hours)."""

    restored: int
    mean_hours: float | None
    worst_hours: float | None
    target_hours: float | None

    @property
    def over_target(self):
        """How many hours the worst restore went past the target (0 when
        within it; None without a target or a restore)."""
        if self.target_hours is None or self.worst_hours is None:
            return None
        return max(0.0, self.worst_hours - self.target_hours)

    @property
    def mean_within_target(self):
        if self.target_hours is None or self.mean_hours is None:
            return None
        return self.mean_hours <= self.target_hours


def restore_summary(durations, target_hours=None):
    """``durations``: the restore durations (hours, paused time excluded) of
    the period's restored faults of a line."""
    durations = [d for d in durations if d is not None]
    if not durations:
        return RestoreSummary(0, None, None, target_hours)
    return RestoreSummary(
        len(durations), sum(durations) / len(durations), max(durations), target_hours
    )


@dataclass(frozen=True)
class Bar:
    """One month of the chart: availability as a bar of ``height`` (0 to
    the chart's height), faults as a bar of ``fault_height``."""

    label: str
    availability: float | None
    faults: int
    height: float
    fault_height: float


def chart_bars(points, height=100.0, floor=0.9):
    """``points``: ``(label, availability or None, faults)`` per month. The
    availability bar shows ``floor`` to 1 over the chart's height (a line
    at 99.5 % and one at 99.9 % must look different), below the floor it is
    empty; the fault bars scale to the month with most faults."""
    most = max((faults for _label, _a, faults in points), default=0)
    bars = []
    for label, availability, faults in points:
        if availability is None:
            bar = 0.0
        else:
            bar = max(0.0, min(1.0, (availability - floor) / (1 - floor))) * height
        bars.append(
            Bar(
                label,
                availability,
                faults,
                round(bar, 2),
                round(faults / most * height, 2) if most else 0.0,
            )
        )
    return bars


@dataclass
class LineFigures:
    """One service line's figures over a period, as the monthly report
    counts them (``monthly``): faults and repeats, restores, the milestones
    on time and missed, and its availability (``availability``)."""

    line_id: int
    faults: int = 0
    repeats: int = 0
    restored: int = 0
    restore_hours: float = 0.0
    worst_hours: float | None = None
    target_hours: float | None = None
    on_time: int = 0
    missed: int = 0
    availability: object = None  # availability.Availability

    @property
    def mean_restore_hours(self):
        return self.restore_hours / self.restored if self.restored else None

    @property
    def on_time_rate(self):
        assessed = self.on_time + self.missed
        return self.on_time / assessed if assessed else None

    @property
    def restore(self):
        summary = RestoreSummary(
            self.restored, self.mean_restore_hours, self.worst_hours, self.target_hours
        )
        return summary
