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
