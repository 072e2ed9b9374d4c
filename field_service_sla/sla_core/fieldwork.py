"""The operators' field-work rules, free of Odoo: the appointment window, the
notice a company-caused reschedule needs, the check-in verdict, how long to
wait for an absent customer, the crew size per segment and how long to observe
a restored service before leaving."""

from dataclasses import dataclass, field
from datetime import timedelta

HOME = "home"
ENTERPRISE = "enterprise"

# check-in verdicts against the appointment
EARLY = "early"  # more than the earliest margin before the appointment
ON_TIME = "on_time"  # inside the 5-10 min margin before it
JUST_IN_TIME = "just_in_time"  # less than the margin before it, not late
LATE = "late"  # after the appointment start, the customer was told
LATE_UNANNOUNCED = "late_unannounced"  # after it, without notice
CHECK_IN_VERDICTS = (EARLY, ON_TIME, JUST_IN_TIME, LATE, LATE_UNANNOUNCED)

# contact verdicts (the first contact after dispatch)
CONTACT_PENDING = "pending"
CONTACT_MET = "met"
CONTACT_OVERDUE = "overdue"  # not contacted yet, deadline passed
CONTACT_LATE = "late"  # contacted after the deadline


class FieldworkError(ValueError):
    """An input the field-work rules refuse (the shell words it for users)."""


@dataclass(frozen=True)
class FieldworkRules:
    """The configurable figures; the defaults are the operators' rules."""

    contact_within: timedelta = timedelta(hours=2)
    company_notice: timedelta = timedelta(hours=2)
    arrive_early_min: timedelta = timedelta(minutes=5)
    arrive_early_max: timedelta = timedelta(minutes=10)
    absent_wait: timedelta = timedelta(minutes=15)
    observe: dict = field(
        default_factory=lambda: {
            HOME: timedelta(minutes=5),
            ENTERPRISE: timedelta(minutes=10),
        }
    )
    repeat_observe: timedelta = timedelta(minutes=30)
    crew: dict = field(default_factory=lambda: {HOME: (1, 2), ENTERPRISE: (2, 2)})


DEFAULT_RULES = FieldworkRules()


def check_window(start, end):
    """An appointment window must end after it starts (either may be open)."""
    if start and end and end <= start:
        raise FieldworkError("window_ends_before_start")


def contact_deadline(dispatched, rules=DEFAULT_RULES):
    return dispatched + rules.contact_within if dispatched else None


def contact_state(dispatched, contacted, now, rules=DEFAULT_RULES):
    """Where the first-contact clock stands (None before dispatch)."""
    deadline = contact_deadline(dispatched, rules)
    if deadline is None:
        return None
    if contacted:
        return CONTACT_MET if contacted <= deadline else CONTACT_LATE
    return CONTACT_OVERDUE if now > deadline else CONTACT_PENDING


def short_notice(caused_by, changed_at, old_start, rules=DEFAULT_RULES):
    """A company-caused change of an appointment less than the required notice
    before the appointment it moves is short notice; the customer's own
    changes never are."""
    if caused_by != "company" or not old_start:
        return False
    return old_start - changed_at < rules.company_notice


def check_in_verdict(arrived, appointment, announced_late=False, rules=DEFAULT_RULES):
    """Early / on time / late against the appointment start (None without an
    appointment). Arriving 5-10 min before is the rule."""
    if not appointment:
        return None
    ahead = appointment - arrived
    if ahead > rules.arrive_early_max:
        return EARLY
    if ahead >= rules.arrive_early_min:
        return ON_TIME
    if ahead >= timedelta(0):
        return JUST_IN_TIME
    return LATE if announced_late else LATE_UNANNOUNCED


def check_check_in(arrived, dispatched, now):
    """A check-in cannot be before the dispatch, nor in the future."""
    if arrived > now:
        raise FieldworkError("check_in_in_future")
    if dispatched and arrived < dispatched:
        raise FieldworkError("check_in_before_dispatch")


def absent_wait_start(arrived, appointment):
    """The wait for an absent customer counts from the later of the arrival
    and the appointment start: a crew that came early waits for the
    appointment first (None before a check-in)."""
    if not arrived:
        return None
    return max(arrived, appointment) if appointment else arrived


def absent_allowed_from(arrived, appointment, rules=DEFAULT_RULES):
    start = absent_wait_start(arrived, appointment)
    return start + rules.absent_wait if start else None


def check_absent(arrived, appointment, left, rules=DEFAULT_RULES):
    """ "Customer absent" needs a check-in and the full wait, counted from
    the later of the arrival and the appointment start."""
    if not arrived:
        raise FieldworkError("absent_without_check_in")
    if left < absent_allowed_from(arrived, appointment, rules):
        raise FieldworkError("absent_too_early")


def crew_problem(segment, size, rules=DEFAULT_RULES):
    """None when the crew size suits the segment, else (low, high) expected."""
    low, high = rules.crew.get(segment, (1, None))
    if size < low or (high is not None and size > high):
        return (low, high)
    return None


def observation_time(segment, repeated=False, rules=DEFAULT_RULES):
    base = rules.observe.get(segment, rules.observe[HOME])
    return max(base, rules.repeat_observe) if repeated else base


def observation_end(restored, segment, repeated=False, rules=DEFAULT_RULES):
    if not restored:
        return None
    return restored + observation_time(segment, repeated, rules)


def remaining_minutes(end, now):
    """Whole minutes left until ``end`` (rounded up, never negative)."""
    if not end:
        return 0
    seconds = (end - now).total_seconds()
    return max(0, -int(-seconds // 60))


def completion_problems(restored, observation_ends, checks, now, on_site=True):
    """Why an order may not be completed yet: codes, empty when it may.

    The "three don't leave" checks are about leaving a site: they are asked of
    an order worked on site (checked in, or with a work log), not of an order
    closed from the office without a visit."""
    problems = []
    if restored and observation_ends and now < observation_ends:
        problems.append("observing")
    if on_site and not all(checks):
        problems.append("checks")
    return problems
