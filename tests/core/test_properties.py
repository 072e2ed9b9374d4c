"""Invariants of the clock arithmetic, on random calendars and pauses."""

from datetime import datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sla_core import (
    RUNNING,
    FixedSchedule,
    PolicyRule,
    WorkClock,
    find_shadowed,
    read_clock,
    select_policy,
)

BASE = datetime(2026, 1, 5)
M = timedelta(minutes=1)


@st.composite
def schedules(draw):
    """A weekly pattern of 0-3 shifts a day, repeated for a year."""
    week = []
    for day in range(7):
        marks = sorted(draw(st.lists(st.integers(0, 24 * 60), max_size=6, unique=True)))
        shifts = list(zip(marks[0::2], marks[1::2], strict=False))
        week.extend((day * 1440 + a, day * 1440 + b) for a, b in shifts)
    # enough working time that 60 weeks hold the largest target (3 days)
    assume(sum(b - a for a, b in week) >= 180)
    intervals = [
        (BASE + (w * 7 * 1440 + a) * M, BASE + (w * 7 * 1440 + b) * M)
        for w in range(60)
        for a, b in week
    ]
    return FixedSchedule(intervals)


minutes = st.integers(0, 14 * 1440).map(lambda n: BASE + n * M)
targets = st.integers(1, 3 * 1440).map(lambda n: n * M)
pause = st.tuples(st.integers(0, 14 * 1440), st.integers(1, 3 * 1440)).map(
    lambda p: (BASE + p[0] * M, BASE + (p[0] + p[1]) * M)
)
pause_lists = st.lists(pause, max_size=4)
FAR = BASE + timedelta(days=400)


@settings(max_examples=150, deadline=None)
@given(schedules(), minutes, targets, pause_lists, pause)
def test_a_pause_never_brings_a_deadline_earlier(
    schedule, start, target, pauses, extra
):
    before = read_clock(schedule, start, target, FAR, pauses).deadline
    after = read_clock(schedule, start, target, FAR, [*pauses, extra]).deadline
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(schedules(), minutes, targets, targets, pause_lists)
def test_a_longer_target_never_gives_an_earlier_deadline(
    schedule, start, t1, t2, pauses
):
    short, long_ = sorted((t1, t2))
    assert (
        read_clock(schedule, start, long_, FAR, pauses).deadline
        >= read_clock(schedule, start, short, FAR, pauses).deadline
    )


@settings(max_examples=150, deadline=None)
@given(
    schedules(), minutes, targets, st.integers(0, 3 * 1440), st.integers(0, 3 * 1440)
)
def test_remaining_falls_by_exactly_the_working_time_that_passes(
    schedule, start, target, a, b
):
    t1, t2 = start + min(a, b) * M, start + max(a, b) * M
    r1 = read_clock(schedule, start, target, t1)
    r2 = read_clock(schedule, start, target, t2)
    assert r1.remaining - r2.remaining == WorkClock(schedule).between(t1, t2)


@settings(max_examples=150, deadline=None)
@given(schedules(), minutes, targets, pause_lists)
def test_the_deadline_is_exactly_target_working_time_after_start(
    schedule, start, target, pauses
):
    r = read_clock(schedule, start, target, FAR, pauses)
    closed = [(max(s, start), e) for s, e in pauses if e > start]
    assert WorkClock(schedule, closed).between(start, r.deadline) == target
    # and it is the earliest such instant: no working time is wasted before it
    assert WorkClock(schedule, closed).between(start, r.deadline - M) < target


@settings(max_examples=100, deadline=None)
@given(schedules(), minutes, targets, st.integers(0, 2 * 1440))
def test_running_clock_state_agrees_with_its_deadline(schedule, start, target, offset):
    now = start + offset * M
    r = read_clock(schedule, start, target, now)
    assert (r.state == RUNNING) == (now <= r.deadline)


# policies over a small world, so that every possible ticket can be listed
WORLD = {"segment": ["home", "enterprise"], "level": [1, 2, 3], "priority": ["0", "3"]}
TICKETS = [
    {"segment": s, "level": lv, "priority": p}
    for s in WORLD["segment"]
    for lv in WORLD["level"]
    for p in WORLD["priority"]
]


@st.composite
def policy_rules(draw):
    count = draw(st.integers(1, 6))
    rules = []
    for rule_id in range(1, count + 1):
        conditions = {
            dim: frozenset(draw(st.lists(st.sampled_from(values), max_size=2)))
            for dim, values in WORLD.items()
        }
        rules.append(PolicyRule(rule_id, draw(st.integers(1, 4)), conditions))
    return rules


@settings(max_examples=300, deadline=None)
@given(policy_rules())
def test_a_shadowed_policy_never_governs_a_ticket(rules):
    by_id = {r.id: r for r in rules}
    for shadowed, shadowing in find_shadowed(rules).items():
        for facts in TICKETS:
            if by_id[shadowed].matches(facts):
                assert by_id[shadowing].matches(facts)
                assert select_policy(rules, facts).id != shadowed


@settings(max_examples=300, deadline=None)
@given(policy_rules())
def test_a_policy_that_wins_a_ticket_is_never_reported_shadowed(rules):
    shadowed = find_shadowed(rules)
    for facts in TICKETS:
        winner = select_policy(rules, facts)
        if winner is not None:
            assert winner.id not in shadowed
