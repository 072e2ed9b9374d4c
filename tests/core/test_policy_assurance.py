"""Assurance-only policies (重要通信保障): they match only tickets under a
declared assurance period that names them, and outrank every other policy."""

from hypothesis import given
from hypothesis import strategies as st
from sla_core import (
    PolicyRule,
    conflicting_rules,
    covers,
    find_shadowed,
    order_rules,
    select_policy,
)


def rule(id, sequence=10, assurance_only=False, **conditions):
    return PolicyRule(
        id,
        sequence,
        {k: frozenset(v) for k, v in conditions.items()},
        assurance_only=assurance_only,
    )


FACTS = {"segment": "enterprise", "tier": 1, "level": 7, "team": 3, "priority": "2"}
ASSURANCE = rule(50, 99, assurance_only=True)


def test_an_assurance_policy_matches_only_tickets_under_its_period():
    assert not ASSURANCE.matches(FACTS)
    assert not ASSURANCE.matches({**FACTS, "assurance": frozenset()})
    # under a period naming another assurance policy: not this one
    assert not ASSURANCE.matches({**FACTS, "assurance": frozenset({51})})
    assert ASSURANCE.matches({**FACTS, "assurance": frozenset({50})})


def test_an_assurance_policy_outranks_the_most_specific_ordinary_one():
    specific = rule(1, 1, segment={"enterprise"}, tier={1}, level={7}, team={3})
    under = {**FACTS, "assurance": frozenset({50})}
    assert select_policy([specific, ASSURANCE], under) is ASSURANCE
    assert select_policy([specific, ASSURANCE], FACTS) is specific
    assert order_rules([specific, ASSURANCE])[0] is ASSURANCE


def test_an_assurance_policy_keeps_its_own_conditions():
    home_only = rule(52, 10, assurance_only=True, segment={"home"})
    assert not home_only.matches({**FACTS, "assurance": frozenset({52})})


def test_an_assurance_policy_shadows_no_ordinary_policy_and_is_not_shadowed():
    generic = rule(1, 1)
    assert find_shadowed([generic, ASSURANCE]) == {}
    assert not covers(ASSURANCE, generic)
    assert covers(generic, ASSURANCE)  # but it ranks after: no shadow
    assert conflicting_rules(ASSURANCE, [generic]) == []


ids = st.integers(1, 30)
conditions = st.dictionaries(
    st.sampled_from(["segment", "tier", "level", "team"]),
    st.sets(st.integers(0, 3), min_size=1, max_size=2),
    max_size=3,
)
rules = st.builds(
    lambda id, seq, only, cond: PolicyRule(
        id, seq, {k: frozenset(v) for k, v in cond.items()}, assurance_only=only
    ),
    ids,
    st.integers(0, 50),
    st.booleans(),
    conditions,
)
facts = st.fixed_dictionaries(
    {
        "segment": st.integers(0, 3),
        "tier": st.integers(0, 3),
        "level": st.integers(0, 3),
        "team": st.integers(0, 3),
        "assurance": st.frozensets(ids, max_size=3),
    }
)


@given(st.lists(rules, max_size=8, unique_by=lambda r: r.id), facts)
def test_a_matching_assurance_policy_always_governs(rule_list, ticket):
    chosen = select_policy(rule_list, ticket)
    named = [r for r in rule_list if r.assurance_only and r.matches(ticket)]
    if named:
        assert chosen in named
    elif chosen is not None:
        assert not chosen.assurance_only


@given(st.lists(rules, max_size=8, unique_by=lambda r: r.id), facts)
def test_without_a_period_no_assurance_policy_applies(rule_list, ticket):
    ticket = {**ticket, "assurance": frozenset()}
    chosen = select_policy(rule_list, ticket)
    assert chosen is None or not chosen.assurance_only
    ordinary = [r for r in rule_list if not r.assurance_only]
    assert chosen is select_policy(ordinary, ticket)


@given(st.lists(rules, max_size=8, unique_by=lambda r: r.id), facts)
def test_a_shadowed_rule_never_governs(rule_list, ticket):
    shadowed = find_shadowed(rule_list)
    chosen = select_policy(rule_list, ticket)
    assert chosen is None or chosen.id not in shadowed
