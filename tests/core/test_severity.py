"""Severity: outage rules and complaint aggregation (DOMAIN.md "Severity and
escalation")."""

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.severity import (
    CROSS_CITY,
    GENERAL,
    IMPORTANT,
    MAJOR,
    NOT_CROSS_CITY,
    ORDINARY,
    SEVERE,
    OutageFacts,
    Report,
    SeverityError,
    SeverityRule,
    aggregate,
    assess,
    higher,
    match_rule,
    order_rules,
)

T = datetime(2026, 3, 2, 9, 0)
M = timedelta(minutes=1)
LEASED, SMS, VOICE = "leased", "sms", "voice"
DIAMOND, GOLD = "diamond", "gold"

# the shipped rules, as the Odoo data gives them
SHIPPED = order_rules(
    [
        SeverityRule(
            1,
            SEVERE,
            480 * M,
            sequence=10,
            service_types={LEASED},
            importance=IMPORTANT,
            scope="one_direction_down",
            line=CROSS_CITY,
            excluded_tiers={DIAMOND},
        ),
        SeverityRule(
            2,
            SEVERE,
            30 * M,
            sequence=20,
            service_types={LEASED},
            importance=IMPORTANT,
            scope="one_direction_down",
        ),
        SeverityRule(
            3,
            SEVERE,
            30 * M,
            sequence=30,
            service_types={VOICE},
            importance=IMPORTANT,
            scope="service_unusable",
        ),
        SeverityRule(
            4,
            SEVERE,
            30 * M,
            sequence=80,
            importance=IMPORTANT,
            scope="all_users_city",
        ),
    ]
)


def leased(tier=GOLD, cross_city=False, important=True, scope="one_direction_down"):
    return OutageFacts(
        service_type=LEASED,
        segment="enterprise",
        important=important,
        scope=scope,
        cross_city=cross_city,
        tier=tier,
    )


# ---------------------------------------------------------------------------
# rule matching
# ---------------------------------------------------------------------------
def test_first_rule_by_sequence_wins():
    assert match_rule(SHIPPED, leased(cross_city=True)).id == 1
    assert match_rule(SHIPPED, leased(cross_city=False)).id == 2


def test_diamond_cross_city_line_is_excluded_from_the_8_hour_rule():
    assert match_rule(SHIPPED, leased(tier=DIAMOND, cross_city=True)).id == 2


def test_unassessed_scope_matches_no_scoped_rule():
    assert match_rule(SHIPPED, leased(scope=None)) is None


def test_ordinary_customer_is_not_important():
    assert match_rule(SHIPPED, leased(important=False)) is None


def test_importance_ordinary_means_group_and_not_important():
    rule = SeverityRule(9, MAJOR, importance=ORDINARY)
    assert rule.matches(OutageFacts(segment="enterprise", important=False))
    assert not rule.matches(OutageFacts(segment="enterprise", important=True))
    assert not rule.matches(OutageFacts(segment="home", important=False))


def test_not_cross_city_condition():
    rule = SeverityRule(9, MAJOR, line=NOT_CROSS_CITY)
    assert rule.matches(OutageFacts(cross_city=False))
    assert not rule.matches(OutageFacts(cross_city=True))


def test_rule_without_condition_matches_everything():
    assert SeverityRule(9, MAJOR).matches(OutageFacts())


def test_sequence_ties_are_broken_by_id():
    a, b = SeverityRule(2, MAJOR), SeverityRule(1, SEVERE)
    assert match_rule(order_rules([a, b]), OutageFacts()).id == 1


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"threshold": -M}, "negative_threshold"),
        ({"importance": "vip"}, "unknown_importance"),
        ({"line": "diagonal"}, "unknown_line_condition"),
    ],
)
def test_bad_rules_are_refused(kwargs, code):
    with pytest.raises(SeverityError) as caught:
        SeverityRule(1, SEVERE, **kwargs)
    assert caught.value.code == code


def test_unknown_severity_is_refused():
    with pytest.raises(SeverityError, match="unknown_severity"):
        SeverityRule(1, "apocalyptic")


def test_higher():
    assert higher(GENERAL, SEVERE) == SEVERE
    assert higher(MAJOR, GENERAL) == MAJOR
    assert higher(None, MAJOR) == MAJOR
    assert higher(MAJOR, None) == MAJOR


# ---------------------------------------------------------------------------
# assessing an outage over time
# ---------------------------------------------------------------------------
def test_outage_becomes_severe_after_30_minutes():
    before = assess(SHIPPED, leased(), GENERAL, T, T + 29 * M)
    assert before.apply is None
    assert (before.pending, before.due) == (SEVERE, T + 30 * M)
    at = assess(SHIPPED, leased(), GENERAL, T, T + 30 * M)
    assert (at.apply, at.pending) == (SEVERE, None)


def test_restored_before_threshold_never_becomes_severe():
    out = assess(SHIPPED, leased(), GENERAL, T, T + 2 * 60 * M, restored=T + 20 * M)
    assert (out.apply, out.pending) == (None, None)


def test_restored_after_threshold_is_severe_even_if_assessed_later():
    out = assess(SHIPPED, leased(), GENERAL, T, T + 5 * 60 * M, restored=T + 40 * M)
    assert out.apply == SEVERE


def test_non_diamond_cross_city_line_waits_8_hours():
    facts = leased(cross_city=True)
    assert assess(SHIPPED, facts, GENERAL, T, T + 7 * 60 * M).pending == SEVERE
    assert assess(SHIPPED, facts, GENERAL, T, T + 8 * 60 * M).apply == SEVERE


