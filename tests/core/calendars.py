"""Schedules for the core tests, in UTC like Odoo stores them."""

from datetime import date, datetime, time, timedelta

from sla_core import FixedSchedule

SHANGHAI = timedelta(hours=8)  # no daylight saving time

# The monitoring-hall office hours of DOMAIN.md, local time.
OFFICE_HOURS = {
    0: (time(8, 30), time(17, 30)),
    1: (time(8, 30), time(17, 30)),
    2: (time(8, 30), time(17, 30)),
    3: (time(8, 30), time(17, 30)),
    4: (time(8, 30), time(17, 0)),
}


def office_schedule(first=date(2026, 1, 1), days=800, holidays=()):
    intervals = []
    for n in range(days):
        day = first + timedelta(days=n)
        hours = OFFICE_HOURS.get(day.weekday())
        if hours is None or day in holidays:
            continue
        start = datetime.combine(day, hours[0]) - SHANGHAI
        end = datetime.combine(day, hours[1]) - SHANGHAI
        intervals.append((start, end))
    return FixedSchedule(intervals)


def local(*args):
    """A Shanghai wall-clock time, as the naive UTC datetime Odoo stores."""
    return datetime(*args) - SHANGHAI
