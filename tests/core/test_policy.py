from sla_core import (
    PolicyRule,
    conflicting_rules,
    covers,
    find_shadowed,
    first_match,
    order_rules,
    select_policy,
)


def rule(id, sequence=10, **conditions):
    return PolicyRule(id, sequence, {k: frozenset(v) for k, v in conditions.items()})


FACTS = {"segment": "enterprise", "tier": 1, "level": 7, "team": 3, "priority": "2"}


def test_empty_conditions_match_anything():
    assert rule(1).matches(FACTS)
    assert rule(1).specificity == 0


def test_most_specific_wins_then_sequence_then_id():
    generic = rule(1, 1)
    by_level = rule(2, 50, level={7})
    by_level_tier = rule(3, 90, level={7}, tier={1})
    other_level = rule(4, 1, level={8}, tier={1})
    assert (
        select_policy([generic, by_level, by_level_tier, other_level], FACTS)
        is by_level_tier
    )
    a, b = rule(5, 20, level={7}), rule(6, 10, team={3})
    assert select_policy([a, b], FACTS) is b
    c, d = rule(8, 10, level={7}), rule(7, 10, team={3})
    assert select_policy([c, d], FACTS) is d


def test_no_match_gives_none():
    assert select_policy([rule(1, segment={"home"})], FACTS) is None


def test_first_match_on_ordered_rules_equals_select_policy():
    rules = [rule(i, i % 3, level={i % 4}) for i in range(20)] + [rule(99)]
    ordered = order_rules(rules)
    for level in range(5):
        facts = {"level": level}
        assert first_match(ordered, facts) is select_policy(rules, facts)


def test_conflicts_are_equal_precedence_rules_that_can_overlap():
    a = rule(1, 10, level={7})
    b = rule(2, 10, tier={1})  # a ticket with level 7 and tier 1 matches both
    c = rule(3, 10, level={8})  # disjoint from a on level, overlaps b
    d = rule(4, 20, level={7})  # other sequence: ordered, no conflict
    rules = [a, b, c, d]
    clashes = {
        r.id: [o.id for o in conflicting_rules(r, [o for o in rules if o is not r])]
        for r in rules
    }
    assert clashes == {1: [2], 2: [1, 3], 3: [2], 4: []}


def test_a_rule_covers_another_when_it_accepts_all_its_tickets():
    assert covers(rule(1), rule(2, level={7}))
    assert covers(rule(1, level={7, 8}), rule(2, level={7}, tier={1}))
    assert not covers(rule(1, level={7}), rule(2, level={7, 8}))
    assert not covers(rule(1, level={7}), rule(2))
    assert not covers(rule(1, level={7}, tier={1}), rule(2, level={7}))


def test_a_copy_of_a_policy_with_a_lower_sequence_shadows_it():
    shipped_aa = rule(2, 20, segment={"enterprise"}, level={7})
    copy = rule(9, 10, segment={"enterprise"}, level={7})
    assert find_shadowed([shipped_aa, copy]) == {2: 9}
    # same sequence: the older record takes precedence, the copy never wins
    same = rule(9, 20, segment={"enterprise"}, level={7})
    assert find_shadowed([shipped_aa, same]) == {9: 2}


def test_no_shadow_when_the_rule_still_wins_some_ticket():
    narrow = rule(1, 10, level={7}, tier={1})
    broad = rule(2, 20, level={7, 8}, tier={1})  # level 8 still goes to it
    generic = rule(3, 99)
    assert find_shadowed([narrow, broad, generic]) == {}
    # a more specific rule always ranks first: a broader rule cannot shadow it
    assert find_shadowed([rule(1, 1), rule(2, 50, level={7})]) == {}


def test_the_first_covering_rule_is_named():
    a = rule(1, 5, level={7, 8})
    b = rule(2, 6, level={7, 8, 9})
    c = rule(3, 7, level={7})
    assert find_shadowed([c, b, a]) == {3: 1}
