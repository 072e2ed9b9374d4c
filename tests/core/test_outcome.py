"""Each milestone clock judged on time, missed or open (sla_core.outcome):
the rule the SLA pivot stores and the monthly report counts."""

from itertools import product

from sla_core import MISSED, ON_TIME, OPEN, milestone_outcome


def outcome(reached=False, counted=False, waived=False, closed=False, running=False):
    return milestone_outcome(
        reached=reached,
        breach_counted=counted,
        breach_waived=waived,
        ticket_closed=closed,
        running=running,
    )


def test_a_milestone_reached_without_a_counted_breach_is_on_time():
    assert outcome(reached=True) == ON_TIME
    assert outcome(reached=True, closed=True) == ON_TIME


def test_a_counted_breach_is_missed_whether_reached_or_not():
    assert outcome(counted=True) == MISSED
    assert outcome(counted=True, reached=True) == MISSED
    assert outcome(counted=True, running=True) == MISSED


def test_a_waived_breach_is_on_time():
    assert outcome(waived=True, reached=True) == ON_TIME
    assert outcome(waived=True, closed=True) == ON_TIME


def test_a_closed_ticket_never_reached_is_missed_not_paused():
    """Closing pauses the clocks: the milestone was not done, it is missed."""
    assert outcome(closed=True) == MISSED


def test_a_clock_running_after_the_close_is_not_judged_yet():
    """The fault report starts at the close: it is due, not missed."""
    assert outcome(closed=True, running=True) == OPEN


def test_an_open_ticket_not_reached_yet_is_open():
    assert outcome() == OPEN
    assert outcome(running=True) == OPEN


def test_every_combination_has_one_outcome():
    for flags in product([False, True], repeat=5):
        assert outcome(*flags) in (ON_TIME, MISSED, OPEN)
