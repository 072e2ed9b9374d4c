"""Monitoring alarms: reading a request, raise/repeat/clear, matching,
flapping and correlation (DOMAIN.md "Intake and dispatch")."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.alarms import (
    CLEAR,
    CLEARED,
    NEW,
    REARM,
    REPEAT,
    SAME,
    STALE,
    AlarmInputError,
    LineHit,
    LineIndex,
    MappingRow,
    apply_clear,
    apply_raise,
    check_correlation,
    cleared_at,
    correlate,
    is_flap,
    normalize_object,
    parse_request,
    pending_clear_for,
    restore_due,
)

NOW = datetime(2026, 12, 7, 4, 0)
M = timedelta(minutes=1)
SHANGHAI = timezone(timedelta(hours=8))


def raise_(alarm_id="A1", at=NOW - 10 * M, **kw):
    item = {"alarm_id": alarm_id, "raised_at": at.isoformat() + "Z"}
    item.setdefault("circuit_ref", "cq-idl-1")
    item.update(kw)
    return item


def one(item, now=NOW, tz=UTC):
    (event,) = parse_request(item, now, tz)
    return event


# --------------------------------------------------------------------------
# reading a request
# --------------------------------------------------------------------------
def test_a_single_object_and_a_list_are_both_requests():
    assert len(parse_request({"alarms": [raise_("A"), raise_("B")]}, NOW)) == 2
    assert one(raise_("A")).alarm_id == "A"


def test_times_are_read_as_utc_and_a_naive_time_in_the_sources_zone():
    event = one(raise_(at=NOW), now=NOW)
    assert event.raised_at == NOW
    local = one(
        {"alarm_id": "A", "circuit_ref": "X", "raised_at": "2026-12-07T12:00:00"},
        tz=SHANGHAI,
    )
    assert local.raised_at == datetime(2026, 12, 7, 4, 0)
    offset = one(
        {
            "alarm_id": "A",
            "circuit_ref": "X",
            "raised_at": "2026-12-07T11:30:00+07:30",
        }
    )
    assert offset.raised_at == datetime(2026, 12, 7, 4, 0)


def test_objects_and_circuits_are_normalized():
    event = one(raise_(circuit_ref=" cq-idl  1 ", element=" olt-07 ", port="1/1/3"))
    assert event.circuit_ref == "CQ-IDL 1"
    assert (event.element, event.port) == ("OLT-07", "1/1/3")
    assert normalize_object("  ") is None


def test_last_seen_defaults_to_the_raise_and_never_precedes_it():
    event = one(raise_(at=NOW - 5 * M, last_seen=(NOW - 9 * M).isoformat()))
    assert event.last_seen == NOW - 5 * M
    assert one(raise_(at=NOW - 5 * M)).last_seen == NOW - 5 * M


@pytest.mark.parametrize(
    ("payload", "code", "field", "index"),
    [
        ([], "not_an_object", None, None),
        ({"alarms": "x"}, "not_a_list", "alarms", None),
        ({"alarms": []}, "empty", "alarms", None),
        ({"alarms": [raise_(), 3]}, "not_an_object", None, 1),
        ({"alarms": [raise_(alarm_id=None)]}, "missing", "alarm_id", 0),
        ({"alarms": [raise_(alarm_id=["x"])]}, "not_a_string", "alarm_id", 0),
        ({"alarms": [raise_(alarm_id="x" * 129)]}, "too_long", "alarm_id", 0),
        ({"alarms": [raise_(state="gone")]}, "bad_state", "state", 0),
        ({"alarms": [raise_(raised_at="yesterday")]}, "not_a_time", "raised_at", 0),
        ({"alarms": [raise_(raised_at=17)]}, "not_a_time", "raised_at", 0),
        ({"alarms": [raise_(raised_at=None)]}, "missing", "raised_at", 0),
        ({"alarms": [raise_(at=NOW + 6 * M)]}, "in_future", "raised_at", 0),
        ({"alarms": [raise_(severity="fatal")]}, "bad_severity", "severity", 0),
        ({"alarms": [raise_(circuit_ref=None)]}, "no_object", "circuit_ref", 0),
        (
            {"alarms": [raise_(circuit_ref=None, port="1/1")]},
            "no_object",
            "circuit_ref",
            0,
        ),
        (
            {"alarms": [raise_(port="1/1")]},
            "missing",
            "element",
            0,
        ),
        (
            {"alarms": [{"alarm_id": "A", "state": "cleared"}]},
            "missing",
            "cleared_at",
            0,
        ),
        (
            {"alarms": [{"state": "cleared", "cleared_at": NOW.isoformat()}]},
            "missing",
            "alarm_id",
            0,
        ),
    ],
)
def test_a_bad_item_names_its_index_and_field(payload, code, field, index):
    with pytest.raises(AlarmInputError) as caught:
        parse_request(payload, NOW)
    assert (caught.value.code, caught.value.field, caught.value.index) == (
        code,
        field,
        index,
    )


def test_a_clock_a_little_ahead_is_accepted():
    assert one(raise_(at=NOW + 4 * M)).raised_at == NOW + 4 * M


def test_too_many_items_are_refused_whole():
    with pytest.raises(AlarmInputError) as caught:
        parse_request({"alarms": [raise_(str(i)) for i in range(4)]}, NOW, max_items=3)
    assert caught.value.code == "too_many"


def test_a_clear_may_name_only_its_clear_key():
    event = one(
        {"state": "cleared", "clear_key": "K9", "cleared_at": "2026-12-07T03:59:00Z"}
    )
    assert (event.alarm_id, event.clear_key, event.state) == ("K9", "K9", CLEARED)
    assert event.cleared_at == NOW - M


# --------------------------------------------------------------------------
# raise, repeat, clear
# --------------------------------------------------------------------------
def test_a_redelivered_raise_changes_nothing_and_a_later_sighting_counts():
    first = one(raise_(at=NOW - 10 * M))
    verdict, stored = apply_raise(None, first)
    assert verdict == NEW and stored.count == 1
    assert apply_raise(stored, first) == (SAME, stored)
    later = one(raise_(at=NOW - 10 * M, last_seen=(NOW - 2 * M).isoformat()))
    verdict, after = apply_raise(stored, later)
    assert verdict == REPEAT
    assert (after.count, after.last_seen, after.raised_at) == (
        2,
        NOW - 2 * M,
        NOW - 10 * M,
    )
    # the older sighting delivered late changes nothing
    assert apply_raise(after, first)[0] == SAME


def test_a_clear_clears_once_and_an_older_clear_is_stale():
    _v, stored = apply_raise(None, one(raise_(at=NOW - 10 * M)))
    clear = one(
        {"alarm_id": "A1", "state": CLEARED, "cleared_at": (NOW - 5 * M).isoformat()}
    )
    verdict, after = apply_clear(stored, clear)
    assert verdict == CLEAR and after.cleared_at == NOW - 5 * M
    assert apply_clear(after, clear) == (SAME, after)
    old = one(
        {"alarm_id": "A1", "state": CLEARED, "cleared_at": (NOW - 11 * M).isoformat()}
    )
    assert apply_clear(stored, old)[0] == STALE


def test_a_raise_after_the_clear_rearms_and_the_old_raise_redelivered_does_not():
    first = one(raise_(at=NOW - 10 * M))
    _v, stored = apply_raise(None, first)
    clear = one(
        {"alarm_id": "A1", "state": CLEARED, "cleared_at": (NOW - 5 * M).isoformat()}
    )
    _v, cleared = apply_clear(stored, clear)
    assert apply_raise(cleared, first)[0] == SAME
    verdict, again = apply_raise(cleared, one(raise_(at=NOW - 2 * M)))
    assert verdict == REARM and again.active and again.count == 2


def test_a_pending_clear_closes_the_raise_that_comes_later():
    clears = parse_request(
        {
            "alarms": [
                {
                    "alarm_id": "A1",
                    "state": CLEARED,
                    "cleared_at": (NOW - 8 * M).isoformat(),
                },
                {
                    "alarm_id": "A1",
                    "state": CLEARED,
                    "cleared_at": (NOW - 3 * M).isoformat(),
                },
                {
                    "state": CLEARED,
                    "clear_key": "K",
                    "cleared_at": (NOW - 6 * M).isoformat(),
                },
            ]
        },
        NOW,
    )
    event = one(raise_(at=NOW - 9 * M))
    assert pending_clear_for(event, clears).cleared_at == NOW - 8 * M
    later = one(raise_(at=NOW - 7 * M))
    assert pending_clear_for(later, clears).cleared_at == NOW - 3 * M
    keyed = one(raise_("B", at=NOW - 7 * M, clear_key="K"))
    assert pending_clear_for(keyed, clears).cleared_at == NOW - 6 * M
    assert pending_clear_for(one(raise_("C")), clears) is None


def test_flapping_is_a_raise_within_the_window_after_the_last_clear():
    assert is_flap(NOW, NOW + 15 * M)
    assert not is_flap(NOW, NOW + 16 * M)
    assert not is_flap(None, NOW)
    assert not is_flap(NOW, NOW - M)
    assert is_flap(NOW, NOW + 20 * M, window=30 * M)


def test_a_ticket_is_cleared_when_its_last_alarm_clears():
    class A:
        def __init__(self, at):
            self.cleared_at = at

    assert cleared_at([A(NOW), A(NOW + M)]) == NOW + M
    assert cleared_at([A(NOW), A(None)]) is None
    assert cleared_at([]) is None
    assert restore_due(NOW, 15 * M, NOW + 15 * M)
    assert not restore_due(NOW, 15 * M, NOW + 14 * M)
    assert not restore_due(None, 15 * M, NOW)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_any_order_of_redeliveries_counts_each_sighting_once(minutes):
    """Delivered at least once and in any order, each distinct sighting
    after the first raise counts at most once."""
    events = [
        one(raise_(at=NOW - 90 * M, last_seen=(NOW - 90 * M + m * M).isoformat()))
        for m in minutes
    ]
    stored = None
    for event in events + events:
        _v, stored = apply_raise(stored, event)
    assert stored.last_seen == NOW - 90 * M + max(minutes) * M
    assert stored.count <= len(set(minutes))


# --------------------------------------------------------------------------
# matching
# --------------------------------------------------------------------------
INDEX = LineIndex(
    {"cq-idl-1": 1, "CQ-IDL-2": 2},
    [
        MappingRow(3, "OLT-07", "1/1/1", "CABLE-9"),
        MappingRow(4, "olt-07", "1/1/2", "cable-9"),
        MappingRow(5, "OLT-08", "1/1/1", "CABLE-9"),
        MappingRow(6, "SW-1", None, None),
        MappingRow(1, "OLT-09", "2/1", "CABLE-9"),
    ],
)


def test_an_alarm_reaches_its_circuit_or_its_element_and_port():
    assert INDEX.lines(one(raise_(circuit_ref="CQ-IDL-1 "))) == [1]
    assert INDEX.lines(
        one(raise_(circuit_ref=None, element="olt-07", port="1/1/2"))
    ) == [4]
    assert INDEX.lines(
        one(raise_(circuit_ref="unknown", element="OLT-07", port="1/1/1"))
    ) == [3]
    assert (
        INDEX.lines(one(raise_(circuit_ref=None, element="OLT-07", port="9/9"))) == []
    )
    assert INDEX.lines(one(raise_(circuit_ref="nothing"))) == []


def test_an_element_without_port_reaches_every_line_at_or_behind_it():
    assert INDEX.lines(one(raise_(circuit_ref=None, element="OLT-07"))) == [3, 4]
    assert INDEX.lines(one(raise_(circuit_ref=None, element="cable-9"))) == [3, 4, 5, 1]
    assert INDEX.lines(one(raise_(circuit_ref=None, element="SW-1"))) == [6]


def test_a_line_counts_under_its_upstream_element():
    on_port = one(raise_(circuit_ref=None, element="OLT-07", port="1/1/1"))
    assert INDEX.element_of(on_port, 3) == "CABLE-9"
    on_circuit = one(raise_(circuit_ref="CQ-IDL-1"))
    assert INDEX.element_of(on_circuit, 1) == "CABLE-9"
    assert INDEX.element_of(on_circuit, 2) is None
    cable = one(raise_(circuit_ref=None, element="CABLE-9"))
    assert INDEX.element_of(cable, 5) == "CABLE-9"
    assert INDEX.element_of(one(raise_(circuit_ref=None, element="SW-1")), 6) == "SW-1"


# --------------------------------------------------------------------------
# correlation
# --------------------------------------------------------------------------
def hit(ticket, minute, element="CABLE-9", incident=None):
    return LineHit(
        ticket, (1, element) if element else None, NOW + minute * M, incident
    )


def test_three_lines_behind_one_element_within_the_window_make_an_incident():
    clusters = correlate([hit(1, 0), hit(2, 4), hit(3, 9), hit(4, 30), hit(9, 1, "X")])
    assert [(c.key, c.ids, c.severe_from) for c in clusters] == [
        ((1, "CABLE-9"), [1, 2, 3], 3)
    ]


def test_two_lines_or_a_slow_trickle_make_none():
    assert correlate([hit(1, 0), hit(2, 4)]) == []
    assert correlate([hit(1, 0), hit(2, 11), hit(3, 22)]) == []
    assert correlate([hit(1, 0), hit(2, 1), hit(3, 2, None)]) == []


def test_a_later_ticket_joins_the_incident_of_its_element():
    clusters = correlate([hit(1, 0, incident=7), hit(5, 6)])
    assert [(c.incident, c.ids) for c in clusters] == [(7, [1, 5])]


def test_correlation_settings_are_checked():
    with pytest.raises(AlarmInputError):
        check_correlation(1, 10 * M)
    with pytest.raises(AlarmInputError):
        check_correlation(3, timedelta(0))


def test_tickets_raised_before_an_incident_and_delivered_after_join_it():
    """Several clients deliver one cut out of order: the earlier alarms,
    enough for an incident of their own, join the element's incident."""
    clusters = correlate(
        [hit(1, 0), hit(2, 1), hit(3, 2), hit(7, 5, incident=9), hit(8, 6, incident=9)]
    )
    assert [(c.incident, sorted(c.ids)) for c in clusters] == [(9, [1, 2, 3, 7, 8])]


def test_two_bursts_far_apart_stay_two_incidents():
    clusters = correlate([hit(1, 0), hit(2, 1), hit(3, 2), hit(7, 40, incident=9)])
    assert [(c.incident, c.ids) for c in clusters] == [(None, [1, 2, 3]), (9, [7])]


def test_a_cable_alarm_delivered_last_brings_every_line_into_one_incident():
    """The cable's own alarm reaches its thirty lines at once: eight were not
    in the incident yet, twenty-two were."""
    hits = [hit(t, t // 4) for t in range(8)] + [
        hit(t, t // 4, incident=1) for t in range(8, 30)
    ]
    clusters = correlate(hits)
    assert [(c.incident, len(c.ids)) for c in clusters] == [(1, 30)]
