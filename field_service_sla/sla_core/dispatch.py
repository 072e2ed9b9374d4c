"""Automatic dispatch (自动派单): which crew covers a fault's area, which of
its workers goes, and why nobody does when nobody can.

An area (包区: a territory) names the team covering it: the operator's own
crew (自维) or a contractor's (代维). Within the team the order goes to an
active worker who has the skill the service needs, the one with the fewest
open orders (ties: the lowest id, so that a run is repeatable); each order
given in a run counts for the next one, so one run of a thousand orders
spreads them as a thousand runs of one would. An order that cannot be
dispatched goes to the dispatcher's queue with the first reason found.

Pure Python: the models read the areas, workers, skills and loads once for
a whole batch and give them here as plain values."""

from dataclasses import dataclass, field

# why an order went to the dispatcher's queue
NO_AREA = "no_area"  # neither the line, the customer nor the site has an area
NO_TEAM = "no_team"  # the area names no covering team
NO_WORKER = "no_worker"  # the covering team has no active worker
NO_SKILL = "no_skill"  # no active worker of the team has the needed skill
NO_LOCATION = "no_location"  # the ticket has no site: no order can be made
REASONS = (NO_AREA, NO_TEAM, NO_WORKER, NO_SKILL, NO_LOCATION)


@dataclass(frozen=True)
class Worker:
    """An active field worker: its id, its team and the ids of its skills."""

    id: int
    team_id: int
    skill_ids: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Request:
    """One order to dispatch: a key the caller knows it by, the area that
    applies (the line's, else the customer's, else the site's) and the skill
    the service needs (None: any worker)."""

    key: object
    area_id: int | None
    skill_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """Where an order goes: its team and worker, or the reason it is queued
    (then ``worker_id`` is None; ``team_id`` is the covering team if there is
    one)."""

    key: object
    area_id: int | None
    team_id: int | None
    worker_id: int | None
    reason: str | None

    @property
    def dispatched(self):
        return self.worker_id is not None


def covering_team(area_id, team_of_area):
    """``(team id, None)`` of the team covering ``area_id``, or ``(None,
    reason)``: no area, or an area without a team."""
    if not area_id:
        return None, NO_AREA
    team = team_of_area.get(area_id)
    if not team:
        return None, NO_TEAM
    return team, None


def choose_worker(workers, skill_id, loads):
    """``(worker, None)``: the worker of ``workers`` (one team's active
    workers) who has ``skill_id`` (any, when None) and the fewest open orders
    in ``loads`` ({worker id: count}), the lowest id on a tie; or ``(None,
    reason)``."""
    if not workers:
        return None, NO_WORKER
    able = [w for w in workers if skill_id is None or skill_id in w.skill_ids]
    if not able:
        return None, NO_SKILL
    return min(able, key=lambda w: (loads.get(w.id, 0), w.id)), None


def dispatch(requests, team_of_area, workers, loads=None):
    """One decision per request, in their order.

    ``team_of_area``: {area id: covering team id}; ``workers``: the active
    workers (``Worker``) of every team concerned; ``loads``: {worker id: open
    orders} before the run (missing: none). The loads given are not changed;
    each dispatched order adds one to its worker's load for the next
    requests."""
    by_team = {}
    for worker in workers:
        by_team.setdefault(worker.team_id, []).append(worker)
    loads = dict(loads or {})
    decisions = []
    for request in requests:
        team, reason = covering_team(request.area_id, team_of_area)
        worker = None
        if team:
            worker, reason = choose_worker(
                by_team.get(team, ()), request.skill_id, loads
            )
        if worker:
            loads[worker.id] = loads.get(worker.id, 0) + 1
        decisions.append(
            Decision(
                key=request.key,
                area_id=request.area_id or None,
                team_id=team,
                worker_id=worker.id if worker else None,
                reason=reason,
            )
        )
    return decisions


def success_rate(modes):
    """The automatic-dispatch success rate (自动派单成功率), in percent: the
    share of dispatched orders (``modes``: "auto", "queue" or "manual", one
    per order; others are not counted) that the service dispatched without a
    dispatcher. None when there is none."""
    counted = [m for m in modes if m in ("auto", "queue", "manual")]
    if not counted:
        return None
    return 100.0 * sum(1 for m in counted if m == "auto") / len(counted)
