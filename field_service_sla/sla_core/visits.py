"""Fault rate, repeat-fault rate and the periodic-visit cadence of a customer.

Definitions (the same in the README, the Odoo shell's SQL and the tests):

* A *fault* is a ticket on one of the customer's service lines, dated by the
  time it was reported, that is active, not excluded from assessment and not
  maintenance work (a follow-up of an inspection finding): ``is_fault``, the
  one definition the rates, the repeated-fault flag, the monthly workbook and
  the visit trigger all use (stored on the ticket as ``fs_is_fault``).
* A fault is *repeated* when the same service line had another fault in the
  ``repeat_days`` before it (an earlier report, or one at the same instant
  recorded before it). The earlier fault may lie before the rate window: a
  fault on the first day of the window can repeat one of the week before.
* Over a window of the last ``window_days`` days, ending now:

  - *fault rate* = faults in the window / service lines of the customer, i.e.
    the faults per line over the window (0.5 over 90 days: one fault on every
    other line in three months). The lines counted are the lines in service
    now plus the lines withdrawn since that had a fault in the window, so a
    customer never has faults without lines;
  - *repeat-fault rate* = repeated faults in the window / faults in the
    window, a share in [0, 1] (0 without faults).

* A visit is due by *cadence* every ``interval_days`` after the customer's
  latest visit (planned or done), at once when the customer was never visited
  or the visit is overdue (but not twice: while a planned visit is overdue,
  the cadence waits for it). It is also due *now* when the fault rate or the
  repeat-fault rate is above the tier's threshold, unless a visit took place in
  the last ``gap_days`` or is planned within the next ``soon_days``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

CADENCE = "cadence"
FAULT_RATE = "fault_rate"
REPEAT_RATE = "repeat_rate"
REASONS = (CADENCE, FAULT_RATE, REPEAT_RATE)

#: the windows of a customer without a tier
DEFAULT_RATE_WINDOW_DAYS = 90
DEFAULT_REPEAT_DAYS = 30
#: a rate-triggered visit is not repeated within this many days of another
RATE_VISIT_GAP_DAYS = 30
#: ... nor made when a visit is planned within this many days anyway
RATE_VISIT_SOON_DAYS = 7


class BadRateInput(ValueError):
    """Counts or thresholds that cannot describe a customer."""


@dataclass(frozen=True)
class FaultStats:
    lines: int
    faults: int
    repeats: int

    @property
    def fault_rate(self):
        return fault_rate(self.faults, self.lines)

    @property
    def repeat_rate(self):
        return repeat_rate(self.repeats, self.faults)


def fault_rate(faults, lines):
    """Faults per service line over the window."""
    if faults < 0 or lines < 0:
        raise BadRateInput("fault and line counts cannot be negative")
    if faults and not lines:
        raise BadRateInput("faults were counted on a customer without lines")
    return faults / lines if lines else 0.0


def repeat_rate(repeats, faults):
    """Share of the faults that repeated an earlier fault of their line."""
    if repeats < 0 or faults < 0:
        raise BadRateInput("fault counts cannot be negative")
    if repeats > faults:
        raise BadRateInput("more repeated faults than faults")
    return repeats / faults if faults else 0.0


def is_fault(*, on_line, active=True, excluded=False, maintenance=False):
    """Does a ticket count as a customer fault? Only a ticket on a service
    line, active, not excluded from assessment ("not our fault") and not
    maintenance work (an inspection finding's follow-up, a category marked
    as maintenance): those have their own, lenient service level and never
    enter a fault rate, a repeat rate or a visit trigger."""
    return bool(on_line and active and not excluded and not maintenance)


def _check_days(**days):
    for name, value in days.items():
        if value is None or value < 0:
            raise BadRateInput(f"{name} must be zero or more days")


def repeated_flags(faults, repeat_days):
    """For faults given as ``(line, reported_at)`` pairs, in any order, a list
    of booleans in the same order: is each one a repeated fault? Faults at the
    same instant on one line are taken in the order given."""
    _check_days(repeat_days=repeat_days)
    span = timedelta(days=repeat_days)
    order = sorted(range(len(faults)), key=lambda i: (faults[i][0], faults[i][1], i))
    flags = [False] * len(faults)
    previous = None
    for i in order:
        line, at = faults[i]
        if previous is not None and previous[0] == line and at - previous[1] <= span:
            flags[i] = True
        previous = (line, at)
    return flags


def is_repeated_fault(at, earlier_faults, repeat_days):
    """Is a fault reported ``at`` a repeat, given the times of the other faults
    of its line? Used for a single ticket (e.g. a longer observation)."""
    _check_days(repeat_days=repeat_days)
    span = timedelta(days=repeat_days)
    return any(at - span <= t <= at for t in earlier_faults)


def fault_stats(faults, lines, now, window_days, repeat_days):
    """Fault figures of one customer: ``faults`` are ``(line, reported_at)``
    pairs (older ones may be included, they only make later faults repeats);
    ``lines`` is the set of lines in service now."""
    _check_days(window_days=window_days, repeat_days=repeat_days)
    since = now - timedelta(days=window_days)
    flags = repeated_flags(faults, repeat_days)
    in_window = [
        (fault, flag)
        for fault, flag in zip(faults, flags, strict=True)
        if since <= fault[1] <= now
    ]
    counted_lines = set(lines) | {fault[0] for fault, _flag in in_window}
    return FaultStats(
        lines=len(counted_lines),
        faults=len(in_window),
        repeats=sum(1 for _fault, flag in in_window if flag),
    )


def rate_reason(stats, fault_threshold, repeat_threshold):
    """Why the rates call for a visit (``FAULT_RATE``, ``REPEAT_RATE``), or
    None. A threshold of 0 is off; a rate must be strictly above it."""
    if (fault_threshold or 0) < 0 or (repeat_threshold or 0) < 0:
        raise BadRateInput("a threshold cannot be negative")
    if repeat_threshold and repeat_threshold > 1:
        raise BadRateInput("a repeat-rate threshold is a share, at most 1")
    if fault_threshold and stats.fault_rate > fault_threshold:
        return FAULT_RATE
    if repeat_threshold and stats.repeat_rate > repeat_threshold:
        return REPEAT_RATE
    return None


def next_visit_due(last_visit, interval_days, today):
    """When the next visit by cadence is due: ``interval_days`` after the
    latest visit, today if never visited; None without a cadence (0)."""
    _check_days(interval_days=interval_days)
    if not interval_days:
        return None
    if last_visit is None:
        return today
    return last_visit + timedelta(days=interval_days)


def cadence_dates(last_visit, interval_days, start, end):
    """Visit dates by cadence within ``[start, end]``: an overdue visit is put
    on ``start`` and the cadence runs on from there."""
    if end < start:
        raise BadRateInput("the planning horizon ends before it starts")
    due = next_visit_due(last_visit, interval_days, start)
    dates = []
    if due is None:
        return dates
    due = max(due, start)
    step = timedelta(days=interval_days)
    while due <= end:
        dates.append(due)
        due += step
    return dates


def plan_visits(
    visit_dates,
    interval_days,
    today,
    end,
    reason=None,
    overdue_open=False,
    gap_days=RATE_VISIT_GAP_DAYS,
    soon_days=RATE_VISIT_SOON_DAYS,
):
    """The visits to create for one customer between ``today`` and ``end``,
    as ``(date, reason)`` pairs, given the dates of its visits (planned or
    done, cancelled ones left out) and the rate ``reason`` (see
    ``rate_reason``). While a planned visit is overdue (``overdue_open``) the
    cadence waits for it rather than planning another. Planning again with the visits returned added to
    ``visit_dates`` returns nothing: the plan is idempotent."""
    _check_days(gap_days=gap_days, soon_days=soon_days)
    if isinstance(today, datetime) or isinstance(end, datetime):
        raise BadRateInput("visits are planned on dates, not times")
    if reason not in (None, FAULT_RATE, REPEAT_RATE):
        raise BadRateInput(f"unknown visit reason {reason!r}")
    planned = []
    covered_from = today - timedelta(days=gap_days)
    covered_to = today + timedelta(days=soon_days)
    if reason and not any(covered_from <= d <= covered_to for d in visit_dates):
        planned.append((today, reason))
    # a rate-triggered visit is a visit: the cadence runs on from it
    last = max([*visit_dates, *(d for d, _r in planned)], default=None)
    if not overdue_open:
        planned += [
            (d, CADENCE) for d in cadence_dates(last, interval_days, today, end)
        ]
    elif end < today:
        raise BadRateInput("the planning horizon ends before it starts")
    return planned
