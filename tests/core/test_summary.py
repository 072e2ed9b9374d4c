"""A ticket's SLA status from its clocks (the rule the engine's SQL applies)."""

from datetime import datetime, timedelta

import pytest
from sla_core import BREACHED, MET, PAUSED, PENDING, RUNNING
from sla_core.summary import ticket_summary

T0 = datetime(2026, 3, 2, 8, 0)
H = timedelta(hours=1)


def test_no_clock_is_no_sla():
    assert ticket_summary([]) == ("none", None)


def test_next_deadline_is_the_earliest_running_one():
    clocks = [
        ("contact", RUNNING, T0 + 2 * H),
        ("restored", RUNNING, T0 + H),
        ("resolved", PENDING, None),
        ("diagnosis", MET, T0 - H),
    ]
    assert ticket_summary(clocks) == (RUNNING, T0 + H)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([BREACHED, "config_error", RUNNING], BREACHED),
        (["config_error", RUNNING, PAUSED], "config_error"),
        ([RUNNING, PAUSED, MET, PENDING], RUNNING),
        ([PAUSED, MET, PENDING], PAUSED),
        ([MET, PENDING], MET),
        ([PENDING], PENDING),
    ],
)
def test_the_first_state_in_precedence_wins(states, expected):
    clocks = [(f"k{n}", state, None) for n, state in enumerate(states)]
    assert ticket_summary(clocks)[0] == expected


def test_report_due_when_the_fault_report_is_all_that_runs():
    clocks = [("report", RUNNING, T0 + H), ("resolved", MET, T0)]
    assert ticket_summary(clocks) == ("report_due", T0 + H)
    # another running clock: running, and a breach still wins
    assert ticket_summary([*clocks, ("contact", RUNNING, T0)]) == (RUNNING, T0)
    assert ticket_summary([*clocks, ("contact", BREACHED, T0)])[0] == BREACHED


def test_a_running_clock_without_deadline_gives_no_next_deadline():
    assert ticket_summary([("contact", RUNNING, None)]) == (RUNNING, None)


# --- what people read: a milestone's verdict, frozen at the reach or the close

from sla_core.summary import (
    LATE,
    LEFT,
    NOT_REACHED,
    ON_TIME,
    OVERDUE,
    format_duration,
    milestone_verdict,
    ticket_headline,
)

M = timedelta(minutes=1)
D = timedelta(days=1)


def test_an_open_milestone_counts_live():
    assert milestone_verdict(RUNNING, T0, T0 - 10 * M) == (LEFT, 10 * M)
    assert milestone_verdict(RUNNING, T0, T0 + 10 * M) == (OVERDUE, 10 * M)
    assert milestone_verdict(BREACHED, T0, T0 + 50 * D) == (OVERDUE, 50 * D)
    assert milestone_verdict(PAUSED, None, T0) == (PAUSED, None)
    assert milestone_verdict(PENDING, None, T0) == (PENDING, None)


def test_a_reached_milestone_keeps_its_verdict():
    assert milestone_verdict(MET, T0, T0 + 50 * D, reached_at=T0 - M) == (
        ON_TIME,
        None,
    )
    late = milestone_verdict(BREACHED, T0, T0 + 50 * D, reached_at=T0 + 2 * H)
    assert late == (LATE, 2 * H)


def test_a_closed_ticket_stops_counting_at_its_close():
    closed = T0 + 3 * H
    for now in (closed, closed + 50 * D):
        assert milestone_verdict(BREACHED, T0, now, closed_at=closed) == (
            LATE,
            3 * H,
        )
        # running past its deadline when closed, before the sweep marked it
        assert milestone_verdict(RUNNING, T0, now, closed_at=closed) == (LATE, 3 * H)
        # not late at the close: no breach, and none later
        assert milestone_verdict(RUNNING, T0 + 5 * H, now, closed_at=closed) == (
            NOT_REACHED,
            None,
        )
        assert milestone_verdict(PAUSED, None, now, closed_at=closed) == (
            NOT_REACHED,
            None,
        )


def test_the_headline_of_a_closed_ticket_is_frozen():
    closed = T0 + 3 * H
    clocks = [
        ("contact", BREACHED, T0, None, closed),
        ("restored", MET, T0 + 4 * H, T0 + 2 * H, closed),
    ]
    for now in (closed + M, closed + 50 * D):
        assert ticket_headline(clocks, now) == (LATE, "contact", 3 * H, None)
    met = [
        ("contact", MET, T0, T0 - M, closed),
        ("resolved", PAUSED, None, None, closed),
    ]
    assert ticket_headline(met, closed + 50 * D) == (ON_TIME, None, None, None)
    # the fault report starts at the close and goes on after it
    report = [*clocks, ("report", RUNNING, closed + 48 * H, None, None)]
    assert ticket_headline(report, closed + H) == (LEFT, "report", 47 * H, "contact")
    assert ticket_headline(report, closed + 50 * H)[:3] == (OVERDUE, "report", 2 * H)


def test_the_headline_of_an_open_ticket():
    clocks = [
        ("contact", RUNNING, T0, None, None),
        ("restored", RUNNING, T0 + 4 * H, None, None),
    ]
    assert ticket_headline(clocks, T0 - 5 * M) == (LEFT, "contact", 5 * M, None)
    assert ticket_headline(clocks, T0 + 5 * M) == (OVERDUE, "contact", 5 * M, None)
    assert ticket_headline([("c", "config_error", None, None, None)], T0)[0] == (
        "config_error"
    )
    assert ticket_headline([("c", PAUSED, None, None, None)], T0)[0] == PAUSED
    assert ticket_headline([("c", PENDING, None, None, None)], T0)[0] is None


@pytest.mark.parametrize(
    ("delta", "en", "zh"),
    [
        (0.25, "15 min", "15 分钟"),
        (timedelta(minutes=59, seconds=40), "1 h", "1 小时"),
        (1.5, "1 h 30 min", "1 小时 30 分钟"),
        (2, "2 h", "2 小时"),
        (48, "2 d", "2 天"),
        (timedelta(days=50, hours=3, minutes=10), "50 d 3 h", "50 天 3 小时"),
        (0, "0 min", "0 分钟"),
    ],
)
def test_durations_read_as_people_write_them(delta, en, zh):
    assert format_duration(delta, "en_US") == en
    assert format_duration(delta, "zh_CN") == zh
    assert format_duration(delta, "fr_FR") == en
