"""Planned work (割接) and special assurance periods (重要通信保障): the
window arithmetic, free of Odoo.

The operators' seeds keep only these processes' headings, so the defaults
here are assumptions (DOMAIN.md says so), each one data an administrator
changes: customers are told 3 days before a cutover (7 for important group
customers); a window lasts at most 12 hours; an assurance period's
inspection is done the day before it starts.

Times are naive UTC datetimes, as Odoo stores them. A window is half open,
``[start, end)``: a cutover ending at 06:00 and another starting at 06:00 do
not overlap.

A ticket raised on an affected line *during* a cutover's window is planned:
its clocks pause from its report to the window's end, and it leaves the
month's figures as planned, if its line was restored by then. A line still
down after the window gets no such exemption: from the window's end its
ticket runs as any fault and counts as one. A ticket raised before the
window or after it is not the cutover's.
"""

from dataclasses import dataclass
from datetime import timedelta

DEFAULT_NOTICE_DAYS = 3
IMPORTANT_NOTICE_DAYS = 7
DEFAULT_MAX_WINDOW_HOURS = 12
INSPECTION_LEAD_DAYS = 1

# what is wrong with a window (the Odoo shell words them)
ENDS_BEFORE_START = "ends_before_start"
TOO_LONG = "too_long"
NO_LINE = "no_line"
NOTICE_TOO_LATE = "notice_too_late"
EMERGENCY_WITHOUT_REASON = "emergency_without_reason"
IN_THE_PAST = "in_the_past"

# what a ticket raised on an affected line is to the month's figures
PLANNED = "planned"
FAULT = "fault"


@dataclass(frozen=True)
class Window:
    start: object
    end: object

    @property
    def duration(self):
        return self.end - self.start

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end

    def holds(self, moment):
        return self.start <= moment < self.end


def notice_days(important, default=DEFAULT_NOTICE_DAYS, important_days=None):
    """The days of notice a customer is owed: more for an important group
    customer (never fewer than the default)."""
    if default < 0 or (important_days is not None and important_days < 0):
        raise ValueError("days of notice cannot be negative")
    if important_days is None:
        important_days = IMPORTANT_NOTICE_DAYS
    return max(default, important_days) if important else default


def notice_deadline(start, days):
    """The last moment customers owed ``days`` of notice can be told."""
    return start - timedelta(days=days)


def window_problems(
    window,
    *,
    now,
    notice,
    line_count,
    max_hours=DEFAULT_MAX_WINDOW_HOURS,
    emergency=False,
    reason="",
):
    """What stops a cutover's window from being notified, as a tuple of codes
    (empty: it may go). ``notice``: the longest notice owed to an affected
    customer, in days. An emergency cutover is notified at once whatever its
    notice, but only with a reason; it still may not start in the past."""
    if window.end <= window.start:
        return (ENDS_BEFORE_START,)
    problems = []
    if window.duration > timedelta(hours=max_hours):
        problems.append(TOO_LONG)
    if line_count <= 0:
        problems.append(NO_LINE)
    if emergency:
        if not (reason or "").strip():
            problems.append(EMERGENCY_WITHOUT_REASON)
        if window.start < now:
            problems.append(IN_THE_PAST)
    elif now > notice_deadline(window.start, notice):
        problems.append(NOTICE_TOO_LATE)
    return tuple(problems)


def assurance_problems(window, *, now):
    """What stops an assurance period from being declared: one that ends
    before it starts, or is over already (one under way may be declared:
    the event is today)."""
    if window.end <= window.start:
        return (ENDS_BEFORE_START,)
    if window.end <= now:
        return (IN_THE_PAST,)
    return ()


def line_conflicts(window, lines, others):
    """The other planned works that touch the same lines at overlapping
    times: ``others`` holds ``(id, window, lines)``; returns
    ``{id: shared lines}`` for each one in conflict."""
    mine = frozenset(lines)
    found = {}
    for other_id, other_window, other_lines in others:
        if not window.overlaps(other_window):
            continue
        shared = mine & frozenset(other_lines)
        if shared:
            found[other_id] = shared
    return found


def assurance_conflicts(window, lines_by_customer, periods):
    """The assurance periods a cutover would break into: ``periods`` holds
    ``(id, customer, window, lines)``, ``lines`` None for all the customer's
    lines; ``lines_by_customer`` the cutover's affected lines per customer.
    Returns ``{id: affected lines of that period}``."""
    found = {}
    for period_id, customer, period_window, period_lines in periods:
        affected = lines_by_customer.get(customer)
        if not affected or not window.overlaps(period_window):
            continue
        shared = (
            frozenset(affected)
            if period_lines is None
            else frozenset(affected) & frozenset(period_lines)
        )
        if shared:
            found[period_id] = shared
    return found


def planned_pause(window, reported_at):
    """The pause a cutover gives a ticket raised on an affected line:
    ``(start, end)`` from its report to the window's end, or None when it
    was raised outside the window."""
    if not window.holds(reported_at):
        return None
    return (reported_at, window.end)


def planned_outcome(window, reported_at, restored_at=None, now=None):
    """What a ticket on an affected line is to the month's figures: PLANNED
    when raised in the window and restored by its end (or still within it),
    FAULT when its line stayed down after the window, None when it was not
    raised in the window (not the cutover's)."""
    if not window.holds(reported_at):
        return None
    if restored_at is not None:
        return PLANNED if restored_at <= window.end else FAULT
    if now is not None and now < window.end:
        return PLANNED
    return FAULT


def inspection_date(period_start, lead_days=INSPECTION_LEAD_DAYS):
    """When an assurance period's lines are inspected: ``lead_days`` before
    it starts (a date, the day the inspection order is planned for)."""
    if lead_days < 0:
        raise ValueError("an inspection cannot be planned after the period starts")
    return (period_start - timedelta(days=lead_days)).date()


# what a notice tells a customer
NOTICE = "notice"
CANCELLED = "cancelled"
#: circuits named in a notice SMS before "等N条"
SMS_NAMED_LINES = 3


def notice_sms(kind, reference, title, start, end, circuits, emergency=False):
    """The SMS a customer's contacts get about a cutover, in Chinese (the
    customers read it): ``start`` and ``end`` already in their time zone,
    ``circuits`` the customer's affected circuit IDs. Short, so that it
    stays a few parts: the e-mail and the portal carry the detail."""
    named = "、".join(circuits[:SMS_NAMED_LINES])
    more = len(circuits) - SMS_NAMED_LINES
    lines = f"{named}等{len(circuits)}条电路" if more > 0 else named
    when = f"{start:%Y/%m/%d %H:%M}-{end:%m/%d %H:%M}"
    title = " ".join((title or "").split())[:30]
    if kind == CANCELLED:
        return f"【割接取消】{reference} {title}（{when}）已取消，{lines}不受影响。"
    label = "紧急割接通知" if emergency else "割接通知"
    return (
        f"【{label}】{reference} {title}：{when}，影响{lines}。"
        "请在客户门户确认或提出异议。"
    )
