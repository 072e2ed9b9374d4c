"""Escalation ladders, free of Odoo: which steps of which ladders are due for
a ticket at a given time, when to look at it again, how the severe-fault
bulletins read, how titles are tagged, and how a sweep's notifications are
grouped into one digest per recipient and channel.

Time triggers are read off the milestone clocks the SLA engine keeps: a
running clock has a deadline that already includes its pauses, so "8 h since
the fault, paused time excluded" is ``deadline - target + 8 h``. A clock
without a deadline (paused, pending, or stopped by the ticket's closing)
triggers nothing until it runs again. Exactly-once is the caller's: each
fired step is recorded as ``(step, occurrence)``; a recorded pair is never
due again.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from .sms_text import fill

# trigger kinds
BEFORE_DEADLINE = "before_deadline"
AT_BREACH = "at_breach"
AFTER_BREACH = "after_breach"
AFTER_START = "after_start"
REPEAT = "repeat"
SEVERITY = "severity"
REACHED = "reached"
CLOSED = "closed"
MANUAL = "manual"
TRIGGERS = (
    BEFORE_DEADLINE,
    AT_BREACH,
    AFTER_BREACH,
    AFTER_START,
    REPEAT,
    SEVERITY,
    REACHED,
    CLOSED,
    MANUAL,
)
# triggers read off a milestone's clock
MILESTONE_TRIGGERS = (BEFORE_DEADLINE, AT_BREACH, AFTER_BREACH, AFTER_START, REACHED)
# triggers that may be given a percent of the milestone's target
PERCENT_TRIGGERS = (BEFORE_DEADLINE, AFTER_START)

# bulletin kinds
START, PROGRESS, CLOSE, CUSTOM = "start", "progress", "close", "custom"
BULLETIN_HEAD = {START: "新", PROGRESS: "续", CLOSE: "结"}

# the operators' title tags: (green channel, severe) -> tag
TITLE_TAGS = {
    (False, False): "【集团客户一般故障】",
    (False, True): "【集团客户严重故障】",
    (True, False): "【绿色通道一般故障】",
    (True, True): "【绿色通道严重故障】",
}
_KNOWN_TAG = re.compile(
    "^(?:{})+".format("|".join(re.escape(t) for t in TITLE_TAGS.values()))
)

# how many tickets a digest names before "and N more"
DIGEST_NAMED = 10


@dataclass(frozen=True)
class StepSpec:
    id: int
    trigger: str
    milestone: str | None = None
    offset_minutes: int = 0
    #: a percent of the milestone's target instead of minutes (before the
    #: deadline, or elapsed since the start)
    offset_percent: float | None = None
    repeat_minutes: int = 0
    #: 0: repeat while the milestone is not reached
    max_repeats: int = 0
    #: the severity rank the ticket must reach (severity trigger)
    severity: int | None = None
    #: an event that happened before the step existed does not fire it (a
    #: call-back step added today leaves last year's closed tickets alone)
    active_since: datetime | None = None
    #: what the step does, by name: only its presence is checked here
    actions: frozenset = frozenset()


@dataclass(frozen=True)
class LadderSpec:
    id: int
    steps: tuple = ()
    company_id: int | None = None
    #: empty: any; otherwise the ticket's SLA policy must be one of these
    policy_ids: frozenset = frozenset()
    #: None: any severity; otherwise the ticket's rank must reach it
    min_severity: int | None = None
    tier_ids: frozenset = frozenset()
    level_ids: frozenset = frozenset()
    cross_city: bool = False
    cross_province: bool = False
    #: only tickets not escalated yet (a city -> province ladder)
    city_level_only: bool = False


@dataclass(frozen=True)
class Milestone:
    """What a ticket's clock of one milestone says (see fs.sla.clock)."""

    start: datetime | None = None
    deadline: datetime | None = None
    target: timedelta | None = None
    reached: datetime | None = None
    #: the clock starts when the ticket closes (fault report): closing the
    #: ticket does not stop its time triggers
    after_close: bool = False


@dataclass(frozen=True)
class TicketFacts:
    milestones: dict = field(default_factory=dict)
    severity: int = 0
    closed_at: datetime | None = None
    requested_at: datetime | None = None
    company_id: int | None = None
    policy_id: int | None = None
    tier_id: int | None = None
    level_id: int | None = None
    cross_city: bool = False
    cross_province: bool = False
    escalated: bool = False
    #: nothing fires before this (a ticket raised during planned work, until
    #: its window is settled); HELD_FOREVER: never (a planned ticket)
    held_until: datetime | None = None


