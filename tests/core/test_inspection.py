from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.inspection import (
    FAIL,
    HIGH,
    LOW,
    NOT_APPLICABLE,
    OK,
    PASS,
    PENDING,
    UNITS,
    ImpossibleReading,
    InvalidRange,
    add_months,
    check_possible,
    check_range,
    due_occurrences,
    item_is_finding,
    last_occurrence_before,
    missing_occurrences,
    needs_follow_up,
    occurrences,
    reading_is_finding,
    routine_test_too_long,
    verdict,
)


def test_supply_voltage_range_is_inclusive():
    assert verdict("volt", 198, 198, 242) == OK
    assert verdict("volt", 242, 198, 242) == OK
    assert verdict("volt", 197.9, 198, 242) == LOW
    assert verdict("volt", 250, 198, 242) == HIGH


def test_open_bounds():
    assert verdict("ohm", 3.5, None, 4) == OK
    assert verdict("ohm", 4.2, None, 4) == HIGH
    assert verdict("mbps", 95, 90, None) == OK
    assert verdict("mbps", 10, 90, None) == LOW
    assert verdict("celsius", -20, None, None) == OK


def test_not_measured_is_pending_not_a_finding():
    assert verdict("volt", None, 198, 242) == PENDING
    assert not reading_is_finding(PENDING)
    assert reading_is_finding(LOW) and reading_is_finding(HIGH)
    assert not reading_is_finding(OK)


@pytest.mark.parametrize(
    "unit_code, value",
    [("ohm", -0.1), ("percent_rh", 100.5), ("percent_rh", -1), ("volt", -5)],
)
def test_impossible_values_are_refused_not_out_of_range(unit_code, value):
    with pytest.raises(ImpossibleReading):
        verdict(unit_code, value, 0, 10)
    with pytest.raises(ImpossibleReading):
        check_possible(unit_code, value)


def test_range_with_min_above_max_is_refused():
    with pytest.raises(InvalidRange):
        check_range("volt", 242, 198)
    with pytest.raises(ImpossibleReading):
        check_range("percent_rh", 20, 120)
    assert check_range("ohm", None, 4) == (None, 4)
    assert check_range("celsius", 10, 10) == (10, 10)


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        verdict("furlong", 1)


def test_checklist_results():
    assert item_is_finding(FAIL)
    assert not item_is_finding(PASS)
    assert not item_is_finding(NOT_APPLICABLE)
    assert not item_is_finding(None)
    with pytest.raises(ValueError):
        item_is_finding("maybe")


def test_follow_up_only_for_unfixed_findings():
    assert needs_follow_up(True, False)
    assert not needs_follow_up(True, True)
    assert not needs_follow_up(False, False)


def test_home_routine_test_over_30_minutes_is_flagged():
    start = datetime(2026, 11, 2, 9, 0)
    assert not routine_test_too_long("home", start, start + timedelta(minutes=30))
    assert routine_test_too_long("home", start, start + timedelta(minutes=31))
    assert not routine_test_too_long("enterprise", start, start + timedelta(hours=3))
    assert not routine_test_too_long("home", start, None)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_quarterly_occurrences_in_a_window():
    anchor = date(2026, 1, 10)
    assert occurrences(anchor, 3, date(2026, 1, 1), date(2027, 1, 1)) == [
        date(2026, 1, 10),
        date(2026, 4, 10),
        date(2026, 7, 10),
        date(2026, 10, 10),
    ]
    assert occurrences(anchor, 3, date(2026, 11, 1), date(2026, 12, 1)) == []
    with pytest.raises(ValueError):
        occurrences(anchor, 0, anchor, anchor)


def test_generating_twice_creates_nothing_twice():
    anchor, start, end = date(2026, 1, 5), date(2026, 1, 1), date(2026, 7, 1)
    first = missing_occurrences(anchor, 1, start, end, [])
    assert len(first) == 6
    assert missing_occurrences(anchor, 1, start, end, first) == []


def test_last_occurrence_before():
    anchor = date(2026, 1, 31)
    assert last_occurrence_before(anchor, 1, anchor) is None
    assert last_occurrence_before(anchor, 1, date(2026, 1, 1)) is None
    assert last_occurrence_before(anchor, 1, date(2026, 2, 1)) == anchor
    assert last_occurrence_before(anchor, 1, date(2026, 3, 1)) == date(2026, 2, 28)
    assert last_occurrence_before(anchor, 3, date(2026, 12, 7)) == date(2026, 10, 31)
    assert last_occurrence_before(date(2026, 9, 7), 3, date(2026, 12, 8)) == date(
        2026, 12, 7
    )


def test_a_date_due_yesterday_is_still_generated_once():
    """Issue 15, item 21: the quarter's date was "yesterday" when the
    dispatcher generated; it was overdue, not past."""
    anchor, today = date(2026, 9, 7), date(2026, 12, 8)
    end = today + timedelta(days=31)
    assert due_occurrences(anchor, 3, today, end, []) == [date(2026, 12, 7)]
    assert due_occurrences(anchor, 3, today, end, [date(2026, 12, 7)]) == []
    # due today counts as due, of course
    assert due_occurrences(anchor, 3, date(2026, 12, 7), end, []) == [date(2026, 12, 7)]
    # only the last missed date: the ones before it are superseded
    monthly = due_occurrences(
        date(2026, 1, 15), 1, date(2026, 11, 1), date(2026, 12, 1), []
    )
    assert monthly == [date(2026, 10, 15), date(2026, 11, 15)]
    # a plan that starts later has nothing overdue
    assert due_occurrences(date(2027, 2, 7), 6, today, end, []) == []


@given(
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(1, 12),
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(1, 120),
)
def test_due_occurrences_twice_is_nothing(anchor, interval, today, horizon):
    end = today + timedelta(days=horizon)
    first = due_occurrences(anchor, interval, today, end, [])
    assert due_occurrences(anchor, interval, today, end, first) == []
    assert all(d < end for d in first)
    assert len([d for d in first if d < today]) <= 1
    last = last_occurrence_before(anchor, interval, today)
    assert last is None or last < today <= add_months(last, interval)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


@given(
    code=st.sampled_from(sorted(UNITS)),
    value=finite,
    low=st.none() | finite,
    high=st.none() | finite,
)
def test_verdict_is_total_over_possible_values(code, value, low, high):
    u = UNITS[code]
    if not u.possible(value):
        with pytest.raises(ImpossibleReading):
            verdict(code, value, low, high)
        return
    v = verdict(code, value, low, high)
    inside = (low is None or value >= low) and (high is None or value <= high)
    assert (v == OK) == inside
    assert reading_is_finding(v) == (not inside)


@given(
    anchor=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    interval=st.integers(1, 24),
    start=st.dates(date(2020, 1, 1), date(2032, 12, 31)),
    days=st.integers(0, 800),
)
def test_occurrences_are_in_window_and_on_cadence(anchor, interval, start, days):
    end = start + timedelta(days=days)
    found = occurrences(anchor, interval, start, end)
    assert all(start <= d < end for d in found)
    assert found == sorted(set(found))
    every = [add_months(anchor, k * interval) for k in range(200)]
    assert found == [d for d in every if start <= d < end]


def test_an_explicit_time_limit_applies_to_any_segment():
    start = datetime(2026, 11, 2, 9, 0)
    assert routine_test_too_long("enterprise", start, start + timedelta(hours=3), 120)
    assert not routine_test_too_long("home", start, start + timedelta(hours=3), 0)
