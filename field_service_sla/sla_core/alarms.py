"""Monitoring alarms, free of Odoo (DOMAIN.md "Intake and dispatch").

A monitoring system delivers alarms and their clears at least once; the
rules here make each one count exactly once:

- **Reading a request**: what a source sends is checked item by item; the
  first bad item names its index and field (``AlarmInputError``) and the
  whole request is refused.
- **Raise and repeat**: the same (source, alarm id) delivered again is the
  same alarm: only a later ``last_seen`` moves its count and last-seen time;
  a redelivery changes nothing. A raise after the alarm cleared raises it
  again (``REARM``).
- **Pairing a clear**: a clear pairs with its raise by alarm id or by the
  clear key the raise named; a clear older than the raise it would close is
  stale; a clear of an alarm never seen is kept pending and applied when
  the raise comes.
- **Matching**: an alarm names a circuit (a line directly) or a network
  element and port, which an administrator's mapping turns into the lines
  behind it; an alarm on an upstream element reaches every line behind it.
- **Flapping**: a raise on a line whose last alarm cleared less than N
  minutes before stays on that line's ticket, flagged.
- **Correlation**: alarms on several lines behind one upstream element
  within M minutes make one incident named after the element.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .circuits import normalize_circuit_ref
from .severity import Report, aggregate

RAISED, CLEARED = "raised", "cleared"
# ITU-T X.733 perceived severities, as monitoring systems send them
PERCEIVED = ("critical", "major", "minor", "warning", "indeterminate")

# how far in the future a source's clock may run before a time is refused
CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_FLAP_WINDOW = timedelta(minutes=15)
DEFAULT_CORRELATION_WINDOW = timedelta(minutes=10)
DEFAULT_CORRELATION_LINES = 3
MAX_ITEMS = 5000
MAX_TEXT = 2000
MAX_REF = 128

_SPACES = re.compile(r"\s+")


class AlarmInputError(ValueError):
    """An item of a request the rules refuse. ``index`` is its place in the
    request (None for the request itself), ``field`` the field at fault,
    ``code`` says what is wrong (the shell words it for people)."""

    def __init__(self, code, field=None, index=None, detail=None):
        super().__init__(code, field, index)
        self.code = code
        self.field = field
        self.index = index
        self.detail = detail


def normalize_object(value):
    """A network element or port as one operator writes it: blanks trimmed,
    inner runs made one space, upper case (``olt-07 `` is ``OLT-07``)."""
    if not isinstance(value, str):
        return None
    value = _SPACES.sub(" ", value).strip().upper()
    return value or None


@dataclass(frozen=True)
class AlarmIn:
    """One item of a request, checked and normalized."""

    alarm_id: str
    state: str
    raised_at: datetime | None
    cleared_at: datetime | None
    last_seen: datetime | None
    circuit_ref: str | None = None
    element: str | None = None
    port: str | None = None
    alarm_type: str | None = None
    severity: str | None = None
    clear_key: str | None = None
    text: str | None = None
    raw: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def time(self):
        """When this item happened: the clear time of a clear, the latest
        sighting of a raise."""
        return self.cleared_at if self.state == CLEARED else self.last_seen


def parse_time(value, field_name, index, tz):
    """An ISO 8601 time as naive UTC. A time without offset is read in
    ``tz`` (a ``tzinfo``: the source's zone)."""
    if not isinstance(value, str):
        raise AlarmInputError("not_a_time", field_name, index)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AlarmInputError("not_a_time", field_name, index) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _text(item, name, index, limit=MAX_REF, required=False):
    value = item.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise AlarmInputError("missing", name, index)
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise AlarmInputError("not_a_string", name, index)
    value = value.strip()
    if len(value) > limit:
        raise AlarmInputError("too_long", name, index, limit)
    return value


def parse_item(item, index, now, tz):
    """One alarm or clear of a request, checked (see ``parse_request``)."""
    if not isinstance(item, dict):
        raise AlarmInputError("not_an_object", None, index)
    alarm_id = _text(item, "alarm_id", index)
    state = item.get("state", RAISED)
    if state not in (RAISED, CLEARED):
        raise AlarmInputError("bad_state", "state", index)
    clear_key = _text(item, "clear_key", index)
    if alarm_id is None and not (state == CLEARED and clear_key):
        raise AlarmInputError("missing", "alarm_id", index)
    times = {}
    for name in ("raised_at", "cleared_at", "last_seen"):
        if item.get(name) is not None:
            times[name] = parse_time(item[name], name, index, tz)
            if times[name] > now + CLOCK_SKEW:
                raise AlarmInputError("in_future", name, index)
    if state == RAISED:
        if "raised_at" not in times:
            raise AlarmInputError("missing", "raised_at", index)
        last_seen = max(times.get("last_seen", times["raised_at"]), times["raised_at"])
        cleared_at = None
    else:
        if "cleared_at" not in times:
            raise AlarmInputError("missing", "cleared_at", index)
        cleared_at = times["cleared_at"]
        last_seen = times.get("last_seen")
    severity = item.get("severity")
    if severity is not None:
        if not isinstance(severity, str) or severity.lower() not in PERCEIVED:
            raise AlarmInputError("bad_severity", "severity", index)
        severity = severity.lower()
    circuit_ref = normalize_circuit_ref(_text(item, "circuit_ref", index))
    element = normalize_object(_text(item, "element", index))
    port = normalize_object(_text(item, "port", index))
    if state == RAISED and not (circuit_ref or element):
        raise AlarmInputError("no_object", "circuit_ref", index)
    if port and not element:
        raise AlarmInputError("missing", "element", index)
    return AlarmIn(
        alarm_id=alarm_id or clear_key,
        state=state,
        raised_at=times.get("raised_at"),
        cleared_at=cleared_at,
        last_seen=last_seen,
        circuit_ref=circuit_ref,
        element=element,
        port=port,
        alarm_type=_text(item, "type", index),
        severity=severity,
        clear_key=clear_key,
        text=_text(item, "text", index, limit=MAX_TEXT),
        raw=item,
    )


def parse_request(payload, now, tz=UTC, max_items=MAX_ITEMS):
    """The items of a request body already decoded from JSON: an object
    ``{"alarms": [...]}`` or one alarm object. ``now`` is naive UTC. The
    first bad item raises ``AlarmInputError``: a request is all or nothing."""
    if isinstance(payload, dict) and "alarms" in payload:
        items = payload["alarms"]
        if not isinstance(items, list):
            raise AlarmInputError("not_a_list", "alarms")
    elif isinstance(payload, dict):
        items = [payload]
    else:
        raise AlarmInputError("not_an_object")
    if not items:
        raise AlarmInputError("empty", "alarms")
    if len(items) > max_items:
        raise AlarmInputError("too_many", "alarms", detail=max_items)
    return [parse_item(item, index, now, tz) for index, item in enumerate(items)]


# ----------------------------------------------------------------------------
# raise, repeat, clear
# ----------------------------------------------------------------------------
@dataclass
class Stored:
    """An alarm as the database holds it (times naive UTC)."""

    raised_at: datetime
    last_seen: datetime
    cleared_at: datetime | None = None
    count: int = 1
    flaps: int = 0

    @property
    def active(self):
        return self.cleared_at is None


NEW, REPEAT, REARM, SAME, CLEAR, STALE = (
    "new",
    "repeat",
    "rearm",
    "same",
    "clear",
    "stale",
)


def apply_raise(stored, event):
    """What a raise does to the alarm ``stored`` (None when never seen):
    ``(verdict, stored after)``. NEW: a first sighting. REPEAT: a later
    sighting of an active alarm (count and last seen move). REARM: raised
    again after it cleared (active again, count moves). SAME: nothing new (a
    redelivery, or an older sighting)."""
    if stored is None:
        return NEW, Stored(event.raised_at, event.last_seen)
    if stored.active:
        if event.last_seen > stored.last_seen:
            return REPEAT, Stored(
                stored.raised_at,
                event.last_seen,
                None,
                stored.count + 1,
                stored.flaps,
            )
        return SAME, stored
    if event.last_seen > stored.cleared_at and event.last_seen > stored.last_seen:
        return REARM, Stored(
            stored.raised_at,
            event.last_seen,
            None,
            stored.count + 1,
            stored.flaps,
        )
    return SAME, stored


def apply_clear(stored, event):
    """What a clear does to the alarm ``stored``: CLEAR (it clears at the
    clear's time), SAME (already cleared: a redelivery) or STALE (the clear
    is older than the alarm's latest sighting: it belongs to an earlier
    raise)."""
    if not stored.active:
        return SAME, stored
    if event.cleared_at < stored.last_seen:
        return STALE, stored
    return CLEAR, Stored(
        stored.raised_at,
        stored.last_seen,
        event.cleared_at,
        stored.count,
        stored.flaps,
    )


def pending_clear_for(event, pending):
    """The pending clear (kept from before its raise) that closes the raise
    ``event``, among ``pending`` (clears of the same source): same alarm id
    or the raise's clear key, at or after the raise. The earliest wins."""
    keys = {event.alarm_id}
    if event.clear_key:
        keys.add(event.clear_key)
    found = [
        c
        for c in pending
        if (c.alarm_id in keys or (c.clear_key and c.clear_key in keys))
        and c.cleared_at >= event.last_seen
    ]
    return min(found, key=lambda c: c.cleared_at) if found else None


def is_flap(last_cleared, raised, window=DEFAULT_FLAP_WINDOW):
    """Whether a raise at ``raised`` on a line whose last alarm cleared at
    ``last_cleared`` is the line flapping: within ``window`` after it."""
    if last_cleared is None or raised < last_cleared:
        return False
    return raised - last_cleared <= window


def cleared_at(alarms):
    """When the last of a ticket's alarms cleared (``Stored`` or anything
    with ``cleared_at``), or None while one of them is active."""
    times = [a.cleared_at for a in alarms]
    if not times or any(t is None for t in times):
        return None
    return max(times)


def restore_due(all_cleared, flap_window, now):
    """Whether a ticket whose alarms all cleared at ``all_cleared`` may be
    marked restored automatically at ``now``: once the flap window has
    passed, so that a flap never undoes a restore."""
    return all_cleared is not None and now - all_cleared >= flap_window


# ----------------------------------------------------------------------------
# matching
# ----------------------------------------------------------------------------
@dataclass(frozen=True)
class MappingRow:
    """A line behind a network element: ``element`` and ``port`` where the
    line leaves the network, ``upstream`` the element it depends on (a
    cable, an aggregation switch or OLT port, a site)."""

    line: object
    element: str
    port: str | None = None
    upstream: str | None = None


class LineIndex:
    """The lines an alarm can name: by circuit reference and through the
    administrator's mapping of network elements."""

    def __init__(self, circuits, mapping):
        self.by_circuit = {normalize_circuit_ref(k): v for k, v in circuits.items()}
        self.by_port = {}
        self.by_element = {}
        self.upstream_of = {}
        for row in mapping:
            element = normalize_object(row.element)
            port = normalize_object(row.port)
            upstream = normalize_object(row.upstream)
            if port:
                self.by_port.setdefault((element, port), []).append(row.line)
            self.by_element.setdefault(element, []).append(row.line)
            if upstream:
                self.by_element.setdefault(upstream, []).append(row.line)
            self.upstream_of.setdefault(row.line, upstream or element)

    def lines(self, event):
        """The lines ``event`` reaches, in a stable order, without repeats:
        its circuit's line; else the lines at its element and port; else,
        without a port, every line at or behind its element."""
        if event.circuit_ref and event.circuit_ref in self.by_circuit:
            return [self.by_circuit[event.circuit_ref]]
        if event.element is None:
            return []
        if event.port:
            found = self.by_port.get((event.element, event.port), [])
        else:
            found = self.by_element.get(event.element, [])
        return list(dict.fromkeys(found))

    def element_of(self, event, line):
        """The element an alarm on ``line`` counts under for correlation: an
        element the alarm names itself when it reaches several lines, else
        the line's upstream element from the mapping, else the element the
        alarm names."""
        if event.element and not event.port and event.element in self.by_element:
            return event.element
        return self.upstream_of.get(line) or event.element


# ----------------------------------------------------------------------------
# correlation
# ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LineHit:
    """A fault ticket opened or joined by an alarm: ``key`` the upstream
    element it counts under (with the company), ``time`` the alarm's
    raise, ``incident`` the incident it already belongs to."""

    ticket: object
    key: tuple
    time: datetime
    incident: object = None


def check_correlation(lines, window):
    if not isinstance(lines, int) or lines < 2:
        raise AlarmInputError("correlation_lines_below_two")
    if window <= timedelta(0):
        raise AlarmInputError("correlation_window_not_positive")


def correlate(
    hits,
    lines=DEFAULT_CORRELATION_LINES,
    window=DEFAULT_CORRELATION_WINDOW,
):
    """The incidents the tickets of ``hits`` form, one per upstream element
    (``LineHit.key``): ``lines`` tickets behind it within ``window`` form
    one; a later ticket joins it while it comes within ``window`` of the
    latest one. The counting is the complaint aggregation's (one ticket is
    one line), so a cut upstream reads like N customers' reports of one
    fault.

    Unlike complaints, alarms of one cut arrive out of order (several
    clients, redeliveries): tickets raised before an element's incident,
    enough to form one of their own, join it instead when they are within
    ``window`` of it. An element has one incident per burst."""
    check_correlation(lines, window)
    clusters = aggregate(
        [Report(h.ticket, h.key, h.time, incident=h.incident) for h in hits if h.key],
        lines,
        window,
    )
    merged = []
    for cluster in sorted(clusters, key=lambda c: (str(c.key), c.start)):
        previous = merged[-1] if merged and merged[-1].key == cluster.key else None
        if (
            previous is not None
            and cluster.start - previous.last <= window
            and None in (previous.incident, cluster.incident)
        ):
            previous.reports = sorted(
                previous.reports + cluster.reports, key=lambda r: r.time
            )
            if previous.incident is None:
                previous.incident = cluster.incident
            continue
        merged.append(cluster)
    return merged