#: held_until of a ticket that never escalates
HELD_FOREVER = datetime.max


@dataclass(frozen=True)
class Evaluation:
    #: ``(step id, occurrence)`` due now, in ladder and step order
    due: list
    #: the next time something may fire by itself; None when only an event
    #: (a severity change, a reach, a closing, a request) can make a step due
    next_check: datetime | None


# ----------------------------------------------------------------------------
# configuration checks
# ----------------------------------------------------------------------------
def step_errors(step):
    """Why ``step`` cannot work, as a list of short English reasons."""
    errors = []
    if not step.actions:
        errors.append("no_action")
    if step.trigger not in TRIGGERS:
        errors.append("unknown_trigger")
        return errors
    if step.trigger in MILESTONE_TRIGGERS and not step.milestone:
        errors.append("no_milestone")
    if step.trigger == REPEAT:
        if step.repeat_minutes <= 0:
            errors.append("repeat_zero")
        if step.max_repeats < 0:
            errors.append("negative_repeats")
        if not step.milestone and not step.max_repeats:
            # nothing ever stops it: the step would re-trigger itself forever
            errors.append("cycle")
    if step.trigger == SEVERITY and step.severity is None:
        errors.append("no_severity")
    if step.offset_percent is not None:
        if step.trigger not in PERCENT_TRIGGERS:
            errors.append("percent_not_allowed")
        elif not 0 < step.offset_percent <= 100:
            errors.append("percent_range")
    if step.offset_minutes < 0:
        errors.append("negative_offset")
    return errors


# ----------------------------------------------------------------------------
# which ladders, which steps
# ----------------------------------------------------------------------------
def ladder_applies(ladder, facts):
    """Whether ``ladder`` is attached to the ticket described by ``facts``."""
    return (
        (ladder.company_id in (None, False) or ladder.company_id == facts.company_id)
        and (not ladder.policy_ids or facts.policy_id in ladder.policy_ids)
        and (ladder.min_severity is None or facts.severity >= ladder.min_severity)
        and (not ladder.tier_ids or facts.tier_id in ladder.tier_ids)
        and (not ladder.level_ids or facts.level_id in ladder.level_ids)
        and (not ladder.cross_city or facts.cross_city)
        and (not ladder.cross_province or facts.cross_province)
        and not (ladder.city_level_only and facts.escalated)
    )


def _live(milestone, facts):
    """The clock of a milestone that time triggers may read: not reached, with
    a deadline, on an open ticket (or a clock that starts at closing)."""
    if milestone is None or milestone.reached or not milestone.deadline:
        return False
    return not facts.closed_at or milestone.after_close


def _offset(step, milestone):
    if step.offset_percent is not None:
        return milestone.target * (step.offset_percent / 100)
    return timedelta(minutes=step.offset_minutes)


def fire_time(step, facts):
    """When a time-triggered step fires on this ticket, or None if it cannot
    (no clock, clock not running, milestone reached, ticket closed)."""
    milestone = facts.milestones.get(step.milestone)
    if not _live(milestone, facts):
        return None
    if step.trigger == BEFORE_DEADLINE:
        return milestone.deadline - _offset(step, milestone)
    if step.trigger == AT_BREACH:
        return milestone.deadline
    if step.trigger == AFTER_BREACH:
        return milestone.deadline + timedelta(minutes=step.offset_minutes)
    if step.trigger == AFTER_START:
        # working time elapsed, pauses excluded: the deadline moved with them
        return (
            milestone.deadline
            - (milestone.target or timedelta())
            + _offset(step, milestone)
        )
    raise ValueError(f"{step.trigger} is not a time trigger")


def _event_time(step, facts, now):
    """When the event of an event-triggered step happened, or None."""
    if step.trigger == SEVERITY:
        # no time of its own: the ticket is at the severity or it is not
        return now if facts.severity >= step.severity else None
    if step.trigger == REACHED:
        milestone = facts.milestones.get(step.milestone)
        at = milestone and milestone.reached
    elif step.trigger == CLOSED:
        at = facts.closed_at
    else:  # MANUAL
        at = facts.requested_at
    if at and step.active_since and at < step.active_since:
        return None  # before the step existed: not its event
    return at or None


