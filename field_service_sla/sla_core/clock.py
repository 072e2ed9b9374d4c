"""One milestone clock: from a start, a target of working time, pauses and an
optional reach time, tell the deadline, the verdict and the time left."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .worktime import ZERO, AroundTheClock, WorkClock

PENDING = "pending"  # the event that starts the clock has not happened
RUNNING = "running"
PAUSED = "paused"
MET = "met"
BREACHED = "breached"
STATES = (PENDING, RUNNING, PAUSED, MET, BREACHED)


class ReachedBeforeStart(ValueError):
    """A milestone cannot be reached before its clock started."""


@dataclass(frozen=True)
class ClockReading:
    state: str
    #: when the target is used up; None while the clock is pending or paused
    #: (a paused clock has no deadline until it resumes).
    deadline: datetime | None
    #: working time left at the reading (negative when overdue); for a reached
    #: clock, the margin it was reached with.
    remaining: timedelta | None
    #: working time the clock was paused for, up to the reading.
    paused: timedelta
    #: working time counted against the target, up to the reading.
    elapsed: timedelta

    @property
    def next_event(self):
        """When this clock will change state by itself: its breach time."""
        return self.deadline if self.state == RUNNING else None


def normalize_pauses(pauses, start, until):
    """Pauses as closed intervals within ``[start, until]``; an open pause
    (end None) runs until ``until``. Returns ``(closed, open_since)`` where
    ``open_since`` is the start of a pause still open at ``until``."""
    closed = []
    open_since = None
    for p_start, p_end in pauses:
        if not p_end or p_end > until:
            if p_start <= until and (open_since is None or p_start < open_since):
                open_since = p_start
            p_end = until
        p_start = max(p_start, start)
        if p_start < p_end:
            closed.append((p_start, p_end))
    return closed, (max(open_since, start) if open_since else None)


def read_clock(schedule, start, target, now, pauses=(), reached_at=None):
    """Evaluate a milestone clock at ``now``.

    ``pauses`` is an iterable of ``(start, end)``, ``end`` None for a pause still
    running. A pause only ever moves the deadline later. ``reached_at`` freezes
    the reading at that instant.
    """
    if target <= ZERO:
        raise ValueError("A milestone target must be positive")
    reached_at = reached_at or None  # Odoo hands an empty datetime as False
    if not start:
        return ClockReading(PENDING, None, target, ZERO, ZERO)
    if reached_at is not None and reached_at < start:
        raise ReachedBeforeStart(
            f"Milestone reached at {reached_at} before its clock started at {start}"
        )
    until = max(reached_at if reached_at is not None else now, start)
    closed, open_since = normalize_pauses(pauses, start, until)
    clock = WorkClock(schedule, closed)
    elapsed = clock.between(start, until)
    paused = WorkClock(schedule).between(start, until) - elapsed
    # The deadline from the pauses known so far: pauses that start after it
    # cannot undo a breach that already happened.
    deadline = clock.add(start, target)
    if reached_at is not None:
        state = MET if reached_at <= deadline else BREACHED
        return ClockReading(state, deadline, target - elapsed, paused, elapsed)
    if open_since is not None and open_since < deadline:
        return ClockReading(PAUSED, None, target - elapsed, paused, elapsed)
    state = RUNNING if now <= deadline else BREACHED
    return ClockReading(state, deadline, target - elapsed, paused, elapsed)


def duration_excluding(start, end, pauses):
    """Wall-clock duration of ``[start, end]`` minus the pauses inside it: the
    operators' service-restoration duration."""
    if not start or not end or end <= start:
        return ZERO
    closed, _open = normalize_pauses(pauses, start, end)
    return WorkClock(AroundTheClock(), closed).between(start, end)


__all__ = [
    "BREACHED",
    "MET",
    "PAUSED",
    "PENDING",
    "RUNNING",
    "STATES",
    "ClockReading",
    "ReachedBeforeStart",
    "duration_excluding",
    "normalize_pauses",
    "read_clock",
]
