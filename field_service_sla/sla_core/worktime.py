"""Working time: which instants count towards a service-level target.

Everything here works on naive UTC datetimes (Odoo's storage convention). A
*schedule* answers one question, ``intervals(start, end)``: the working
intervals inside ``[start, end)``, sorted and disjoint. The Odoo shell builds a
schedule from a ``resource.calendar`` (holidays included); the core never
models calendars itself.
"""

from datetime import datetime, timedelta

ZERO = timedelta(0)


class NoWorkingTime(ValueError):
    """The schedule has no working time within the search horizon."""


class AroundTheClock:
    """Every instant is working time (24/7 milestones)."""

    def intervals(self, start, end):
        return [(start, end)] if start < end else []


class FixedSchedule:
    """A schedule given as an explicit list of intervals (tests, simulations)."""

    def __init__(self, intervals):
        self._intervals = merge(intervals)

    def intervals(self, start, end):
        return clip(self._intervals, start, end)


class ChunkedSchedule:
    """A schedule that asks ``fetch(start, end)`` for fixed-size chunks and caches
    them, so many clocks on one calendar cost one fetch per chunk, not one per
    clock. ``fetch`` must return sorted working intervals inside ``[start, end)``.
    """

    EPOCH = datetime(2000, 1, 3)  # a Monday: chunks start on week boundaries

    def __init__(self, fetch, chunk=timedelta(weeks=8)):
        self._fetch = fetch
        self._chunk = chunk
        self._cache = {}

    def _chunk_intervals(self, index):
        if index not in self._cache:
            lo = self.EPOCH + index * self._chunk
            self._cache[index] = merge(self._fetch(lo, lo + self._chunk))
        return self._cache[index]

    def prefetch(self, start, end):
        """Load every chunk touching ``[start, end)`` (one fetch per missing chunk)."""
        self.intervals(start, end)

    def intervals(self, start, end):
        if start >= end:
            return []
        first = (start - self.EPOCH) // self._chunk
        last = (end - self.EPOCH - timedelta(microseconds=1)) // self._chunk
        result = []
        for index in range(first, last + 1):
            result.extend(clip(self._chunk_intervals(index), start, end))
        return merge(result)


def merge(intervals):
    """Sort intervals and fuse overlapping or touching ones; drop empty ones."""
    result = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def clip(intervals, start, end):
    """The parts of sorted ``intervals`` that fall inside ``[start, end)``."""
    return [(max(s, start), min(e, end)) for s, e in intervals if s < end and e > start]


def subtract(intervals, holes):
    """Sorted ``intervals`` minus the sorted, merged ``holes``."""
    result = []
    holes = list(holes)
    h = 0
    for start, end in intervals:
        while h < len(holes) and holes[h][1] <= start:
            h += 1
        cursor = start
        k = h
        while k < len(holes) and holes[k][0] < end:
            hole_start, hole_end = holes[k]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            if cursor >= end:
                break
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def total(intervals):
    return sum((end - start for start, end in intervals), ZERO)


class WorkClock:
    """Working-time arithmetic on one schedule, minus a set of excluded periods
    (pauses). ``horizon`` bounds every forward search, so a schedule without
    working time raises :class:`NoWorkingTime` instead of looping for ever.
    """

    def __init__(self, schedule, excluded=(), horizon=timedelta(days=800)):
        self.schedule = schedule
        self.excluded = merge(excluded)
        self.horizon = horizon

    def working(self, start, end):
        """Working intervals inside ``[start, end)``, excluded periods removed."""
        return subtract(self.schedule.intervals(start, end), self.excluded)

    def between(self, start, end):
        """Working time from ``start`` to ``end``; negative when ``end < start``."""
        if end < start:
            return -self.between(end, start)
        return total(self.working(start, end))

    def add(self, start, duration, step=timedelta(weeks=4)):
        """The earliest instant at which ``duration`` of working time has passed
        since ``start``."""
        if duration <= ZERO:
            return start
        left = duration
        cursor = start
        limit = start + self.horizon
        while cursor < limit:
            window_end = min(cursor + step, limit)
            for s, e in self.working(cursor, window_end):
                if e - s >= left:
                    return s + left
                left -= e - s
            cursor = window_end
        raise NoWorkingTime(
            f"No working time within {self.horizon.days} days of {start}"
        )
