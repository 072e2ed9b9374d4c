"""The field-work rules: appointments, check-in, absent customer, crew,
observation, completion."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.fieldwork import (
    CONTACT_LATE,
    CONTACT_MET,
    CONTACT_OVERDUE,
    CONTACT_PENDING,
    EARLY,
    ENTERPRISE,
    HOME,
    JUST_IN_TIME,
    LATE,
    LATE_UNANNOUNCED,
    ON_TIME,
    FieldworkError,
    FieldworkRules,
    absent_allowed_from,
    absent_wait_start,
    check_absent,
    check_check_in,
    check_in_verdict,
    check_window,
    completion_problems,
    contact_deadline,
    contact_state,
    crew_problem,
    observation_end,
    observation_time,
    remaining_minutes,
    short_notice,
)

T = datetime(2026, 3, 2, 9, 0)
M = timedelta(minutes=1)


def test_window_must_end_after_start():
    check_window(T, T + 60 * M)
    check_window(T, None)
    with pytest.raises(FieldworkError, match="window_ends_before_start"):
        check_window(T, T - M)
    with pytest.raises(FieldworkError):
        check_window(T, T)


def test_contact_clock():
    assert contact_deadline(T) == T + 120 * M
    assert contact_deadline(None) is None
    assert contact_state(None, None, T) is None
    assert contact_state(T, None, T + 60 * M) == CONTACT_PENDING
    assert contact_state(T, None, T + 121 * M) == CONTACT_OVERDUE
    assert contact_state(T, T + 30 * M, T + 300 * M) == CONTACT_MET
    assert contact_state(T, T + 130 * M, T + 300 * M) == CONTACT_LATE


def test_short_notice_is_company_caused_and_under_two_hours():
    appointment = T + 90 * M
    assert short_notice("company", T, appointment)
    assert not short_notice("company", T, T + 120 * M)
    assert not short_notice("customer", T, appointment)
    assert not short_notice("company", T, None)


@pytest.mark.parametrize(
    ("arrived", "announced", "verdict"),
    [
        (-30, False, EARLY),
        (-10, False, ON_TIME),
        (-5, False, ON_TIME),
        (-2, False, JUST_IN_TIME),
        (0, False, JUST_IN_TIME),
        (3, False, LATE_UNANNOUNCED),
        (3, True, LATE),
    ],
)
def test_check_in_verdict(arrived, announced, verdict):
    assert check_in_verdict(T + arrived * M, T, announced) == verdict


def test_check_in_without_appointment_has_no_verdict():
    assert check_in_verdict(T, None) is None


def test_check_in_refused_before_dispatch_or_in_future():
    check_check_in(T, T - M, T)
    with pytest.raises(FieldworkError, match="check_in_in_future"):
        check_check_in(T + M, T - M, T)
    with pytest.raises(FieldworkError, match="check_in_before_dispatch"):
        check_check_in(T - 2 * M, T - M, T)


def test_absent_only_after_the_wait():
    # arrived after the appointment start (or without one): from the arrival
    for appointment in (None, T - 30 * M, T):
        assert absent_wait_start(T, appointment) == T
        assert absent_allowed_from(T, appointment) == T + 15 * M
        check_absent(T, appointment, T + 15 * M)
        with pytest.raises(FieldworkError, match="absent_too_early"):
            check_absent(T, appointment, T + 14 * M)
    with pytest.raises(FieldworkError, match="absent_without_check_in"):
        check_absent(None, T, T)
    assert absent_allowed_from(None, T) is None
    check_absent(T, None, T + 10 * M, FieldworkRules(absent_wait=10 * M))


def test_absent_wait_counts_from_the_appointment_when_arrived_early():
    # issue 15, item 22: arrived 08:16 for an 08:51 appointment; 08:31 is
    # before the appointment, the wait ends at 09:06
    arrived, appointment = T.replace(hour=8, minute=16), T.replace(hour=8, minute=51)
    assert absent_wait_start(arrived, appointment) == appointment
    assert absent_allowed_from(arrived, appointment) == T.replace(hour=9, minute=6)
    for left in (arrived + 15 * M, appointment, appointment + 14 * M):
        with pytest.raises(FieldworkError, match="absent_too_early"):
            check_absent(arrived, appointment, left)
    check_absent(arrived, appointment, appointment + 15 * M)


@given(
    st.integers(-600, 600),
    st.integers(0, 900),
    st.integers(0, 120),
)
def test_absent_never_before_the_appointment_nor_the_arrival(offset, wait, minutes):
    appointment = T + offset * M
    left = T + wait * M
    rules = FieldworkRules(absent_wait=minutes * M)
    try:
        check_absent(T, appointment, left, rules)
    except FieldworkError:
        assert left < max(T, appointment) + minutes * M
    else:
        assert left >= T + minutes * M
        assert left >= appointment + minutes * M


def test_crew_rule_per_segment():
    assert crew_problem(HOME, 1) is None
    assert crew_problem(HOME, 2) is None
    assert crew_problem(HOME, 3) == (1, 2)
    assert crew_problem(HOME, 0) == (1, 2)
    assert crew_problem(ENTERPRISE, 1) == (2, 2)
    assert crew_problem(ENTERPRISE, 2) is None
    assert crew_problem(None, 1) is None


def test_observation_times():
    assert observation_time(HOME) == 5 * M
    assert observation_time(ENTERPRISE) == 10 * M
    assert observation_time(HOME, repeated=True) == 30 * M
    assert observation_end(T, ENTERPRISE) == T + 10 * M
    assert observation_end(None, HOME) is None
    long_base = FieldworkRules(observe={HOME: 5 * M, ENTERPRISE: 60 * M})
    assert observation_time(ENTERPRISE, True, long_base) == 60 * M


def test_remaining_minutes_rounds_up():
    assert remaining_minutes(T + 90 * timedelta(seconds=1), T) == 2
    assert remaining_minutes(T, T + M) == 0
    assert remaining_minutes(None, T) == 0


def test_completion_problems():
    ends = T + 5 * M
    assert completion_problems(T, ends, [True] * 3, T + M) == ["observing"]
    assert completion_problems(T, ends, [True, False, True], T + 6 * M) == ["checks"]
    assert completion_problems(T, ends, [True] * 3, ends) == []
    assert completion_problems(None, None, [True] * 3, T) == []
    # an order closed without a visit (no check-in, no work log) asks no checks
    assert completion_problems(None, None, [False] * 3, T, on_site=False) == []
    assert completion_problems(T, ends, [False] * 3, T + M, on_site=False) == [
        "observing"
    ]


@given(st.integers(-600, 600), st.booleans())
def test_verdict_is_late_exactly_when_after_start(offset, announced):
    verdict = check_in_verdict(T + offset * timedelta(seconds=1), T, announced)
    assert (verdict in (LATE, LATE_UNANNOUNCED)) == (offset > 0)


@given(st.integers(0, 3600), st.sampled_from([HOME, ENTERPRISE]), st.booleans())
def test_observation_countdown_never_grows(elapsed, segment, repeated):
    end = observation_end(T, segment, repeated)
    now = T + timedelta(seconds=elapsed)
    left = remaining_minutes(end, now)
    assert 0 <= left <= remaining_minutes(end, T)
    assert (left == 0) == (now >= end)
    assert bool(completion_problems(T, end, [True] * 3, now)) == (now < end)


@given(st.integers(0, 300))
def test_short_notice_exactly_under_the_notice(minutes_ahead):
    assert short_notice("company", T, T + minutes_ahead * M) == (minutes_ahead < 120)
