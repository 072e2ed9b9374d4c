"""Which SLA policy governs a ticket.

A policy holds conditions: for each dimension (segment, tier, assurance level,
service type, team, category, priority) a set of accepted values, the empty set
meaning "any". A ticket is described by one value per dimension. The most
specific matching policy wins (most dimensions constrained); equal specificity
is broken by sequence, then by id so the choice is always deterministic.
That order is a policy's *precedence*.

A policy may be *assurance only* (重要通信保障): it matches only tickets whose
facts say they are under a declared assurance period that names it (the
``assurance`` fact: the ids of the assurance policies of the periods holding
the ticket's report on its line), and it outranks every other policy, however
specific: during a customer's important event its lines get the stricter
clocks whatever else describes them.
"""

from dataclasses import dataclass, field

DIMENSIONS = (
    "segment",
    "tier",
    "level",
    "service_type",
    "team",
    "category",
    "priority",
)


@dataclass(frozen=True)
class PolicyRule:
    id: int
    sequence: int = 10
    conditions: dict = field(default_factory=dict)
    assurance_only: bool = False

    def __post_init__(self):
        # Matching runs once per ticket and rule: build the sets once.
        constrained = tuple(
            (d, frozenset(self.conditions[d]))
            for d in DIMENSIONS
            if self.conditions.get(d)
        )
        object.__setattr__(self, "_constrained", constrained)

    def accepted(self, dimension):
        return dict(self._constrained).get(dimension, frozenset())

    @property
    def specificity(self):
        return len(self._constrained)

    @property
    def rank(self):
        """Lower sorts first: assurance-only policies, then more specific,
        then lower sequence."""
        return (0 if self.assurance_only else 1, -self.specificity, self.sequence)

    def matches(self, facts):
        if self.assurance_only and self.id not in (facts.get("assurance") or ()):
            return False
        return all(facts.get(d) in accepted for d, accepted in self._constrained)


def select_policy(rules, facts):
    """The governing rule for a ticket described by ``facts``, or None."""
    return first_match(order_rules(rules), facts)


def order_rules(rules):
    return sorted(rules, key=lambda r: (r.rank, r.id))


def first_match(ordered_rules, facts):
    """:func:`select_policy` on rules already ordered by :func:`order_rules`:
    matching many tickets against one policy set sorts it once."""
    return next((r for r in ordered_rules if r.matches(facts)), None)


def could_overlap(a, b):
    """True when some ticket could match both rules."""
    for dimension in DIMENSIONS:
        accepted_a, accepted_b = a.accepted(dimension), b.accepted(dimension)
        if accepted_a and accepted_b and not accepted_a & accepted_b:
            return False
    return True


def covers(a, b):
    """True when every ticket that matches ``b`` also matches ``a``: on each
    dimension ``a`` constrains, ``b`` accepts only values ``a`` accepts. An
    assurance-only rule covers only itself among assurance-only rules (each
    matches the periods that name it) and no ordinary rule."""
    if a.assurance_only and (not b.assurance_only or a.id != b.id):
        return False
    for dimension, accepted_a in a._constrained:
        accepted_b = b.accepted(dimension)
        if not accepted_b or not accepted_b <= accepted_a:
            return False
    return True


def conflicting_rules(rule, others):
    """The rules of ``others`` with the same precedence as ``rule`` that some
    ticket could match together with it."""
    return [o for o in others if o.rank == rule.rank and could_overlap(rule, o)]


def find_shadowed(rules):
    """Rules that can never govern a ticket: ``{shadowed id: shadowing id}``.
    The shadowing rule takes precedence over the shadowed one and matches
    every ticket it matches; when several do, the first in precedence order
    is named."""
    ordered = order_rules(rules)
    shadowed = {}
    for index, rule in enumerate(ordered):
        for earlier in ordered[:index]:
            if covers(earlier, rule):
                shadowed[rule.id] = earlier.id
                break
    return shadowed
