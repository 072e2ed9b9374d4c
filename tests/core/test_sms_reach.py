"""A bulletin's delivery state only moves forward; a final one stays.
No Odoo."""

import pytest
from sla_core.sms_reach import (
    CANCELED,
    DELIVERED,
    FAILED,
    FINAL,
    QUEUED,
    SENT,
    STATES,
    moves_from,
    state_of_status,
)


def apply(state, status):
    new = state_of_status(status)
    return new if new and state in moves_from(new) else state


@pytest.mark.parametrize(
    "status, state",
    [
        ("ready", QUEUED),
        ("process", QUEUED),
        ("pending", SENT),
        ("sent", DELIVERED),
        ("exception", FAILED),
        ("bounce", FAILED),
        ("canceled", CANCELED),
        ("nonsense", None),
    ],
)
def test_each_notification_status_has_its_state(status, state):
    assert state_of_status(status) == state


def test_a_receipt_then_the_gateways_late_answer_stays_delivered():
    state = QUEUED
    for status in ("process", "sent", "pending", "ready"):
        state = apply(state, status)
    assert state == DELIVERED


def test_final_states_stay_whatever_comes_after():
    for final in FINAL:
        for status in ("ready", "process", "pending", "sent", "exception", "canceled"):
            assert apply(final, status) == final


def test_what_the_gateway_took_is_not_canceled():
    assert apply(SENT, "canceled") == SENT
    assert apply(QUEUED, "canceled") == CANCELED


def test_every_state_is_reachable_from_queued():
    reached = {QUEUED}
    for status in ("pending", "sent", "exception", "canceled"):
        reached.add(apply(QUEUED, status))
    assert reached == set(STATES)
