"""How severe a fault is, free of Odoo (DOMAIN.md "Severity and escalation").

Two ways make a fault more severe than general:

- **Outage rules**: a rule names the service types, the customer importance,
  the impact scope and the kind of line it applies to, and how long the
  outage must last (wall-clock minutes from the report) before the fault
  takes the rule's severity. The first matching rule by sequence decides.
- **Complaint aggregation**: N or more reports from ordinary group customers
  about the same service type in the same city within M minutes make the
  fault severe from the N-th report; a later report joins the incident while
  it comes within M minutes of the incident's latest report.

Severity only ever rises automatically: lowering it is a person's decision.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

GENERAL, MAJOR, SEVERE = "general", "major", "severe"
SEVERITY_ORDER = (GENERAL, MAJOR, SEVERE)
RANK = {code: rank for rank, code in enumerate(SEVERITY_ORDER)}

# whom a rule applies to: any customer, important group customers (province,
# diamond, cross-province or cross-city lines), or ordinary group customers
ANY = "any"
IMPORTANT = "important"
ORDINARY = "ordinary"
IMPORTANCES = (ANY, IMPORTANT, ORDINARY)
# the line the fault is on
CROSS_CITY = "cross_city"
NOT_CROSS_CITY = "not_cross_city"
LINE_CONDITIONS = (ANY, CROSS_CITY, NOT_CROSS_CITY)

ENTERPRISE = "enterprise"

DEFAULT_THRESHOLD = timedelta(minutes=30)
DEFAULT_COMPLAINTS = 3
DEFAULT_COMPLAINT_WINDOW = timedelta(minutes=30)


class SeverityError(ValueError):
    """An input the severity rules refuse; ``code`` says which (the shell
    words it for users)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def higher(a, b):
    """The more severe of two severities (None counts as nothing)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if RANK[a] >= RANK[b] else b


@dataclass(frozen=True)
class OutageFacts:
    """A fault as the rules see it."""

    service_type: object = None
    segment: str | None = None
    important: bool = False
    scope: str | None = None
    cross_city: bool = False
    tier: object = None

    @property
    def ordinary_group(self):
        return self.segment == ENTERPRISE and not self.important


@dataclass(frozen=True)
class SeverityRule:
    """One outage rule. Empty conditions accept anything; a rule with a scope
    never matches a fault whose scope nobody has assessed yet."""

    id: object
    severity: str
    threshold: timedelta = DEFAULT_THRESHOLD
    sequence: int = 10
    service_types: frozenset = frozenset()
    importance: str = ANY
    scope: str | None = None
    line: str = ANY
    excluded_tiers: frozenset = frozenset()

    def __post_init__(self):
        check_rule(self)
        for name in ("service_types", "excluded_tiers"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))

    def matches(self, facts):
        if self.service_types and facts.service_type not in self.service_types:
            return False
        if self.importance == IMPORTANT and not facts.important:
            return False
        if self.importance == ORDINARY and not facts.ordinary_group:
            return False
        if self.scope and facts.scope != self.scope:
            return False
        if self.line == CROSS_CITY and not facts.cross_city:
            return False
        if self.line == NOT_CROSS_CITY and facts.cross_city:
            return False
        return not (facts.tier is not None and facts.tier in self.excluded_tiers)


def check_rule(rule):
    if rule.severity not in RANK:
        raise SeverityError("unknown_severity")
    if rule.importance not in IMPORTANCES:
        raise SeverityError("unknown_importance")
    if rule.line not in LINE_CONDITIONS:
        raise SeverityError("unknown_line_condition")
    if rule.threshold < timedelta(0):
        raise SeverityError("negative_threshold")


def order_rules(rules):
    return sorted(rules, key=lambda r: (r.sequence, r.id))


def match_rule(ordered_rules, facts):
    """The first rule (of rules ordered by :func:`order_rules`) matching the
    fault, or None."""
    return next((r for r in ordered_rules if r.matches(facts)), None)


@dataclass(frozen=True)
class Outcome:
    """What a rule makes of one fault at ``now``.

    ``apply``: the severity to give the fault now (None: nothing now);
    ``pending`` and ``due``: the severity it gets at ``due`` unless service
    is restored first (None: nothing is waiting)."""

    rule: SeverityRule | None = None
    due: object = None
    apply: str | None = None
    pending: str | None = None


def assess(ordered_rules, facts, current, start, now, restored=None):
    """Where the outage rules leave one fault.

    The rule's severity comes once the outage has lasted its threshold
    (wall clock from ``start``): now when that time has passed (or passed
    before service was restored), later (``pending`` at ``due``) while the
    service is still down. A fault restored before its due time never takes
    it; a rule no more severe than ``current`` changes nothing."""
    rule = match_rule(ordered_rules, facts)
    if rule is None or start is None:
        return Outcome(rule=rule)
    due = start + rule.threshold
    if RANK[rule.severity] <= RANK[current]:
        return Outcome(rule=rule, due=due)
    if restored is not None and restored < due:
        return Outcome(rule=rule, due=due)
    if (restored or now) >= due:
        return Outcome(rule=rule, due=due, apply=rule.severity)
    return Outcome(rule=rule, due=due, pending=rule.severity)


# ----------------------------------------------------------------------------
# complaint aggregation
# ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """One complaint: ``key`` says what counts together (service type and
    city, per company); ``incident`` the incident it already belongs to."""

    id: object
    key: tuple
    time: object
    ordinary: bool = True
    incident: object = None


@dataclass
class Cluster:
    """Reports that make one severe incident: ``severe_from`` is the report
    that reached the count (None when the cluster continues an incident
    formed before)."""

    key: tuple
    reports: list = field(default_factory=list)
    severe_from: object = None
    incident: object = None

    @property
    def ids(self):
        return [r.id for r in self.reports]

    @property
    def start(self):
        return self.reports[0].time

    @property
    def last(self):
        return self.reports[-1].time


def check_aggregation(count, window):
    if not isinstance(count, int) or count < 2:
        raise SeverityError("complaint_count_below_two")
    if window <= timedelta(0):
        raise SeverityError("complaint_window_not_positive")


def aggregate(reports, count=DEFAULT_COMPLAINTS, window=DEFAULT_COMPLAINT_WINDOW):
    """The clusters the ordinary customers' reports form, per key, in time
    order.

    ``count`` reports within ``window`` (the first and the count-th at most
    ``window`` apart) form a cluster, severe from the count-th; every report
    of the key within ``window`` before it belongs to it. A later report
    joins it while it comes at most ``window`` after the cluster's latest
    report; after a longer quiet, counting starts again. A report already
    in an incident brings that incident (and the reports waiting within
    ``window`` before it) along. Reports of important or home customers
    neither count nor join."""
    check_aggregation(count, window)
    by_key = defaultdict(list)
    for report in reports:
        if report.ordinary and report.key is not None and report.time is not None:
            by_key[report.key].append(report)
    clusters = []
    for key, keyed in by_key.items():
        keyed.sort(key=lambda r: r.time)  # stable: ties keep the given order
        current, waiting = None, []
        for report in keyed:
            joins = current is not None and report.time - current.last <= window
            if joins and report.incident in (None, current.incident):
                current.reports.append(report)
                if current.incident is None:
                    current.incident = report.incident
                continue
            waiting = [w for w in waiting if report.time - w.time <= window]
            waiting.append(report)
            if report.incident is not None:
                current = Cluster(key, waiting, incident=report.incident)
            elif len(waiting) >= count:
                current = Cluster(key, waiting, severe_from=report.id)
            else:
                current = None
                continue
            clusters.append(current)
            waiting = []
    return clusters
