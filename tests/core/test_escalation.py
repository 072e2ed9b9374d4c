"""Escalation ladders: which steps are due, when to look again, bulletins,
title tags, digests and SMS numbers. No Odoo."""

from datetime import datetime, timedelta

import pytest
from sla_core.escalation import (
    AFTER_BREACH,
    AFTER_START,
    AT_BREACH,
    BEFORE_DEADLINE,
    CLOSE,
    CLOSED,
    CUSTOM,
    MANUAL,
    PROGRESS,
    REACHED,
    REPEAT,
    SEVERITY,
    START,
    LadderSpec,
    Milestone,
    StepSpec,
    TicketFacts,
    bulletin,
    digest_sms,
    evaluate,
    group_digests,
    ladder_applies,
    normalize_mobile,
    step_errors,
    strip_tags,
    tagged_title,
    title_tag,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, 1, 0)  # 09:00 in Shanghai
ACT = frozenset({"note"})
SEVERE = 2


def step(id_, trigger, **kw):
    kw.setdefault("actions", ACT)
    return StepSpec(id_, trigger, **kw)


def restored(start=T0, target=4 * H, reached=None, deadline=None):
    return Milestone(
        start=start,
        deadline=deadline or (start + target if start else None),
        target=target,
        reached=reached,
    )


def facts(**kw):
    kw.setdefault("milestones", {"restored": restored()})
    return TicketFacts(**kw)


def run(ladders, ticket, now, fired=None):
    result = evaluate(ladders, ticket, fired or {}, now)
    return result.due, result.next_check


# ----------------------------------------------------------------------------
# time triggers
# ----------------------------------------------------------------------------
def test_before_deadline_in_minutes_and_percent():
    ladder = LadderSpec(
        1,
        (
            step(1, BEFORE_DEADLINE, milestone="restored", offset_minutes=30),
            step(2, BEFORE_DEADLINE, milestone="restored", offset_percent=25),
        ),
    )
    ticket = facts()
    assert run([ladder], ticket, T0) == ([], T0 + 3 * H)
    assert run([ladder], ticket, T0 + 3 * H) == ([(2, 0)], T0 + 3 * H + 30 * M)
    due, following = run([ladder], ticket, T0 + 3 * H + 30 * M, {(2, 0): T0 + 3 * H})
    assert (due, following) == ([(1, 0)], None)


def test_at_and_after_breach():
    ladder = LadderSpec(
        1,
        (
            step(1, AT_BREACH, milestone="restored"),
            step(2, AFTER_BREACH, milestone="restored", offset_minutes=60),
        ),
    )
    assert run([ladder], facts(), T0 + H) == ([], T0 + 4 * H)
    assert run([ladder], facts(), T0 + 4 * H) == ([(1, 0)], T0 + 5 * H)
    # a sweep that comes late fires both, in ladder order
    assert run([ladder], facts(), T0 + 6 * H) == ([(1, 0), (2, 0)], None)


def test_after_start_counts_working_time_so_pauses_move_it():
    """8 h unrestored: 8 h of the clock, the customer's waits excluded."""
    ladder = LadderSpec(
        1, (step(1, AFTER_START, milestone="restored", offset_minutes=480),)
    )
    plain = facts(milestones={"restored": restored(target=24 * H)})
    assert run([ladder], plain, T0) == ([], T0 + 8 * H)
    # a 2 h pause pushed the deadline by 2 h: the step moves with it
    paused = facts(
        milestones={"restored": restored(target=24 * H, deadline=T0 + 26 * H)}
    )
    assert run([ladder], paused, T0) == ([], T0 + 10 * H)
    # percent of the target
    half = LadderSpec(
        1, (step(1, AFTER_START, milestone="restored", offset_percent=50),)
    )
    assert run([half], plain, T0) == ([], T0 + 12 * H)


