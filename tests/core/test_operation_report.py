"""The operation report's period, restore summary and chart (core)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports_core.operation_report import (
    BAD_KIND,
    BAD_START,
    MONTH,
    NOT_ENDED,
    QUARTER,
    BadPeriod,
    Period,
    chart_bars,
    chart_months,
    restore_summary,
)


def test_a_month_and_a_quarter():
    march = Period(MONTH, date(2026, 3, 1))
    assert (march.end, march.last_day, str(march)) == (
        date(2026, 4, 1),
        date(2026, 3, 31),
        "2026-03",
    )
    q4 = Period.containing(QUARTER, date(2026, 11, 17))
    assert q4.first_day == date(2026, 10, 1) and q4.end == date(2027, 1, 1)
    assert str(q4) == "2026 Q4"
    assert q4.month_starts() == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]
    assert Period(MONTH, date(2026, 1, 1)).previous() == Period(
        MONTH, date(2025, 12, 1)
    )


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        ("week", date(2026, 3, 1), BAD_KIND),
        (MONTH, date(2026, 3, 2), BAD_START),
        (QUARTER, date(2026, 2, 1), BAD_START),
    ],
)
def test_bad_periods(kind, day, code):
    with pytest.raises(BadPeriod) as caught:
        Period(kind, day)
    assert caught.value.code == code


def test_a_period_not_yet_ended_is_refused():
    march = Period(MONTH, date(2026, 3, 1))
    with pytest.raises(BadPeriod) as caught:
        march.check_ended(date(2026, 3, 31))
    assert caught.value.code == NOT_ENDED
    march.check_ended(date(2026, 4, 1))


def test_chart_months_end_with_the_period():
    q1 = Period(QUARTER, date(2026, 1, 1))
    assert chart_months(q1, 4) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


def test_restore_summary_against_the_target():
    summary = restore_summary([1.0, 3.0, None], target_hours=2.0)
    assert (summary.restored, summary.mean_hours, summary.worst_hours) == (2, 2.0, 3.0)
    assert summary.over_target == 1.0 and summary.mean_within_target
    empty = restore_summary([], 4.0)
    assert empty.mean_hours is None and empty.over_target is None


def test_chart_bars():
    bars = chart_bars(
        [("01", 1.0, 2), ("02", 0.95, 4), ("03", None, 0), ("04", 0.5, 1)]
    )
    assert [b.height for b in bars] == [100.0, 50.0, 0.0, 0.0]
    assert [b.fault_height for b in bars] == [50.0, 100.0, 0.0, 25.0]
    assert chart_bars([("01", 1.0, 0)])[0].fault_height == 0.0


@given(
    st.lists(
        st.tuples(
            st.just("m"),
            st.one_of(st.none(), st.floats(0, 1)),
            st.integers(0, 1000),
        ),
        max_size=12,
    )
)
def test_bars_stay_inside_the_chart(points):
    for bar in chart_bars(points):
        assert 0.0 <= bar.height <= 100.0 and 0.0 <= bar.fault_height <= 100.0
