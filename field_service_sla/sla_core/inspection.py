"""What an inspection's measurements and checks mean.

A measured reading has a unit and an acceptable range (a minimum, a maximum,
either may be open). Two different refusals exist and must not be confused:

- a value *out of range* is a real measurement that is outside what the
  template accepts: it is recorded and becomes a finding;
- a value *impossible* for its unit (a negative resistance, a humidity above
  100 %) cannot have been measured: it is a typing error and is refused.

A checklist item is passed, failed or not applicable; a failed item is a
finding. A finding fixed on site is recorded as such; every other one raises a
follow-up ticket. A home routine test is done by one person in at most 30 min
(China Telecom rules, art. 17): a longer one is flagged.

Inspection plans repeat every N months from an anchor date; generating a
window twice must create nothing twice, so the plan asks which occurrences are
missing rather than which are due.
"""

from dataclasses import dataclass
from datetime import date, timedelta

PENDING = "pending"
OK = "ok"
LOW = "low"
HIGH = "high"
VERDICTS = (PENDING, OK, LOW, HIGH)

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "na"
ITEM_RESULTS = (PASS, FAIL, NOT_APPLICABLE)

HOME_ROUTINE_TEST_MINUTES = 30


@dataclass(frozen=True)
class Unit:
    code: str
    symbol: str
    lowest: float | None
    highest: float | None

    def possible(self, value):
        return (self.lowest is None or value >= self.lowest) and (
            self.highest is None or value <= self.highest
        )


# What an instrument on a customer's premises can physically show. Voltages
# are magnitudes (a multimeter reading); a supply above 1000 V is not a
# customer-site supply; optical power in dBm is negative for any received
# signal and a transmitter above +30 dBm does not exist in access networks.
UNITS = {
    u.code: u
    for u in (
        Unit("volt", "V", 0.0, 1000.0),
        Unit("celsius", "°C", -50.0, 100.0),
        Unit("percent_rh", "%RH", 0.0, 100.0),
        Unit("ohm", "Ω", 0.0, None),
        Unit("dbm", "dBm", -100.0, 30.0),
        Unit("mbps", "Mbit/s", 0.0, None),
    )
}


class ImpossibleReading(ValueError):
    """A value its unit cannot take: refused, not a finding."""

    def __init__(self, unit, value):
        self.unit, self.value = unit, value
        super().__init__(f"{value} {unit.symbol} is not a possible {unit.code}")


class InvalidRange(ValueError):
    """An acceptable range whose minimum is above its maximum."""


def unit(code):
    try:
        return UNITS[code]
    except KeyError:
        raise ValueError(f"unknown unit {code!r}") from None


def check_possible(unit_code, value):
    """Raise ImpossibleReading when the unit cannot take the value."""
    u = unit(unit_code)
    if not u.possible(value):
        raise ImpossibleReading(u, value)
    return value


def check_range(unit_code, minimum=None, maximum=None):
    """An acceptable range: each bound possible for the unit, min <= max."""
    for bound in (minimum, maximum):
        if bound is not None:
            check_possible(unit_code, bound)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidRange(f"minimum {minimum} is above maximum {maximum}")
    return minimum, maximum


def verdict(unit_code, value, minimum=None, maximum=None):
    """PENDING when not measured, LOW / HIGH outside the range, OK inside.

    Bounds are inclusive: "grounding resistance <= 4 ohm" accepts 4 ohm.
    """
    if value is None:
        return PENDING
    check_possible(unit_code, value)
    if minimum is not None and value < minimum:
        return LOW
    if maximum is not None and value > maximum:
        return HIGH
    return OK


def reading_is_finding(reading_verdict):
    return reading_verdict in (LOW, HIGH)


def item_is_finding(result):
    if result is not None and result not in ITEM_RESULTS:
        raise ValueError(f"unknown checklist result {result!r}")
    return result == FAIL


def needs_follow_up(is_finding, fixed_on_site):
    """A finding not fixed on site raises a follow-up ticket."""
    return bool(is_finding and not fixed_on_site)


def routine_test_too_long(segment, started, finished, limit_minutes=None):
    """An inspection over its time limit. Without an explicit limit, home
    routine tests have 30 min and other segments none; 0 means no limit."""
    if limit_minutes is None:
        limit_minutes = HOME_ROUTINE_TEST_MINUTES if segment == "home" else 0
    if not started or not finished or not limit_minutes:
        return False
    return finished - started > timedelta(minutes=limit_minutes)


def add_months(day, months):
    """The same day of month ``months`` later, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def occurrences(anchor, interval_months, start, end):
    """Plan dates anchor + k * interval (k >= 0) with start <= date < end."""
    if interval_months < 1:
        raise ValueError("an inspection plan repeats every 1 month or more")
    found, k = [], 0
    # Skip whole intervals before the window without walking them one by one.
    if start > anchor:
        months = (start.year - anchor.year) * 12 + start.month - anchor.month
        k = max(0, months // interval_months - 1)
    while True:
        day = add_months(anchor, k * interval_months)
        if day >= end:
            return found
        if day >= start:
            found.append(day)
        k += 1


def missing_occurrences(anchor, interval_months, start, end, existing):
    """The plan dates of the window that have no inspection yet.

    ``existing`` holds the dates already generated for one location: running
    generation again over the same window returns nothing.
    """
    existing = set(existing)
    return [
        d for d in occurrences(anchor, interval_months, start, end) if d not in existing
    ]


def last_occurrence_before(anchor, interval_months, day):
    """The latest plan date strictly before ``day`` (None before the anchor)."""
    if interval_months < 1:
        raise ValueError("an inspection plan repeats every 1 month or more")
    if anchor >= day:
        return None
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    k = months // interval_months + 1
    while k > 0 and add_months(anchor, k * interval_months) >= day:
        k -= 1
    return add_months(anchor, k * interval_months)


def due_occurrences(anchor, interval_months, today, end, existing):
    """The plan dates to generate on ``today`` for one location: those of
    [today, end) without an inspection, and the last one before today when
    no inspection was generated since it (a run that did not happen, or that
    ran with another day's date, must not skip a site: it is overdue).
    Earlier dates are superseded by it, and it by a date due today: a missed
    inspection is made up for once, within its own period."""
    existing = set(existing)
    due = missing_occurrences(anchor, interval_months, today, end, existing)
    last = last_occurrence_before(anchor, interval_months, today)
    if (
        last is not None
        and add_months(last, interval_months) > today
        and not any(last <= d < today for d in existing)
    ):
        due.insert(0, last)
    return due