def _anchor(ladder, step, facts, fired):
    """Where a repeating step counts from: when its ladder started on this
    ticket (the first of its other steps fired), or, in a ladder of repeating
    steps only, its milestone's start."""
    others = [s.id for s in ladder.steps if s.trigger != REPEAT]
    if others:
        times = [at for (sid, _occ), at in fired.items() if sid in others]
        return min(times) if times else None
    milestone = facts.milestones.get(step.milestone)
    return milestone.start if milestone else None


def _repeat(ladder, step, facts, fired, now):
    """(due occurrence or None, next fire time or None) of a repeating step.
    Occurrences count from 1 at ``anchor + interval``. A sweep that comes late
    fires the latest occurrence only: the skipped ones are superseded, not
    sent in a burst."""
    if step.milestone:
        if not _live(facts.milestones.get(step.milestone), facts):
            return None, None
    elif facts.closed_at:
        return None, None
    anchor = _anchor(ladder, step, facts, fired)
    if anchor is None:
        return None, None
    every = timedelta(minutes=step.repeat_minutes)
    count = int((now - anchor) / every) if now >= anchor else 0
    if step.max_repeats:
        count = min(count, step.max_repeats)
    due = count if count >= 1 and (step.id, count) not in fired else None
    following = count + 1
    if step.max_repeats and following > step.max_repeats:
        return due, None
    return due, anchor + following * every


def evaluate(ladders, facts, fired, now):
    """The steps due on one ticket at ``now`` and when to look again.

    ``ladders``: the LadderSpecs in their order; only those attached to the
    ticket count. ``fired``: ``{(step id, occurrence): fired at}`` of this
    ticket, from any ladder. Steps due now are taken as fired at ``now`` when
    the next check is computed (a repeating step counts from its ladder's
    first step, which may be firing now)."""
    if facts.held_until is not None and now < facts.held_until:
        return Evaluation(
            [], None if facts.held_until == HELD_FOREVER else facts.held_until
        )
    fired = dict(fired)
    due = []
    next_times = []
    for ladder in ladders:
        if not ladder_applies(ladder, facts):
            continue
        # repeating steps last: they count from the ladder's other steps
        for step in sorted(ladder.steps, key=lambda s: s.trigger == REPEAT):
            if step.trigger == REPEAT:
                occurrence, following = _repeat(ladder, step, facts, fired, now)
                if occurrence is not None:
                    due.append((step.id, occurrence))
                    fired[(step.id, occurrence)] = now
                if following is not None:
                    next_times.append(following)
                continue
            if (step.id, 0) in fired:
                continue
            if step.trigger in (SEVERITY, REACHED, CLOSED, MANUAL):
                if _event_time(step, facts, now) is not None:
                    due.append((step.id, 0))
                    fired[(step.id, 0)] = now
                continue
            at = fire_time(step, facts)
            if at is None:
                continue
            if at <= now:
                due.append((step.id, 0))
                fired[(step.id, 0)] = now
            else:
                next_times.append(at)
    order = {s.id: n for n, s in enumerate(s for lad in ladders for s in lad.steps)}
    due.sort(key=lambda pair: (order.get(pair[0], 0), pair[1]))
    return Evaluation(due, min(next_times) if next_times else None)


# ----------------------------------------------------------------------------
# titles and bulletins
# ----------------------------------------------------------------------------
def title_tag(green_channel, severe):
    return TITLE_TAGS[(bool(green_channel), bool(severe))]


def strip_tags(title):
    """The title without the operators' tags it starts with."""
    return _KNOWN_TAG.sub("", title or "")


def tagged_title(title, tag):
    """``title`` led by ``tag`` alone: a tag put earlier is replaced (a fault
    reclassified from general to severe changes its tag, not adds one)."""
    return f"{tag}{strip_tags(title)}"


def _local(when, tz):
    """A naive UTC datetime as wall-clock time in ``tz``."""
    return when.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(tz or "UTC"))


def _stamp(when, tz):
    return _local(when, tz).strftime("%Y/%m/%d %H:%M")


