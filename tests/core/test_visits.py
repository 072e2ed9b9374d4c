"""Fault rate, repeat-fault rate and visit cadence (sla_core.visits)."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_core import (
    CADENCE,
    FAULT_RATE,
    REPEAT_RATE,
    BadRateInput,
    FaultStats,
    cadence_dates,
    fault_rate,
    fault_stats,
    is_repeated_fault,
    next_visit_due,
    plan_visits,
    rate_reason,
    repeat_rate,
    repeated_flags,
)

NOW = datetime(2026, 11, 22, 12, 0)
TODAY = date(2026, 11, 22)
D = timedelta(days=1)


def test_a_fault_repeats_the_previous_fault_of_its_line_within_the_days():
    faults = [
        ("A", NOW - 40 * D),
        ("A", NOW - 20 * D),  # 20 days after the first: repeat (30)
        ("B", NOW - 19 * D),  # other line
        ("A", NOW - 1 * D),  # 19 days after the second: repeat
        ("B", NOW),  # 19 days after B's first: repeat
    ]
    assert repeated_flags(faults, 30) == [False, True, False, True, True]
    assert repeated_flags(faults, 10) == [False] * 5


def test_the_repeat_days_bound_is_inclusive_and_order_given_breaks_ties():
    assert repeated_flags([("A", NOW - 30 * D), ("A", NOW)], 30) == [False, True]
    assert repeated_flags([("A", NOW), ("A", NOW)], 0) == [False, True]
    assert is_repeated_fault(NOW, [NOW - 30 * D], 30)
    assert not is_repeated_fault(NOW, [NOW - 31 * D, NOW + D], 30)


def test_fault_stats_count_the_window_and_look_back_before_it():
    faults = [
        ("A", NOW - 95 * D),  # outside the window, makes the next a repeat
        ("A", NOW - 89 * D),
        ("B", NOW - 50 * D),
        ("C", NOW - 10 * D),  # line C was withdrawn since: still counted
    ]
    stats = fault_stats(faults, {"A", "B", "D"}, NOW, 90, 30)
    assert stats == FaultStats(lines=4, faults=3, repeats=1)
    assert stats.fault_rate == 0.75
    assert stats.repeat_rate == pytest.approx(1 / 3)


def test_rates_without_faults_or_lines_are_zero():
    assert fault_rate(0, 0) == 0.0
    assert repeat_rate(0, 0) == 0.0
    assert fault_stats([], set(), NOW, 90, 30).fault_rate == 0.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: fault_rate(-1, 2),
        lambda: fault_rate(1, 0),
        lambda: repeat_rate(3, 2),
        lambda: repeat_rate(-1, 2),
        lambda: repeated_flags([], -1),
        lambda: fault_stats([], set(), NOW, -5, 30),
        lambda: rate_reason(FaultStats(1, 0, 0), -0.1, 0),
        lambda: rate_reason(FaultStats(1, 0, 0), 0, 1.5),
        lambda: next_visit_due(None, -30, TODAY),
        lambda: cadence_dates(None, 30, TODAY, TODAY - D),
        lambda: plan_visits([], 30, TODAY, TODAY + 30 * D, reason="weather"),
        lambda: plan_visits([], 30, NOW, TODAY + 30 * D),
    ],
)
def test_bad_input_is_refused(call):
    with pytest.raises(BadRateInput):
        call()


def test_rate_reason_is_strictly_above_and_zero_is_off():
    stats = FaultStats(lines=4, faults=2, repeats=1)  # 0.5 and 0.5
    assert rate_reason(stats, 0.5, 0.5) is None
    assert rate_reason(stats, 0.4, 0) == FAULT_RATE
    assert rate_reason(stats, 0, 0.4) == REPEAT_RATE
    assert rate_reason(stats, 0, 0) is None


def test_cadence_runs_from_the_last_visit_and_overdue_is_today():
    assert next_visit_due(TODAY - 10 * D, 30, TODAY) == TODAY + 20 * D
    assert next_visit_due(None, 30, TODAY) == TODAY
    assert next_visit_due(TODAY, 0, TODAY) is None
    end = TODAY + 30 * D
    assert cadence_dates(TODAY - 100 * D, 30, TODAY, end) == [TODAY, TODAY + 30 * D]
    assert cadence_dates(TODAY - 3 * D, 7, TODAY, TODAY + 14 * D) == [
        TODAY + 4 * D,
        TODAY + 11 * D,
    ]


def test_plan_by_cadence_and_by_rate():
    end = TODAY + 30 * D
    # due by cadence in 20 days
    assert plan_visits([TODAY - 70 * D], 90, TODAY, end) == [(TODAY + 20 * D, CADENCE)]
    # the rate calls for a visit today; the cadence then runs from it
    assert plan_visits([TODAY - 70 * D], 90, TODAY, end, FAULT_RATE) == [
        (TODAY, FAULT_RATE)
    ]
    # a visit 10 days ago covers the rate
    assert plan_visits([TODAY - 10 * D], 0, TODAY, end, REPEAT_RATE) == []
    # as does one planned within the week
    assert plan_visits([TODAY + 5 * D], 0, TODAY, end, REPEAT_RATE) == []
    # an overdue planned visit is not planned again
    assert plan_visits([TODAY - 100 * D], 30, TODAY, end, overdue_open=True) == []


dates = st.integers(-400, 60).map(lambda n: TODAY + n * D)


@settings(max_examples=300, deadline=None)
@given(
    visits=st.lists(dates, max_size=5),
    interval=st.integers(0, 120),
    horizon=st.integers(0, 62),
    reason=st.sampled_from([None, FAULT_RATE, REPEAT_RATE]),
    overdue=st.booleans(),
)
def test_planning_twice_plans_nothing_twice(visits, interval, horizon, reason, overdue):
    end = TODAY + horizon * D
    first = plan_visits(visits, interval, TODAY, end, reason, overdue_open=overdue)
    again = plan_visits(
        visits + [d for d, _r in first], interval, TODAY, end, reason, overdue_open=overdue
    )
    assert again == []
    planned = [d for d, _r in first]
    assert len(set(planned)) == len(planned)
    assert all(TODAY <= d <= end for d in planned)
    assert not set(planned) & set(visits)


fault_lists = st.lists(
    st.tuples(
        st.sampled_from("ABCD"),
        st.integers(0, 200 * 24).map(lambda h: NOW - timedelta(hours=h)),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(faults=fault_lists, repeat_days=st.integers(0, 60))
def test_the_repeat_rate_is_a_share(faults, repeat_days):
    stats = fault_stats(faults, {"A", "B"}, NOW, 90, repeat_days)
    assert 0.0 <= stats.repeat_rate <= 1.0
    assert stats.fault_rate >= 0.0
    assert stats.repeats <= stats.faults


@settings(max_examples=300, deadline=None)
@given(
    faults=fault_lists,
    extra=st.tuples(
        st.sampled_from("AB"), st.integers(0, 89 * 24).map(lambda h: NOW - timedelta(hours=h))
    ),
    repeat_days=st.integers(0, 60),
)
def test_adding_a_fault_never_lowers_the_fault_rate_nor_the_repeats(
    faults, extra, repeat_days
):
    # on a line in service, so the line count does not change
    before = fault_stats(faults, {"A", "B"}, NOW, 90, repeat_days)
    after = fault_stats([*faults, extra], {"A", "B"}, NOW, 90, repeat_days)
    assert after.fault_rate > before.fault_rate
    assert after.repeats >= before.repeats
    assert after.faults == before.faults + 1


@settings(max_examples=200, deadline=None)
@given(faults=fault_lists, repeat_days=st.integers(0, 60))
def test_a_longer_repeat_window_finds_at_least_as_many_repeats(faults, repeat_days):
    short = sum(repeated_flags(faults, repeat_days))
    long = sum(repeated_flags(faults, repeat_days + 1))
    assert long >= short


@settings(max_examples=200, deadline=None)
@given(faults=fault_lists, repeat_days=st.integers(0, 60))
def test_flags_agree_with_the_single_fault_question(faults, repeat_days):
    flags = repeated_flags(faults, repeat_days)
    for i, (line, at) in enumerate(faults):
        earlier = [
            t
            for j, (other, t) in enumerate(faults)
            if j != i and other == line and (t < at or (t == at and j < i))
        ]
        assert flags[i] == is_repeated_fault(at, earlier, repeat_days)
