"""A service line's availability over a period (可用率), free of Odoo.

Definitions (the same in the README, the operation report and the monthly
workbook):

* A line is *out of service* from a fault's report (or first alarm) to its
  service restored; a fault not restored by the period's end is out until
  then. Faults are those the monthly figures count (``fs_is_fault``: on the
  line, not excluded from assessment, not maintenance work). Overlapping
  faults of one line count their common time once.
* Time inside an announced planned work's window on the line (割接) is not
  counted as out of service: the customer was told of it. It is stated
  beside the availability, never hidden in it.
* *Availability* = 1 - time out of service (outside planned work) / the
  period's length. It is between 0 and 1, and planned work never lowers it.
"""

from dataclasses import dataclass
from datetime import datetime

HOUR = 3600.0


def merge(intervals):
    """The union of ``(start, end)`` intervals as sorted disjoint ones; an
    empty or reversed interval is dropped."""
    merged = []
    for start, end in sorted((s, e) for s, e in intervals if s < e):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clip(intervals, start, end):
    """``intervals`` cut to ``[start, end)``, merged."""
    return merge((max(s, start), min(e, end)) for s, e in intervals)


def subtract(intervals, holes):
    """The parts of ``intervals`` outside every one of ``holes`` (both lists
    of intervals, any order), merged."""
    holes = merge(holes)
    result = []
    for start, end in merge(intervals):
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= end:
                continue
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def length_hours(intervals):
    return sum((end - start).total_seconds() for start, end in intervals) / HOUR


@dataclass(frozen=True)
class Availability:
    """One line's time over a period, in hours."""

    period_hours: float
    outage_hours: float
    planned_hours: float

    @property
    def availability(self):
        """1 - out of service / period; None for an empty period."""
        if self.period_hours <= 0:
            return None
        return max(0.0, 1.0 - self.outage_hours / self.period_hours)


def line_availability(start, end, outages, planned, now=None):
    """The availability of one line over ``[start, end)``.

    ``outages``: ``(reported, restored or None)`` of the line's faults (None:
    still down); ``planned``: ``(window start, window end)`` of the announced
    planned works on the line. A period not over at ``now`` counts up to
    ``now``: a fault still down is out until then, and so is the period."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise TypeError("a period is bounded by two datetimes")
    until = max(start, min(end, now)) if now else end
    down = clip(((s, e or until) for s, e in outages), start, until)
    windows = clip(planned, start, until)
    outage = subtract(down, windows)
    return Availability(
        period_hours=max((until - start).total_seconds() / HOUR, 0.0),
        outage_hours=length_hours(outage),
        planned_hours=length_hours(windows),
    )


def availability_by_period(periods, outages, planned, now=None):
    """``[Availability]`` of one line for each ``(start, end)`` of
    ``periods`` (the months of a chart), from the same intervals."""
    return [line_availability(s, e, outages, planned, now) for s, e in periods]


def combined(availabilities):
    """The availability of several lines together: their time out of
    service over their time in the period (each line weighs its period);
    hours summed."""
    period = sum(a.period_hours for a in availabilities)
    return Availability(
        period_hours=period,
        outage_hours=sum(a.outage_hours for a in availabilities),
        planned_hours=sum(a.planned_hours for a in availabilities),
    )