def _duration(delta):
    minutes = max(int(delta.total_seconds() // 60), 0)
    return f"{minutes // 60}小时{minutes % 60}分"


_TAG = re.compile(r"<[^>]+>")


def plain_text(html):
    """The text of a ticket's HTML description, on one line (a bulletin
    needs the words, not the layout)."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def _one_line(text, limit):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bulletin(
    kind, customer, summary, fault_at, now, tz, what="", restored_at=None, text=""
):
    """The severe-fault SMS of ``kind`` (start, progress, close, custom).

    Start: ``【新|影响业务|严重故障|<customer> <summary>】YYYY/MM/DD HH:MM,<what>``
    at the fault's time; progress and close name the time of the bulletin and
    how long the fault has lasted; a custom text fills ``{customer}``,
    ``{summary}``, ``{time}`` and ``{duration}`` (sms_text.fill: raises
    SmsTextError on a text it cannot fill). Times are in ``tz``."""
    summary = _one_line(strip_tags(summary), 40)
    customer = _one_line(customer, 30)
    if kind == CUSTOM:
        values = {
            "customer": customer,
            "summary": summary,
            "time": _stamp(now, tz),
            "duration": _duration(now - fault_at),
        }
        return fill(text, values)
    head = f"【{BULLETIN_HEAD[kind]}|影响业务|严重故障|{customer} {summary}】"
    if kind == START:
        return f"{head}{_stamp(fault_at, tz)},{_one_line(what, 70)}"
    if kind == PROGRESS:
        return (
            f"{head}{_stamp(now, tz)},故障已持续{_duration(now - fault_at)}，尚未恢复"
        )
    end = restored_at or now
    return f"{head}{_stamp(end, tz)},业务已恢复，历时{_duration(end - fault_at)}"


def digest_sms(kind, entries, now, tz):
    """One SMS for many tickets of one sweep: ``entries`` are ``(customer,
    summary)`` pairs; the first DIGEST_NAMED are named."""
    label = {
        START: "严重故障",
        PROGRESS: "严重故障进展",
        CLOSE: "严重故障恢复",
    }.get(kind, "故障通报")
    named = "；".join(
        f"{_one_line(c, 20)} {_one_line(strip_tags(s), 24)}"
        for c, s in entries[:DIGEST_NAMED]
    )
    more = len(entries) - DIGEST_NAMED
    tail = f"等{len(entries)}张工单" if more > 0 else ""
    return f"【{label}|共{len(entries)}张工单】{_stamp(now, tz)},{named}{tail}"


# ----------------------------------------------------------------------------
# digests
# ----------------------------------------------------------------------------
def group_digests(items):
    """``items``: ``(recipient, channel, ticket, payload)`` of one sweep.
    Returns ``{(recipient, channel): [(ticket, payload), ...]}`` in the order
    the items came: a recipient with one entry gets that message, a
    recipient with several one digest for them all. A ticket named twice
    for the same recipient and channel (two steps) is kept twice."""
    groups = {}
    for recipient, channel, ticket, payload in items:
        groups.setdefault((recipient, channel), []).append((ticket, payload))
    return groups


# ----------------------------------------------------------------------------
# SMS numbers
# ----------------------------------------------------------------------------
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def normalize_mobile(number):
    """A mobile number as E.164 (``+8613800138000``), or None when it is not
    one: mainland mobiles with or without +86 / 0086, or another country's
    number in international form. Spaces and dashes are ignored."""
    raw = re.sub(r"[\s\-()]", "", number or "")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+86"):
        national = raw[3:]
        return raw if _CN_MOBILE.match(national) else None
    if _CN_MOBILE.match(raw):
        return "+86" + raw
    return raw if _E164.match(raw) else None


__all__ = [
    "AFTER_BREACH",
    "AFTER_START",
    "AT_BREACH",
    "BEFORE_DEADLINE",
    "CLOSE",
    "CLOSED",
    "CUSTOM",
    "HELD_FOREVER",
    "MANUAL",
    "MILESTONE_TRIGGERS",
    "PERCENT_TRIGGERS",
    "PROGRESS",
    "REACHED",
    "REPEAT",
    "SEVERITY",
    "START",
    "TITLE_TAGS",
    "TRIGGERS",
    "Evaluation",
    "LadderSpec",
    "Milestone",
    "StepSpec",
    "TicketFacts",
    "bulletin",
    "digest_sms",
    "evaluate",
    "fire_time",
    "group_digests",
    "ladder_applies",
    "normalize_mobile",
    "plain_text",
    "step_errors",
    "strip_tags",
    "tagged_title",
    "title_tag",
]
