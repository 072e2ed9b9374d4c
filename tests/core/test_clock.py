from datetime import datetime, timedelta

import pytest
from calendars import local, office_schedule
from sla_core import (
    BREACHED,
    MET,
    PAUSED,
    PENDING,
    RUNNING,
    AroundTheClock,
    ReachedBeforeStart,
    duration_excluding,
    read_clock,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, 8, 0)
ALWAYS = AroundTheClock()


def test_running_clock_counts_down():
    r = read_clock(ALWAYS, T0, 15 * M, now=T0 + 5 * M)
    assert (r.state, r.deadline, r.remaining) == (RUNNING, T0 + 15 * M, 10 * M)
    assert r.next_event == T0 + 15 * M


def test_unreached_clock_past_deadline_is_breached_with_negative_remaining():
    r = read_clock(ALWAYS, T0, 15 * M, now=T0 + 20 * M)
    assert (r.state, r.remaining) == (BREACHED, -5 * M)
    assert r.next_event is None


def test_reached_in_time_is_met_and_late_is_breached():
    assert read_clock(ALWAYS, T0, H, T0 + 5 * H, reached_at=T0 + H).state == MET
    assert (
        read_clock(ALWAYS, T0, H, T0 + 5 * H, reached_at=T0 + H + M).state == BREACHED
    )


def test_pending_until_start_event():
    r = read_clock(ALWAYS, None, H, now=T0)
    assert (r.state, r.deadline, r.remaining) == (PENDING, None, H)


def test_open_pause_freezes_the_clock():
    r = read_clock(ALWAYS, T0, H, now=T0 + 3 * H, pauses=[(T0 + 20 * M, None)])
    assert (r.state, r.deadline, r.remaining) == (PAUSED, None, 40 * M)
    assert r.paused == 2 * H + 40 * M


def test_resumed_pause_pushes_deadline_by_paused_time():
    pauses = [(T0 + 20 * M, T0 + 2 * H)]
    r = read_clock(ALWAYS, T0, H, now=T0 + 2 * H + 10 * M, pauses=pauses)
    assert (r.state, r.deadline, r.remaining) == (RUNNING, T0 + 2 * H + 40 * M, 30 * M)
    assert r.paused == H + 40 * M


def test_pause_after_breach_does_not_unbreach():
    r = read_clock(ALWAYS, T0, H, now=T0 + 3 * H, pauses=[(T0 + 2 * H, None)])
    assert (r.state, r.deadline) == (BREACHED, T0 + H)


def test_pause_on_office_calendar_counts_working_time_only():
    office = office_schedule()
    start = local(2026, 3, 6, 16, 0)  # Friday
    pauses = [(local(2026, 3, 6, 16, 30), local(2026, 3, 9, 9, 0))]  # to Monday 09:00
    r = read_clock(office, start, H, now=local(2026, 3, 9, 9, 0), pauses=pauses)
    assert r.deadline == local(2026, 3, 9, 9, 30)
    assert r.paused == H  # 16:30-17:00 Friday, 08:30-09:00 Monday


def test_reached_before_start_is_refused():
    with pytest.raises(ReachedBeforeStart):
        read_clock(ALWAYS, T0, H, now=T0, reached_at=T0 - M)


def test_zero_target_is_refused():
    with pytest.raises(ValueError):
        read_clock(ALWAYS, T0, timedelta(0), now=T0)


def test_reopen_resumes_from_original_start_minus_closed_time():
    # Resolved at +2h, reopened at +5h: the closed period is a pause, the
    # clock resumes with the time it had left.
    closed = [(T0 + 2 * H, T0 + 5 * H)]
    r = read_clock(ALWAYS, T0, 4 * H, now=T0 + 6 * H, pauses=closed)
    assert (r.state, r.deadline, r.remaining) == (RUNNING, T0 + 7 * H, H)


def test_restore_duration_excludes_pauses():
    pauses = [(T0 + H, T0 + 2 * H), (T0 + 90 * M, T0 + 3 * H), (T0 + 10 * H, None)]
    assert duration_excluding(T0, T0 + 4 * H, pauses) == 2 * H
    assert duration_excluding(T0, None, pauses) == timedelta(0)
