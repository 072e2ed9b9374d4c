"""The contractor assessment's arithmetic (field_service_reports' core),
without Odoo: a deduction never raises a score, a score never leaves
[floor, base], caps hold per item, days over count each started day."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports_core.scoring import (
    COMPLAINT as COMPLAINT_SOURCE,
)
from reports_core.scoring import (
    FLOOR_ABOVE_BASE,
    MANUAL,
    MILESTONE,
    NEGATIVE_CAP,
    NEGATIVE_POINTS,
    NO_DEADLINE,
    NO_MILESTONE,
    NO_SOURCE,
    PER_DAY_OVER,
    PER_OCCURRENCE,
    UNKNOWN_MODE,
    UNKNOWN_SOURCE,
    Clock,
    Deduction,
    Item,
    days_over,
    item_problems,
    milestone_quantity,
    scheme_problems,
    score,
)

# seed 003's sample form (维保服务考核表), the shipped scheme's numbers
LATE_EMERGENCY = Item("late_emergency", 15, source=MILESTONE, milestone="on_site")
LATE_ORDINARY = Item("late_ordinary", 15, source=MILESTONE, milestone="on_site")
CAUSE_LATE = Item("cause_late", 10, PER_DAY_OVER, MILESTONE, milestone="diagnosis")
REPORT_LATE = Item("report_late", 5, PER_DAY_OVER, MILESTONE, milestone="report")
COMPLAINT = Item("complaint", Decimal(15), source=COMPLAINT_SOURCE)
SPOT_CHECK = Item("spot_check", Decimal(5), source=MANUAL, cap=Decimal(20))
SCHEME = (
    LATE_EMERGENCY, LATE_ORDINARY, CAUSE_LATE, REPORT_LATE, COMPLAINT, SPOT_CHECK,
)  # fmt: skip
CODES = [item.code for item in SCHEME]

deductions = st.lists(
    st.builds(Deduction, item=st.sampled_from(CODES), quantity=st.integers(0, 40)),
    max_size=30,
)


def test_a_month_of_the_sample_form():
    month = [
        Deduction("late_emergency"),
        Deduction("late_ordinary"),
        Deduction("cause_late", quantity=2),
        Deduction("spot_check"),
    ]
    result = score(SCHEME, month)
    assert result.by_item == {
        "late_emergency": 15,
        "late_ordinary": 15,
        "cause_late": 20,
        "spot_check": 5,
    }
    assert (result.deducted, result.score) == (55, 45)


def test_the_floor_and_the_cap():
    bad_month = [Deduction("complaint")] * 10 + [Deduction("spot_check")] * 9
    result = score(SCHEME, bad_month)
    assert result.by_item["spot_check"] == 20  # 9 x 5 capped at 20
    assert result.deducted == 170 and result.score == 0
    assert score(SCHEME, bad_month, base=100, floor=40).score == 40


@given(deductions, st.sampled_from(CODES), st.integers(0, 40))
def test_a_deduction_never_raises_the_score(month, code, quantity):
    before = score(SCHEME, month).score
    after = score(SCHEME, [*month, Deduction(code, quantity)]).score
    assert after <= before


@given(deductions, st.integers(0, 200), st.integers(0, 200))
def test_the_score_stays_between_floor_and_base(month, base, floor):
    floor, base = min(base, floor), max(base, floor)
    result = score(SCHEME, month, base=base, floor=floor)
    assert floor <= result.score <= base
    assert result.deducted == sum(result.by_item.values())


@given(deductions)
def test_the_order_of_the_deductions_does_not_matter(month):
    assert score(SCHEME, month) == score(SCHEME, list(reversed(month)))


@given(deductions)
def test_a_capped_item_never_takes_more_than_its_cap(month):
    assert score(SCHEME, month).by_item.get("spot_check", 0) <= SPOT_CHECK.cap


def test_days_over_count_each_started_day():
    deadline = datetime(2026, 3, 2, 10)
    assert days_over(deadline, deadline) == 0
    assert days_over(deadline, deadline - timedelta(hours=1)) == 0
    assert days_over(deadline, deadline + timedelta(minutes=1)) == 1
    assert days_over(deadline, deadline + timedelta(days=1)) == 1
    assert days_over(deadline, deadline + timedelta(days=1, seconds=1)) == 2
    assert days_over(deadline, None) == 0


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_days_over_grow_with_the_delay(a, b):
    deadline = datetime(2026, 3, 2, 10)
    early, late = sorted((a, b))
    assert days_over(deadline, deadline + timedelta(minutes=early)) <= days_over(
        deadline, deadline + timedelta(minutes=late)
    )


def test_bad_items_and_schemes():
    assert item_problems(Item("x", Decimal(5), source="manual")) == ()
    assert item_problems(Item("x", Decimal(-1), source="")) == (
        NO_SOURCE,
        NEGATIVE_POINTS,
    )
    assert item_problems(
        Item("x", Decimal(5), mode="per_week", source="manual", cap=Decimal(-1))
    ) == (NEGATIVE_CAP, UNKNOWN_MODE)
    assert item_problems(Item("x", 5, source="rumour")) == (UNKNOWN_SOURCE,)
    assert item_problems(Item("x", 5, source=MILESTONE)) == (NO_MILESTONE,)
    # days over need a deadline: a milestone's, or a dispatcher's count
    assert item_problems(Item("x", 5, PER_DAY_OVER, COMPLAINT_SOURCE)) == (NO_DEADLINE,)
    assert item_problems(Item("x", 5, PER_DAY_OVER, MANUAL)) == ()
    for item in SCHEME:
        assert item_problems(item) == (), item
    assert scheme_problems(base=100, floor=120) == (FLOOR_ABOVE_BASE,)
    with pytest.raises(ValueError):
        score(SCHEME, [], base=10, floor=20)
    with pytest.raises(KeyError):
        score(SCHEME, [Deduction("not_in_the_scheme")])
    with pytest.raises(ValueError):
        score(SCHEME, [Deduction("complaint", quantity=-1)])


T0 = datetime(2026, 11, 3, 9, 0)


def test_a_clock_read_by_the_sla_verdict_or_by_an_own_target():
    breached = Clock(T0, T0 + timedelta(minutes=30), T0 + timedelta(hours=1), True)
    assert milestone_quantity(PER_OCCURRENCE, breached, T0 + timedelta(days=9)) == 1
    assert milestone_quantity(PER_DAY_OVER, breached, T0 + timedelta(days=9)) == 1
    waived = Clock(T0, T0 + timedelta(minutes=30), T0 + timedelta(hours=1), False, True)
    assert milestone_quantity(PER_OCCURRENCE, waived, T0) == 0
    assert milestone_quantity(PER_OCCURRENCE, waived, T0, timedelta(minutes=5)) == 0
    # met by the SLA (its calendar), late by the contractor's own 15 minutes
    met = Clock(T0, T0 + timedelta(hours=1), T0 + timedelta(minutes=40), False)
    assert milestone_quantity(PER_OCCURRENCE, met, T0) == 0
    assert milestone_quantity(PER_OCCURRENCE, met, T0, timedelta(minutes=15)) == 1
    # not reached: counted up to now, each started day
    open_ = Clock(T0, T0 + timedelta(hours=2), None, True)
    now = T0 + timedelta(days=2, hours=3)
    assert milestone_quantity(PER_DAY_OVER, open_, now) == 3
    assert milestone_quantity(PER_DAY_OVER, open_, now, timedelta(hours=24)) == 2
    # never started: no own deadline
    assert milestone_quantity(PER_DAY_OVER, Clock(None, None, None, False), now,
                              timedelta(hours=2)) == 0  # fmt: skip


@given(
    late=st.integers(0, 10_000),
    extra=st.integers(0, 10_000),
    mode=st.sampled_from([PER_OCCURRENCE, PER_DAY_OVER]),
)
def test_later_never_costs_less(late, extra, mode):
    """A clock reached later never takes fewer points off."""
    deadline = T0 + timedelta(hours=2)

    def quantity(minutes):
        reached = deadline + timedelta(minutes=minutes)
        return milestone_quantity(mode, Clock(T0, deadline, reached, True), reached)

    assert quantity(late + extra) >= quantity(late)
