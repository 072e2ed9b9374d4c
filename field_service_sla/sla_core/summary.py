"""A ticket's SLA status at a glance, from the states of its clocks; what
people read of it (each milestone's verdict, the ticket's headline, frozen at
the reach or the close); durations as people write them.

The status: the same rule as the SQL of ``fs.sla.engine._refresh_summary``, which stays
the authority for tickets whose clocks are in the database: this one lets
the engine give a new ticket its status with the values it has just
computed, so that the ticket's row is written once, not twice.
"""

from datetime import timedelta

from .clock import BREACHED, MET, PAUSED, PENDING, RUNNING

NO_SLA = "none"
CONFIG_ERROR = "config_error"
REPORT_DUE = "report_due"
REPORT = "report"  # the milestone kind of the fault report
# the first state some clock is in decides, in this order
PRECEDENCE = (BREACHED, CONFIG_ERROR, None, RUNNING, PAUSED, MET, PENDING)


def ticket_summary(clocks):
    """``(status, next deadline)`` of a ticket whose clocks are ``clocks``,
    an iterable of ``(kind, state, deadline)``.

    No clock: "none". Otherwise the first of breached, configuration error,
    report due (every running clock is the fault report's), running, paused,
    met, not started that some clock is in. The next deadline is the earliest
    deadline of a running clock, or None."""
    states, running_kinds, deadlines = set(), set(), []
    for kind, state, deadline in clocks:
        states.add(state)
        if state == RUNNING:
            running_kinds.add(kind)
            if deadline:
                deadlines.append(deadline)
    next_deadline = min(deadlines) if deadlines else None
    if not states:
        return NO_SLA, None
    for state in PRECEDENCE:
        if state is None:
            if running_kinds == {REPORT}:
                return REPORT_DUE, next_deadline
        elif state in states:
            return state, next_deadline
    return None, next_deadline


# How one milestone reads to people. A milestone reached, or not reached when
# its ticket closed, has its final verdict: frozen at the reach or the close,
# so a closed ticket never goes on counting overdue.
ON_TIME = "on_time"  # final: reached by the deadline
LATE = "late"  # final: reached late, or still unreached when the ticket closed
NOT_REACHED = "not_reached"  # final: unreached at the close, not late then
OVERDUE = "overdue"  # live: unreached and past the deadline
LEFT = "left"  # live: time left before the deadline
ZERO = timedelta(0)


def milestone_verdict(state, deadline, now, reached_at=None, closed_at=None):
    """``(verdict, duration)`` of one milestone clock.

    ``closed_at`` is when the clock stopped with its ticket's close (None
    while the ticket is open, and for a clock that starts at the close, such
    as the fault report's, which goes on after it). The duration is how late
    (``LATE``, ``OVERDUE``) or how much is left (``LEFT``), else None. A clock
    with no verdict yet (pending, paused, configuration error) reads as its
    state."""
    if state == CONFIG_ERROR:
        return state, None
    if reached_at:
        if deadline and reached_at > deadline:
            return LATE, reached_at - deadline
        return ON_TIME, None
    if closed_at:
        if deadline and (state == BREACHED or closed_at > deadline):
            return LATE, max(closed_at - deadline, ZERO)
        return NOT_REACHED, None
    if deadline and state in (RUNNING, BREACHED):
        if state == BREACHED or now > deadline:
            return OVERDUE, now - deadline
        return LEFT, deadline - now
    return state, None


def ticket_headline(clocks, now):
    """What a ticket's SLA line says: ``(what, kind, duration, late_kind)``.

    ``clocks`` holds ``(kind, state, deadline, reached_at, closed_at)`` as
    :func:`milestone_verdict` takes them. In this order: a configuration
    error; the earliest overdue milestone (live); the next milestone and its
    time left, with the first milestone already late (``late_kind``); the
    first final breach and by how much; paused; met when every milestone that
    has a verdict was met. ``what`` is None when there is nothing to say."""
    read = []
    for kind, state, deadline, reached_at, closed_at in clocks:
        verdict, duration = milestone_verdict(
            state, deadline, now, reached_at, closed_at
        )
        read.append((verdict, deadline or now, kind, duration))
    read.sort(key=lambda r: r[1])
    first = {}
    for verdict, _deadline, kind, duration in read:
        first.setdefault(verdict, (kind, duration))
    if CONFIG_ERROR in first:
        return CONFIG_ERROR, None, None, None
    if OVERDUE in first:
        return (OVERDUE, *first[OVERDUE], None)
    if LEFT in first:
        return (LEFT, *first[LEFT], first.get(LATE, (None,))[0])
    if LATE in first:
        return (LATE, *first[LATE], None)
    if PAUSED in first:
        return PAUSED, None, None, None
    if ON_TIME in first:
        return ON_TIME, None, None, None
    return None, None, None, None


def duration_parts(delta):
    """A wall-clock duration as people write it, rounded to the minute:
    minutes under an hour, hours and minutes under a day, days and hours
    beyond; a zero part is left out (2 h, not 2 h 0 min). A list of
    ``(number, unit)``, unit one of "d", "h", "min"."""
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return [(minutes, "min")]
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        return [(hours, "h")] + ([(minutes, "min")] if minutes else [])
    days, minutes = divmod(minutes, 24 * 60)
    hours = round(minutes / 60)
    if hours == 24:
        days, hours = days + 1, 0
    return [(days, "d")] + ([(hours, "h")] if hours else [])


# the unit words of the two languages the users read; any other language
# gets the English ones
UNIT_WORDS = {
    "en": {"d": "d", "h": "h", "min": "min"},
    "zh": {"d": "天", "h": "小时", "min": "分钟"},
}


def format_duration(delta, lang="en_US"):
    """``delta`` (a timedelta, or hours as a number) as people write it in
    ``lang``: "15 min" / "15 分钟", "1 h 20 min" / "1 小时 20 分钟",
    "2 d 3 h" / "2 天 3 小时"."""
    if not isinstance(delta, timedelta):
        delta = timedelta(hours=delta or 0)
    words = UNIT_WORDS.get((lang or "en")[:2], UNIT_WORDS["en"])
    return " ".join(f"{n} {words[unit]}" for n, unit in duration_parts(delta))


__all__ = [
    "CONFIG_ERROR",
    "LATE",
    "LEFT",
    "NOT_REACHED",
    "NO_SLA",
    "ON_TIME",
    "OVERDUE",
    "REPORT_DUE",
    "duration_parts",
    "format_duration",
    "milestone_verdict",
    "ticket_headline",
    "ticket_summary",
]
