from datetime import date, datetime, timedelta

import pytest
from calendars import local, office_schedule
from sla_core import (
    AroundTheClock,
    ChunkedSchedule,
    FixedSchedule,
    NoWorkingTime,
    WorkClock,
    merge,
    subtract,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, 0, 0)


def test_merge_fuses_overlapping_and_touching_and_drops_empty():
    got = merge(
        [
            (T0 + 3 * H, T0 + 4 * H),
            (T0, T0 + H),
            (T0 + H, T0 + 2 * H),
            (T0 + 5 * H, T0 + 5 * H),
        ]
    )
    assert got == [(T0, T0 + 2 * H), (T0 + 3 * H, T0 + 4 * H)]


def test_subtract_cuts_holes_out_of_intervals():
    got = subtract(
        [(T0, T0 + 10 * H)], [(T0 + H, T0 + 2 * H), (T0 + 9 * H, T0 + 12 * H)]
    )
    assert got == [(T0, T0 + H), (T0 + 2 * H, T0 + 9 * H)]


def test_around_the_clock_adds_wall_time():
    assert WorkClock(AroundTheClock()).add(T0, 90 * M) == T0 + 90 * M


def test_friday_1650_office_calendar_rolls_to_monday():
    office = office_schedule()
    # Friday 2026-03-06 16:50 Shanghai; office closes 17:00 on Fridays.
    deadline = WorkClock(office).add(local(2026, 3, 6, 16, 50), 30 * M)
    assert deadline == local(2026, 3, 9, 8, 50)


def test_public_holiday_is_skipped():
    office = office_schedule(holidays={date(2026, 10, d) for d in range(1, 8)})
    # Wednesday 30 September 17:00 with one working hour to go: the National
    # Day week is off, so the hour ends Thursday 8 October 09:00.
    deadline = WorkClock(office).add(local(2026, 9, 30, 17, 0), 1 * H)
    assert deadline == local(2026, 10, 8, 9, 0)


def test_exact_end_of_interval_is_the_deadline():
    office = office_schedule()
    assert WorkClock(office).add(local(2026, 3, 6, 16, 0), 1 * H) == local(
        2026, 3, 6, 17, 0
    )


def test_between_counts_only_working_time_and_is_antisymmetric():
    office = office_schedule()
    a, b = local(2026, 3, 6, 16, 0), local(2026, 3, 9, 9, 0)
    assert WorkClock(office).between(a, b) == 90 * M
    assert WorkClock(office).between(b, a) == -90 * M


def test_schedule_without_working_time_raises():
    with pytest.raises(NoWorkingTime):
        WorkClock(FixedSchedule([]), horizon=timedelta(days=30)).add(T0, H)


def test_chunked_schedule_fetches_each_chunk_once():
    office = office_schedule()
    calls = []

    def fetch(start, end):
        calls.append((start, end))
        return office.intervals(start, end)

    chunked = ChunkedSchedule(fetch)
    clock = WorkClock(chunked)
    first = [clock.add(local(2026, 3, 6, 16, 50) + n * M, 30 * M) for n in range(500)]
    assert len(calls) <= 2
    assert first == [
        WorkClock(office).add(local(2026, 3, 6, 16, 50) + n * M, 30 * M)
        for n in range(500)
    ]


def test_chunked_schedule_merges_intervals_across_chunk_boundaries():
    chunked = ChunkedSchedule(AroundTheClock().intervals, chunk=timedelta(days=1))
    assert chunked.intervals(T0 - H, T0 + 2 * H) == [(T0 - H, T0 + 2 * H)]
