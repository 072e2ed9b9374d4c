"""A ticket's SLA status at a glance, from the states of its clocks.

The same rule as the SQL of ``fs.sla.engine._refresh_summary``, which stays
the authority for tickets whose clocks are in the database: this one lets
the engine give a new ticket its status with the values it has just
computed, so that the ticket's row is written once, not twice.
"""

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


__all__ = ["CONFIG_ERROR", "NO_SLA", "REPORT_DUE", "ticket_summary"]