def test_time_triggers_stop_when_reached_paused_closed_or_without_clock():
    ladder = LadderSpec(1, (step(1, AT_BREACH, milestone="restored"),))
    later = T0 + 5 * H
    assert run(
        [ladder], facts(milestones={"restored": restored(reached=T0 + H)}), later
    ) == ([], None)
    paused = Milestone(start=T0, deadline=None, target=4 * H)
    assert run([ladder], facts(milestones={"restored": paused}), later) == ([], None)
    assert run([ladder], facts(closed_at=T0 + H), later) == ([], None)
    assert run([ladder], facts(milestones={}), later) == ([], None)


def test_a_clock_that_starts_at_closing_keeps_its_triggers_after_closing():
    report = Milestone(start=T0, deadline=T0 + 48 * H, target=48 * H, after_close=True)
    ladder = LadderSpec(
        1, (step(1, BEFORE_DEADLINE, milestone="report", offset_minutes=120),)
    )
    ticket = facts(milestones={"report": report}, closed_at=T0)
    assert run([ladder], ticket, T0) == ([], T0 + 46 * H)


# ----------------------------------------------------------------------------
# repetitions
# ----------------------------------------------------------------------------
def bulletins():
    return LadderSpec(
        7,
        (
            step(71, SEVERITY, severity=SEVERE),
            step(72, REPEAT, milestone="restored", repeat_minutes=120),
            step(73, REACHED, milestone="restored"),
        ),
        min_severity=SEVERE,
    )


def test_progress_every_two_hours_from_the_start_bulletin_until_restored():
    ladder = bulletins()
    ticket = facts(severity=SEVERE)
    # the start bulletin fires; the progress count starts from it
    assert run([ladder], ticket, T0) == ([(71, 0)], T0 + 2 * H)
    fired = {(71, 0): T0}
    assert run([ladder], ticket, T0 + H, fired) == ([], T0 + 2 * H)
    assert run([ladder], ticket, T0 + 2 * H, fired) == ([(72, 1)], T0 + 4 * H)
    fired[(72, 1)] = T0 + 2 * H
    assert run([ladder], ticket, T0 + 2 * H, fired) == ([], T0 + 4 * H)
    # restored at 4:10: the close bulletin, no more progress
    done = facts(
        severity=SEVERE, milestones={"restored": restored(reached=T0 + 4 * H + 10 * M)}
    )
    assert run([ladder], done, T0 + 4 * H + 10 * M, fired) == ([(73, 0)], None)


def test_a_late_sweep_fires_the_latest_repetition_only():
    ladder = bulletins()
    ticket = facts(severity=SEVERE, milestones={"restored": restored(target=24 * H)})
    fired = {(71, 0): T0}
    assert run([ladder], ticket, T0 + 7 * H, fired) == ([(72, 3)], T0 + 8 * H)


def test_max_repeats_and_repeats_without_milestone():
    ladder = LadderSpec(
        1,
        (
            step(1, AFTER_START, milestone="restored"),
            step(2, REPEAT, repeat_minutes=60, max_repeats=2),
        ),
    )
    fired = {(1, 0): T0}
    assert run([ladder], facts(), T0 + H, fired) == ([(2, 1)], T0 + 2 * H)
    fired[(2, 1)] = T0 + H
    assert run([ladder], facts(), T0 + 2 * H, fired) == ([(2, 2)], None)
    fired[(2, 2)] = T0 + 2 * H
    assert run([ladder], facts(), T0 + 9 * H, fired) == ([], None)
    # a repeat without milestone stops when the ticket closes
    assert run([ladder], facts(closed_at=T0), T0 + H, {(1, 0): T0}) == ([], None)


def test_a_ladder_of_repetitions_only_counts_from_the_milestone_start():
    ladder = LadderSpec(1, (step(1, REPEAT, milestone="restored", repeat_minutes=90),))
    assert run([ladder], facts(), T0 + H) == ([], T0 + 90 * M)


def test_repetition_waits_for_its_ladder_to_start():
    ladder = bulletins()
    assert run([ladder], facts(severity=SEVERE - 1), T0 + 5 * H) == ([], None)


