"""A line's availability (field_service_reports' core): planned work is
stated, never counted as out of service; availability stays in [0, 1] and
planned work never lowers it."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports_core.availability import (
    Availability,
    availability_by_period,
    combined,
    line_availability,
    merge,
    subtract,
)

START = datetime(2026, 3, 1)
END = datetime(2026, 4, 1)  # 744 hours


def at(day, hour=0):
    return datetime(2026, 3, day, hour)


def test_a_month_without_faults_is_fully_available():
    result = line_availability(START, END, [], [])
    assert result == Availability(744.0, 0.0, 0.0)
    assert result.availability == 1.0


def test_overlapping_faults_count_their_common_time_once():
    outages = [(at(2, 10), at(2, 14)), (at(2, 12), at(2, 16))]
    result = line_availability(START, END, outages, [])
    assert result.outage_hours == 6
    assert result.availability == pytest.approx(1 - 6 / 744)


def test_planned_work_is_stated_and_not_counted_as_out_of_service():
    outages = [(at(5, 0), at(5, 6))]
    planned = [(at(5, 2), at(5, 4))]
    result = line_availability(START, END, outages, planned)
    assert result.outage_hours == 4
    assert result.planned_hours == 2


def test_a_fault_still_down_runs_to_the_period_end_and_is_clipped_to_it():
    outages = [(datetime(2026, 2, 28, 22), None), (at(31, 23), None)]
    result = line_availability(START, END, outages, [])
    assert result.outage_hours == 744  # down since before the month, never back
    so_far = line_availability(START, END, outages, [], now=at(1, 6))
    assert (so_far.outage_hours, so_far.period_hours) == (6, 6)


def test_a_period_needs_datetimes():
    with pytest.raises(TypeError):
        line_availability(START.date(), END, [], [])


def test_by_period_and_combined():
    outages = [(at(31, 20), datetime(2026, 4, 1, 4))]
    march, april = availability_by_period(
        [(START, END), (END, datetime(2026, 5, 1))], outages, []
    )
    assert (march.outage_hours, april.outage_hours) == (4, 4)
    both = combined([march, april])
    assert both.outage_hours == 8 and both.period_hours == 744 + 720


def test_subtract_and_merge():
    assert merge([(3, 4), (1, 2), (2, 3), (5, 5)]) == [(1, 4)]
    assert subtract([(0, 10)], [(2, 3), (5, 12)]) == [(0, 2), (3, 5)]
    assert subtract([(0, 10)], []) == [(0, 10)]


hours = st.integers(min_value=-48, max_value=800)


@st.composite
def intervals(draw, open_end=False):
    result = []
    for _ in range(draw(st.integers(0, 6))):
        start = START + timedelta(hours=draw(hours))
        length = draw(st.integers(0, 100))
        end = start + timedelta(hours=length)
        if open_end and draw(st.booleans()):
            end = None
        result.append((start, end))
    return result


@given(intervals(open_end=True), intervals())
def test_availability_is_between_0_and_1(outages, planned):
    result = line_availability(START, END, outages, planned)
    assert 0.0 <= result.availability <= 1.0
    assert 0.0 <= result.outage_hours <= result.period_hours
    assert 0.0 <= result.planned_hours <= result.period_hours


@given(intervals(open_end=True), intervals(), intervals())
def test_planned_work_never_lowers_availability(outages, planned, more):
    before = line_availability(START, END, outages, planned)
    after = line_availability(START, END, outages, planned + more)
    assert after.availability >= before.availability


@given(intervals(open_end=True), intervals(open_end=True), intervals())
def test_another_fault_never_raises_availability(outages, more, planned):
    before = line_availability(START, END, outages, planned)
    after = line_availability(START, END, outages + more, planned)
    assert after.availability <= before.availability
