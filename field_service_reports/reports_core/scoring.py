"""Contractor assessment (考核制度; seed 003's 维保服务考核表): a month's score
from a scheme of items, free of Odoo.

A scheme holds items, each with the points it takes off and how they count:
per occurrence (a late arrival: 15 points each time) or per day over a
deadline (a cause not found in time: 10 points per day over). An item may
be capped (at most so many points a month). The score is the base (100)
minus the deductions, never below the floor (0).

The arithmetic is exact: points are integers or Decimals, never floats, so
that the same month always gives the same score, and the sum of a sheet's
lines is the total it prints.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

PER_OCCURRENCE = "per_occurrence"
PER_DAY_OVER = "per_day_over"
MODES = (PER_OCCURRENCE, PER_DAY_OVER)

# where an item's deductions come from: the SLA clocks of a milestone, the
# complaint tickets about a field order, the failed checks of a spot check,
# or a dispatcher's entry with its evidence
MILESTONE = "milestone"
COMPLAINT = "complaint"
SPOT_CHECK = "spot_check"
MANUAL = "manual"
SOURCES = (MILESTONE, COMPLAINT, SPOT_CHECK, MANUAL)
# the sources that have a deadline to count days over
DAY_SOURCES = frozenset({MILESTONE, MANUAL})

DEFAULT_BASE = 100
DEFAULT_FLOOR = 0

# what is wrong with an item (the Odoo shell words them)
NO_SOURCE = "no_source"
NEGATIVE_POINTS = "negative_points"
NEGATIVE_CAP = "negative_cap"
UNKNOWN_MODE = "unknown_mode"
UNKNOWN_SOURCE = "unknown_source"
NO_MILESTONE = "no_milestone"
NO_DEADLINE = "no_deadline"
# what is wrong with a scheme
FLOOR_ABOVE_BASE = "floor_above_base"

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Item:
    """One line of a scheme: ``points`` off per occurrence or per day over,
    ``cap`` the most it takes off in a month (None: no cap)."""

    code: str
    points: Decimal
    mode: str = PER_OCCURRENCE
    source: str | None = None
    cap: Decimal | None = None
    #: the milestone a MILESTONE item reads
    milestone: str | None = None


@dataclass(frozen=True)
class Deduction:
    """One occurrence found in the month: ``quantity`` is 1 for an
    occurrence, the days over for a per-day item."""

    item: str
    quantity: int = 1
    ref: object = None


@dataclass(frozen=True)
class Score:
    base: Decimal
    floor: Decimal
    #: {item code: points it takes off, capped}
    by_item: dict
    deducted: Decimal
    score: Decimal


def item_problems(item):
    """What stops an item from being saved, as a tuple of codes (empty: it
    may be): an item needs a source (computed or manual), points and a cap
    that are not negative, and a mode it knows; a milestone item names its
    milestone; days over need a deadline (a milestone's, or a dispatcher's
    count)."""
    problems = []
    source = (item.source or "").strip()
    if not source:
        problems.append(NO_SOURCE)
    elif source not in SOURCES:
        problems.append(UNKNOWN_SOURCE)
    elif source == MILESTONE and not item.milestone:
        problems.append(NO_MILESTONE)
    if source in SOURCES and item.mode == PER_DAY_OVER and source not in DAY_SOURCES:
        problems.append(NO_DEADLINE)
    if item.points is None or item.points < 0:
        problems.append(NEGATIVE_POINTS)
    if item.cap is not None and item.cap < 0:
        problems.append(NEGATIVE_CAP)
    if item.mode not in MODES:
        problems.append(UNKNOWN_MODE)
    return tuple(problems)


def scheme_problems(base=DEFAULT_BASE, floor=DEFAULT_FLOOR):
    return (FLOOR_ABOVE_BASE,) if floor > base else ()


def days_over(deadline, done_at):
    """The days a deadline was overrun, each started day counting (one
    minute late is one day over): 0 when done in time. ``done_at`` None
    (not done) is not counted here: the caller counts to the month's end."""
    if done_at is None or deadline is None or done_at <= deadline:
        return 0
    late = done_at - deadline
    return late // ONE_DAY + (1 if late % ONE_DAY else 0)


def item_points(item, quantity):
    """The points ``quantity`` occurrences (or days over) of ``item`` take
    off, before the item's cap."""
    if quantity < 0:
        raise ValueError("a quantity cannot be negative")
    return Decimal(item.points) * quantity


def score(items, deductions, base=DEFAULT_BASE, floor=DEFAULT_FLOOR):
    """The month's score: ``base`` minus each item's deductions (capped per
    item), never below ``floor``. ``items``: the scheme's Items;
    ``deductions``: the month's Deductions (an unknown item is an error:
    the caller built them from the scheme)."""
    if floor > base:
        raise ValueError("the floor of a scheme cannot be above its base")
    by_code = {item.code: item for item in items}
    raw = {}
    for deduction in deductions:
        item = by_code.get(deduction.item)
        if item is None:
            raise KeyError(f"no item {deduction.item!r} in the scheme")
        raw[item.code] = raw.get(item.code, Decimal(0)) + item_points(
            item, deduction.quantity
        )
    by_item = {
        code: min(points, by_code[code].cap)
        if by_code[code].cap is not None
        else points
        for code, points in raw.items()
    }
    deducted = sum(by_item.values(), Decimal(0))
    base, floor = Decimal(base), Decimal(floor)
    return Score(base, floor, by_item, deducted, max(floor, base - deducted))


@dataclass(frozen=True)
class Clock:
    """What the assessment reads of one SLA milestone clock: when it
    started, its deadline (working calendar and pauses: the SLA's), when it
    was reached (None: not yet), whether its breach counts (breached, not
    waived) and whether an SLA administrator waived it."""

    start: object
    deadline: object
    reached: object
    breach_counted: bool
    waived: bool = False


def milestone_quantity(mode, clock, now, target=None):
    """The occurrences (1 or 0) or days over one clock gives a milestone
    item. Without an own ``target`` (a timedelta from the clock's start) the
    SLA's verdict holds: its counted breach, its deadline. With one, the
    contractor's deadline is the start plus the target, in elapsed time; a
    waived breach is never counted. A clock not reached counts up to
    ``now``: the caller passes the end of the month assessed, so that a
    month's sheet does not change with the day it is computed on."""
    if clock.waived:
        return 0
    if target is None:
        if not clock.breach_counted:
            return 0
        deadline = clock.deadline
    else:
        if clock.start is None:
            return 0
        deadline = clock.start + target
    done = clock.reached or now
    if mode == PER_OCCURRENCE:
        return 1 if deadline is not None and done > deadline else 0
    return days_over(deadline, done)