# ----------------------------------------------------------------------------
# events
# ----------------------------------------------------------------------------
def test_severity_threshold_fires_once():
    ladder = LadderSpec(1, (step(1, SEVERITY, severity=1),))
    assert run([ladder], facts(severity=0), T0) == ([], None)
    assert run([ladder], facts(severity=2), T0) == ([(1, 0)], None)
    assert run([ladder], facts(severity=2), T0, {(1, 0): T0}) == ([], None)


def test_closed_and_manual_and_active_since():
    ladder = LadderSpec(
        1,
        (
            step(1, CLOSED, active_since=T0),
            step(2, MANUAL),
        ),
    )
    assert run([ladder], facts(closed_at=T0 + H), T0 + H) == ([(1, 0)], None)
    # closed before the step existed: not its event
    assert run([ladder], facts(closed_at=T0 - H), T0 + H) == ([], None)
    assert run([ladder], facts(requested_at=T0), T0) == ([(2, 0)], None)


def test_reached_trigger():
    ladder = LadderSpec(1, (step(1, REACHED, milestone="restored"),))
    assert run([ladder], facts(), T0) == ([], None)
    done = facts(milestones={"restored": restored(reached=T0 + H)})
    assert run([ladder], done, T0 + H) == ([(1, 0)], None)


# ----------------------------------------------------------------------------
# attachment and reclassification
# ----------------------------------------------------------------------------
def test_ladder_conditions():
    base = facts(
        company_id=1, policy_id=5, severity=1, tier_id=3, level_id=4, cross_city=True
    )
    assert ladder_applies(LadderSpec(1), base)
    assert not ladder_applies(LadderSpec(1, company_id=2), base)
    assert ladder_applies(LadderSpec(1, policy_ids=frozenset({5, 6})), base)
    assert not ladder_applies(LadderSpec(1, policy_ids=frozenset({6})), base)
    assert ladder_applies(LadderSpec(1, min_severity=1), base)
    assert not ladder_applies(LadderSpec(1, min_severity=2), base)
    assert not ladder_applies(LadderSpec(1, tier_ids=frozenset({9})), base)
    assert not ladder_applies(LadderSpec(1, level_ids=frozenset({9})), base)
    assert ladder_applies(LadderSpec(1, cross_city=True), base)
    assert not ladder_applies(LadderSpec(1, cross_province=True), base)
    escalated = facts(escalated=True)
    assert not ladder_applies(LadderSpec(1, city_level_only=True), escalated)


def test_reclassified_ticket_keeps_what_fired_and_continues_on_the_new_ladder():
    aa = LadderSpec(
        1,
        (
            step(11, AFTER_START, milestone="restored"),
            step(12, BEFORE_DEADLINE, milestone="restored", offset_minutes=60),
        ),
        level_ids=frozenset({20}),
    )
    aaa = LadderSpec(
        2,
        (
            step(21, AFTER_START, milestone="restored"),
            step(22, AT_BREACH, milestone="restored"),
        ),
        level_ids=frozenset({10}),
    )
    fired = {(11, 0): T0, (12, 0): T0 + 3 * H}
    ticket = facts(level_id=10)  # now AAA
    due, following = run([aa, aaa], ticket, T0 + 3 * H + M, fired)
    assert due == [(21, 0)]  # the new ladder catches up, the old one is silent
    assert following == T0 + 4 * H
    back = facts(level_id=20)
    assert run([aa, aaa], back, T0 + 3 * H + M, fired) == ([], None)


