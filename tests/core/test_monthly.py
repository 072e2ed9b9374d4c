"""The monthly customer-response figures (reports_core.monthly), with the
SLA core's fault and repeat-fault rates given as ``rates``."""

from datetime import date, datetime

import pytest
from reports_core.monthly import (
    BadMonth,
    GroupFigures,
    MilestoneCounts,
    Month,
    MonthlyFigures,
)
from sla_core import BadRateInput, visits


def test_on_time_rate_leaves_open_clocks_out_and_is_empty_without_any():
    counts = MilestoneCounts(on_time=3, missed=1, open=10)
    assert counts.assessed == 4
    assert counts.on_time_rate == 0.75
    assert MilestoneCounts(open=5).on_time_rate is None


def test_mean_restore_time_is_over_restored_tickets_only():
    group = GroupFigures("x", tickets=5, restored=2, restore_hours=7.0, rates=visits)
    assert group.mean_restore_hours == 3.5
    assert GroupFigures("x", tickets=5, rates=visits).mean_restore_hours is None


def test_fault_rate_needs_lines_and_follows_the_addon_definition():
    group = GroupFigures("x", faults=6, repeats=2, lines=4, rates=visits)
    assert group.fault_rate == 1.5
    assert group.repeat_rate == pytest.approx(1 / 3)
    # a team has no lines of its own: no fault rate, a repeat rate still
    team = GroupFigures("team", faults=6, repeats=3, rates=visits)
    assert team.fault_rate is None
    assert team.repeat_rate == 0.5
    assert GroupFigures("x", lines=3, rates=visits).repeat_rate is None
    with pytest.raises(BadRateInput):
        GroupFigures("x", faults=1, lines=0, rates=visits).fault_rate  # noqa: B018


def test_figures_fill_from_grouped_rows():
    figures = MonthlyFigures(Month(2026, 5), rates=visits)
    ticket_figures = {
        "tickets": 3,
        "restored": 2,
        "restore_hours": 5.0,
        "faults": 3,
        "repeats": 1,
    }
    figures.add_tickets("tier", 7, **ticket_figures)
    figures.add_tickets("total", None, **ticket_figures)
    figures.add_milestones(
        "tier", 7, "contact", on_time=2, missed=1, open=0, breaches=1
    )
    figures.add_milestones(
        "tier", 7, "restored", on_time=1, missed=0, open=2, breaches=0
    )
    figures.set_lines("tier", 7, 2)
    [tier] = figures.rows("tier")
    assert tier.key == 7
    assert tier.counts("contact").on_time_rate == pytest.approx(2 / 3)
    assert tier.all_milestones == MilestoneCounts(3, 1, 2)
    assert tier.fault_rate == 1.5
    assert tier.breaches == 1
    assert figures.totals.tickets == 3
    figures.add_milestones(
        "total", None, "restored", on_time=1, missed=0, open=2, breaches=0
    )
    assert figures.kinds(["contact", "on_site", "restored"]) == ["restored"]


def test_month_bounds_and_neighbours():
    assert Month(2026, 12).bounds() == (datetime(2026, 12, 1), datetime(2027, 1, 1))
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert [str(m) for m in Month(2026, 2).last(3)] == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert len(Month(2026, 5).last(12)) == 12


def test_a_future_month_is_refused_the_current_one_is_not():
    today = date(2026, 5, 31)
    Month(2026, 5).check_not_future(today)
    Month(2025, 12).check_not_future(today)
    with pytest.raises(BadMonth):
        Month(2026, 6).check_not_future(today)
    with pytest.raises(BadMonth):
        Month(2027, 1).check_not_future(today)


@pytest.mark.parametrize("year, month", [(2026, 0), (2026, 13), (0, 5)])
def test_an_impossible_month_is_refused(year, month):
    with pytest.raises(BadMonth):
        Month(year, month)
