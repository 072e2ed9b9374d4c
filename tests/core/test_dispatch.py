"""Automatic dispatch: the covering team, the skilled worker with the fewest
open orders, the reason an order is queued."""

from hypothesis import given
from hypothesis import strategies as st
from sla_core.dispatch import (
    NO_AREA,
    NO_SKILL,
    NO_TEAM,
    NO_WORKER,
    Request,
    Worker,
    choose_worker,
    covering_team,
    dispatch,
    success_rate,
)

FIBRE, VOICE = 1, 2
OWN, CONTRACTOR, EMPTY = 10, 20, 30
YUZHONG, LIANGPING, WANZHOU, SHAPINGBA = 100, 200, 300, 400
TEAMS = {YUZHONG: OWN, LIANGPING: CONTRACTOR, SHAPINGBA: EMPTY}
WORKERS = [
    Worker(1, OWN, frozenset({FIBRE, VOICE})),
    Worker(2, OWN, frozenset({FIBRE})),
    Worker(3, CONTRACTOR, frozenset({VOICE})),
]


def test_covering_team_and_its_reasons():
    assert covering_team(YUZHONG, TEAMS) == (OWN, None)
    assert covering_team(None, TEAMS) == (None, NO_AREA)
    assert covering_team(WANZHOU, TEAMS) == (None, NO_TEAM)


def test_worker_with_the_skill_and_the_lowest_load():
    own = WORKERS[:2]
    assert choose_worker(own, FIBRE, {1: 3, 2: 1})[0].id == 2
    assert choose_worker(own, FIBRE, {1: 1, 2: 1})[0].id == 1  # tie: lowest id
    assert choose_worker(own, VOICE, {1: 9, 2: 0})[0].id == 1  # only 1 has it
    assert choose_worker(own, None, {1: 0, 2: 5})[0].id == 1  # any skill
    assert choose_worker(own, 99, {}) == (None, NO_SKILL)
    assert choose_worker([], FIBRE, {}) == (None, NO_WORKER)


def test_dispatch_spreads_a_batch_and_queues_with_reasons():
    requests = [Request(k, YUZHONG, FIBRE) for k in range(4)] + [
        Request("voice", LIANGPING, VOICE),
        Request("fibre", LIANGPING, FIBRE),
        Request("nowhere", None, FIBRE),
        Request("uncovered", WANZHOU, FIBRE),
        Request("empty", SHAPINGBA, None),
    ]
    loads = {1: 1}
    decisions = {d.key: d for d in dispatch(requests, TEAMS, WORKERS, loads)}
    # worker 2 starts lighter, then they alternate
    assert [decisions[k].worker_id for k in range(4)] == [2, 1, 2, 1]
    assert loads == {1: 1}  # the caller's loads are left alone
    assert decisions["voice"].worker_id == 3
    assert decisions["voice"].team_id == CONTRACTOR
    assert (decisions["fibre"].team_id, decisions["fibre"].reason) == (
        CONTRACTOR,
        NO_SKILL,
    )
    assert decisions["nowhere"].reason == NO_AREA
    assert decisions["nowhere"].team_id is None
    assert decisions["uncovered"].reason == NO_TEAM
    assert decisions["empty"].reason == NO_WORKER
    assert not decisions["empty"].dispatched
    assert all(decisions[k].dispatched and not decisions[k].reason for k in range(4))


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=8),
       st.integers(min_value=1, max_value=40))  # fmt: skip
def test_a_batch_balances_as_one_by_one(start_loads, count):
    """One run of N orders leaves the loads as N runs of one would, and no
    worker ends more than one order above another unless it started so."""
    workers = [Worker(i + 1, OWN, frozenset({FIBRE})) for i in range(len(start_loads))]
    loads = {w.id: n for w, n in zip(workers, start_loads, strict=True)}
    batch = dispatch([Request(k, YUZHONG, FIBRE) for k in range(count)], TEAMS, workers, loads)
    one_by_one = dict(loads)
    for k in range(count):
        (decision,) = dispatch([Request(k, YUZHONG, FIBRE)], TEAMS, workers, one_by_one)
        one_by_one[decision.worker_id] += 1
    after = dict(loads)
    for decision in batch:
        after[decision.worker_id] += 1
    assert after == one_by_one
    assert max(after.values()) - min(after.values()) <= max(
        1, max(start_loads) - min(start_loads)
    )


def test_success_rate():
    assert success_rate(["auto", "auto", "queue", "manual"]) == 50.0
    assert success_rate(["auto", False, None]) == 100.0
    assert success_rate([False]) is None