# ----------------------------------------------------------------------------
# configuration errors
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "error"),
    [
        (StepSpec(1, MANUAL), "no_action"),
        (step(1, REPEAT, milestone="restored", repeat_minutes=0), "repeat_zero"),
        (step(1, REPEAT, repeat_minutes=60), "cycle"),
        (step(1, AT_BREACH), "no_milestone"),
        (step(1, SEVERITY), "no_severity"),
        (
            step(1, AT_BREACH, milestone="restored", offset_percent=10),
            "percent_not_allowed",
        ),
        (
            step(1, BEFORE_DEADLINE, milestone="restored", offset_percent=150),
            "percent_range",
        ),
        (
            step(1, AFTER_BREACH, milestone="restored", offset_minutes=-5),
            "negative_offset",
        ),
    ],
)
def test_step_errors(spec, error):
    assert error in step_errors(spec)


def test_a_good_step_has_no_error():
    assert step_errors(step(1, REPEAT, milestone="restored", repeat_minutes=120)) == []
    assert step_errors(step(1, REPEAT, repeat_minutes=120, max_repeats=3)) == []


# ----------------------------------------------------------------------------
# bulletins, tags, digests, numbers
# ----------------------------------------------------------------------------
def test_start_bulletin_in_the_operators_format_in_local_time():
    text = bulletin(
        START,
        "Gold Water Group",
        "【集团客户严重故障】Internet line down",
        fault_at=T0,
        now=T0 + 30 * M,
        tz="Asia/Shanghai",
        what="专线中断，客户全部站点无法上网",
    )
    assert text == (
        "【新|影响业务|严重故障|Gold Water Group Internet line down】"
        "2026/03/02 09:00,专线中断，客户全部站点无法上网"
    )


def test_progress_close_and_custom_bulletins():
    args = ("Gold", "Line down", T0)
    progress = bulletin(PROGRESS, *args, now=T0 + 2 * H, tz="Asia/Shanghai")
    assert (
        progress == "【续|影响业务|严重故障|Gold Line down】2026/03/02 11:00,"
        "故障已持续2小时0分，尚未恢复"
    )
    close = bulletin(
        CLOSE,
        *args,
        now=T0 + 5 * H,
        tz="Asia/Shanghai",
        restored_at=T0 + 4 * H + 10 * M,
    )
    assert (
        close == "【结|影响业务|严重故障|Gold Line down】2026/03/02 13:10,"
        "业务已恢复，历时4小时10分"
    )
    custom = bulletin(
        CUSTOM,
        *args,
        now=T0 + H,
        tz="Asia/Shanghai",
        text="{customer}:{duration} {{ok}}",
    )
    assert custom == "Gold:1小时0分 {ok}"


def test_digest_sms_names_the_first_tickets_and_counts_all():
    entries = [(f"Customer {n}", f"Line {n} down") for n in range(300)]
    text = digest_sms(START, entries, T0, "Asia/Shanghai")
    assert text.startswith(
        "【严重故障|共300张工单】2026/03/02 09:00,Customer 0 Line 0 down；"
    )
    assert "Customer 9 " in text and "Customer 10 " not in text
    assert text.endswith("等300张工单")


def test_title_tags_replace_each_other():
    assert title_tag(False, False) == "【集团客户一般故障】"
    assert title_tag(True, True) == "【绿色通道严重故障】"
    general = tagged_title("Line down", title_tag(False, False))
    severe = tagged_title(general, title_tag(False, True))
    assert severe == "【集团客户严重故障】Line down"
    assert strip_tags(severe) == "Line down"


def test_group_digests_by_recipient_and_channel():
    groups = group_digests(
        [
            ("+8613800000001", "sms", 1, "a"),
            ("+8613800000001", "sms", 2, "b"),
            ("+8613800000001", "mail", 1, "c"),
            ("+8613800000002", "sms", 1, "a"),
        ]
    )
    assert groups[("+8613800000001", "sms")] == [(1, "a"), (2, "b")]
    assert len(groups) == 3


@pytest.mark.parametrize(
    ("number", "normalized"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("+12025550123", "+12025550123"),
        ("12800138000", None),
        ("1380013800", None),
        ("+8602112345678", None),
        ("010-12345678", None),
        ("call me", None),
        ("", None),
    ],
)
def test_normalize_mobile(number, normalized):
    assert normalize_mobile(number) == normalized