def test_scope_assessed_late_applies_at_once_when_past_due():
    out = assess(SHIPPED, leased(), GENERAL, T, T + 45 * M)
    assert out.apply == SEVERE


def test_rule_no_more_severe_than_current_changes_nothing():
    out = assess(SHIPPED, leased(), SEVERE, T, T + 45 * M)
    assert (out.rule.id, out.apply, out.pending) == (2, None, None)


def test_no_rule_no_outcome():
    out = assess(SHIPPED, leased(scope=None), GENERAL, T, T + 45 * M)
    assert out.rule is None and out.apply is None and out.pending is None


@given(
    st.integers(min_value=0, max_value=600),
    st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
)
def test_severity_applies_exactly_when_the_outage_lasted_the_threshold(now, restored):
    out = assess(
        SHIPPED,
        leased(),
        GENERAL,
        T,
        T + now * M,
        restored=None if restored is None else T + restored * M,
    )
    end = now if restored is None else restored
    if restored is not None and restored < 30:
        assert out.apply is None and out.pending is None
    elif end >= 30:
        assert out.apply == SEVERE and out.pending is None
    else:
        assert out.apply is None and out.pending == SEVERE


# ---------------------------------------------------------------------------
# complaint aggregation
# ---------------------------------------------------------------------------
KEY = ("company", SMS, "Chongqing")


def report(id_, minutes, key=KEY, ordinary=True, incident=None):
    return Report(id_, key, T + minutes * M, ordinary=ordinary, incident=incident)


def test_three_reports_within_30_minutes_are_severe_from_the_third():
    clusters = aggregate([report(1, 0), report(2, 10), report(3, 25)])
    assert len(clusters) == 1
    assert clusters[0].ids == [1, 2, 3]
    assert clusters[0].severe_from == 3


def test_two_reports_are_not_enough():
    assert aggregate([report(1, 0), report(2, 10)]) == []


def test_three_reports_spread_over_more_than_30_minutes_are_not_a_cluster():
    assert aggregate([report(1, 0), report(2, 20), report(3, 31)]) == []


def test_the_window_slides():
    clusters = aggregate([report(1, 0), report(2, 20), report(3, 31), report(4, 40)])
    assert clusters[0].ids == [2, 3, 4]
    assert clusters[0].severe_from == 4


def test_a_fourth_report_joins_while_within_the_window_of_the_latest():
    clusters = aggregate([report(i, m) for i, m in ((1, 0), (2, 5), (3, 10), (4, 35))])
    assert clusters[0].ids == [1, 2, 3, 4]
    assert clusters[0].severe_from == 3


def test_a_report_after_a_longer_quiet_does_not_join():
    clusters = aggregate([report(i, m) for i, m in ((1, 0), (2, 5), (3, 10), (4, 41))])
    assert [c.ids for c in clusters] == [[1, 2, 3]]


def test_other_city_or_service_type_counts_apart():
    other_city = ("company", SMS, "Chengdu")
    other_type = ("company", VOICE, "Chongqing")
    clusters = aggregate(
        [
            report(1, 0),
            report(2, 5),
            report(3, 6, key=other_city),
            report(4, 7, other_type),
        ]
    )
    assert clusters == []


def test_important_customers_neither_count_nor_join():
    reports = [report(1, 0), report(2, 5, ordinary=False), report(3, 10)]
    assert aggregate(reports) == []
    reports += [report(4, 12), report(5, 14, ordinary=False)]
    assert [c.ids for c in aggregate(reports)] == [[1, 3, 4]]


def test_a_new_report_joins_an_existing_incident():
    earlier = [report(i, m, incident="A") for i, m in ((1, 0), (2, 5), (3, 10))]
    clusters = aggregate([*earlier, report(4, 20)])
    assert len(clusters) == 1
    assert clusters[0].incident == "A"
    assert clusters[0].ids == [1, 2, 3, 4]
    assert clusters[0].severe_from is None


def test_n_and_m_are_configurable():
    reports = [report(1, 0), report(2, 50)]
    assert aggregate(reports, count=2, window=60 * M)[0].severe_from == 2
    assert aggregate(reports, count=2, window=30 * M) == []


@pytest.mark.parametrize(
    "count, window, code",
    [
        (1, 30 * M, "complaint_count_below_two"),
        (0, 30 * M, "complaint_count_below_two"),
        (3, 0 * M, "complaint_window_not_positive"),
        (3, -M, "complaint_window_not_positive"),
    ],
)
def test_bad_aggregation_settings_are_refused(count, window, code):
    with pytest.raises(SeverityError) as caught:
        aggregate([], count=count, window=window)
    assert caught.value.code == code


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.sampled_from(["A", "B"]), st.booleans()),
        max_size=25,
    )
)
def test_every_cluster_holds_the_count_within_the_window(rows):
    reports = [
        report(i, m, key=("c", SMS, city), ordinary=o)
        for i, (m, city, o) in enumerate(rows)
    ]
    seen = set()
    for cluster in aggregate(reports):
        assert not seen & set(cluster.ids), "a report in two clusters"
        seen |= set(cluster.ids)
        times = [r.time for r in cluster.reports]
        assert times == sorted(times)
        assert all(r.ordinary and r.key == cluster.key for r in cluster.reports)
        trigger = next(r for r in cluster.reports if r.id == cluster.severe_from)
        window = [r for r in cluster.reports if trigger.time - r.time <= 30 * M]
        assert len([r for r in window if r.time <= trigger.time]) >= 3
        gaps = [b - a for a, b in pairwise(times)]
        assert all(g <= 30 * M for g in gaps)
