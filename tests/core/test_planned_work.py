"""Planned work and assurance periods: notice, windows, conflicts, what a
cutover does to a ticket's clocks and to the month's figures. No Odoo."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.planned_work import (
    DEFAULT_NOTICE_DAYS,
    EMERGENCY_WITHOUT_REASON,
    ENDS_BEFORE_START,
    FAULT,
    IMPORTANT_NOTICE_DAYS,
    IN_THE_PAST,
    NO_LINE,
    NOTICE_TOO_LATE,
    PLANNED,
    TOO_LONG,
    Window,
    assurance_conflicts,
    assurance_problems,
    inspection_date,
    line_conflicts,
    notice_days,
    notice_deadline,
    planned_outcome,
    planned_pause,
    window_problems,
)

H = timedelta(hours=1)
D = timedelta(days=1)
NOW = datetime(2026, 12, 7, 10, 0)
# Saturday 02:00-05:00 China time, ten days ahead (UTC)
NIGHT = Window(datetime(2026, 12, 16, 18, 0), datetime(2026, 12, 16, 21, 0))


def check(window=NIGHT, **kw):
    values = {"now": NOW, "notice": DEFAULT_NOTICE_DAYS, "line_count": 3}
    values.update(kw)
    return window_problems(window, **values)


# -- notice -------------------------------------------------------------------
def test_important_customers_are_owed_more_notice():
    assert notice_days(False) == DEFAULT_NOTICE_DAYS == 3
    assert notice_days(True) == IMPORTANT_NOTICE_DAYS == 7
    # an administrator's numbers; an important customer never gets less
    assert notice_days(True, default=5, important_days=2) == 5
    with pytest.raises(ValueError):
        notice_days(False, default=-1)


def test_the_notice_deadline_is_the_days_before_the_start():
    assert notice_deadline(NIGHT.start, 3) == NIGHT.start - 3 * D


def test_a_window_with_its_notice_to_run_may_go():
    assert check() == ()
    # told at the very deadline: still in time
    assert check(now=NIGHT.start - 7 * D, notice=7) == ()


def test_notice_too_late_is_refused_unless_an_emergency_with_a_reason():
    late = NIGHT.start - 2 * D
    assert check(now=late) == (NOTICE_TOO_LATE,)
    assert check(now=late, notice=7) == (NOTICE_TOO_LATE,)
    assert check(now=late, emergency=True) == (EMERGENCY_WITHOUT_REASON,)
    assert check(now=late, emergency=True, reason="  ") == (EMERGENCY_WITHOUT_REASON,)
    assert check(now=late, emergency=True, reason="光缆抢修") == ()


def test_even_an_emergency_cannot_start_in_the_past():
    assert check(now=NIGHT.start + H, emergency=True, reason="抢修") == (IN_THE_PAST,)


def test_a_window_ending_before_it_starts_says_only_that():
    backwards = Window(NIGHT.end, NIGHT.start)
    assert check(backwards, line_count=0) == (ENDS_BEFORE_START,)
    assert check(Window(NIGHT.start, NIGHT.start)) == (ENDS_BEFORE_START,)


def test_a_window_longer_than_the_maximum_or_without_lines_is_refused():
    long = Window(NIGHT.start, NIGHT.start + 13 * H)
    assert check(long) == (TOO_LONG,)
    assert check(long, max_hours=24) == ()
    assert check(line_count=0) == (NO_LINE,)
    assert check(long, line_count=0) == (TOO_LONG, NO_LINE)


@given(
    start=st.integers(0, 30 * 24),
    hours=st.integers(-5, 30),
    told=st.integers(-10 * 24, 30 * 24),
    notice=st.integers(0, 10),
    lines=st.integers(0, 3),
    emergency=st.booleans(),
    reason=st.sampled_from(["", " ", "抢修"]),
)
def test_a_window_goes_exactly_when_every_rule_holds(
    start, hours, told, notice, lines, emergency, reason
):
    window = Window(NOW + start * H, NOW + (start + hours) * H)
    now = NOW + told * H
    problems = check(
        window,
        now=now,
        notice=notice,
        line_count=lines,
        emergency=emergency,
        reason=reason,
    )
    ok = (
        0 < hours <= 12
        and lines > 0
        and (
            (emergency and reason.strip() and window.start >= now)
            or (not emergency and now <= window.start - notice * D)
        )
    )
    assert (problems == ()) == bool(ok)


# -- assurance periods ----------------------------------------------------------
def test_an_assurance_period_over_already_is_refused_one_under_way_is_not():
    meeting = Window(NOW - 2 * H, NOW + 6 * H)
    assert assurance_problems(meeting, now=NOW) == ()
    assert assurance_problems(meeting, now=meeting.end) == (IN_THE_PAST,)
    assert assurance_problems(Window(NOW + D, NOW), now=NOW) == (ENDS_BEFORE_START,)


def test_the_inspection_is_planned_the_day_before_the_period():
    assert inspection_date(datetime(2026, 12, 20, 1, 0)) == date(2026, 12, 19)
    assert inspection_date(datetime(2026, 12, 20, 1, 0), lead_days=3) == date(
        2026, 12, 17
    )
    with pytest.raises(ValueError):
        inspection_date(NOW, lead_days=-1)


# -- conflicts ------------------------------------------------------------------
def test_planned_works_conflict_on_shared_lines_at_overlapping_times():
    others = [
        (
            1,
            Window(NIGHT.start + H, NIGHT.end + H),
            {"L1", "L9"},
        ),  # overlaps, shares L1
        (2, Window(NIGHT.end, NIGHT.end + 2 * H), {"L1"}),  # starts as mine ends
        (3, Window(NIGHT.start, NIGHT.end), {"L7"}),  # same time, other lines
    ]
    assert line_conflicts(NIGHT, {"L1", "L2"}, others) == {1: frozenset({"L1"})}


def test_a_cutover_breaks_into_the_assurance_periods_of_its_customers():
    affected = {"bank": {"L1", "L2"}, "school": {"L5"}}
    periods = [
        (10, "bank", Window(NIGHT.start - D, NIGHT.end), None),  # all its lines
        (11, "bank", Window(NIGHT.start, NIGHT.end), {"L3"}),  # other lines
        (12, "school", Window(NIGHT.end, NIGHT.end + D), None),  # after
        (13, "hospital", Window(NIGHT.start, NIGHT.end), None),  # not affected
    ]
    assert assurance_conflicts(NIGHT, affected, periods) == {
        10: frozenset({"L1", "L2"})
    }


@given(
    a=st.tuples(st.integers(0, 48), st.integers(1, 12)),
    b=st.tuples(st.integers(0, 48), st.integers(1, 12)),
)
def test_overlap_is_symmetric_and_half_open(a, b):
    wa = Window(NOW + a[0] * H, NOW + (a[0] + a[1]) * H)
    wb = Window(NOW + b[0] * H, NOW + (b[0] + b[1]) * H)
    assert wa.overlaps(wb) == wb.overlaps(wa)
    shared_hours = set(range(a[0], a[0] + a[1])) & set(range(b[0], b[0] + b[1]))
    assert wa.overlaps(wb) == bool(shared_hours)


# -- tickets in the window --------------------------------------------------------
def test_a_ticket_raised_in_the_window_pauses_until_its_end():
    reported = NIGHT.start + H
    assert planned_pause(NIGHT, reported) == (reported, NIGHT.end)
    assert planned_pause(NIGHT, NIGHT.start - H) is None
    assert planned_pause(NIGHT, NIGHT.end) is None


def test_a_line_restored_in_the_window_is_planned_one_still_down_is_a_fault():
    reported = NIGHT.start + H
    assert planned_outcome(NIGHT, reported, restored_at=NIGHT.end - H) == PLANNED
    assert planned_outcome(NIGHT, reported, restored_at=NIGHT.end) == PLANNED
    assert planned_outcome(NIGHT, reported, restored_at=NIGHT.end + H) == FAULT
    # not restored yet: planned while the window lasts, a fault after it
    assert planned_outcome(NIGHT, reported, now=NIGHT.end - H) == PLANNED
    assert planned_outcome(NIGHT, reported, now=NIGHT.end + H) == FAULT
    assert planned_outcome(NIGHT, NIGHT.end + H, restored_at=NIGHT.end + 2 * H) is None


def test_notice_sms_names_three_circuits_then_counts():
    from datetime import datetime

    from sla_core.planned_work import CANCELLED, NOTICE, notice_sms

    start, end = datetime(2026, 12, 10, 2), datetime(2026, 12, 10, 5)
    one = notice_sms(NOTICE, "GJ0001", "核心路由器升级", start, end, ["A1"])
    assert one.startswith(
        "【割接通知】GJ0001 核心路由器升级：2026/12/10 02:00-12/10 05:00"
    )
    assert "影响A1。" in one
    many = notice_sms(
        NOTICE, "GJ0001", "x", start, end, ["A1", "A2", "A3", "A4"], emergency=True
    )
    assert many.startswith("【紧急割接通知】") and "A1、A2、A3等4条电路" in many
    gone = notice_sms(CANCELLED, "GJ0001", "x", start, end, ["A1"])
    assert gone.startswith("【割接取消】") and "已取消" in gone


def test_a_held_ticket_escalates_nothing_until_its_hold_ends():
    from datetime import datetime, timedelta

    from sla_core.escalation import (
        HELD_FOREVER,
        SEVERITY,
        LadderSpec,
        StepSpec,
        TicketFacts,
        evaluate,
    )

    step = StepSpec(id=1, trigger=SEVERITY, severity=2)
    ladder = LadderSpec(id=1, steps=(step,))
    now = datetime(2026, 3, 7, 2)
    severe = {"severity": 2}
    assert evaluate([ladder], TicketFacts(**severe), {}, now).due == [(1, 0)]
    held = TicketFacts(**severe, held_until=now + timedelta(hours=3))
    result = evaluate([ladder], held, {}, now)
    assert (result.due, result.next_check) == ([], now + timedelta(hours=3))
    assert evaluate([ladder], held, {}, now + timedelta(hours=3)).due == [(1, 0)]
    never = TicketFacts(**severe, held_until=HELD_FOREVER)
    result = evaluate([ladder], never, {}, now + timedelta(days=365))
    assert (result.due, result.next_check) == ([], None)
