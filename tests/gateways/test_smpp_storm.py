"""A storm's bulletins through the SMPP transport to the SMSC simulator (a
real process on a local port): every text once, in the right alphabet, in
the planned number of parts, at the configured pace; receipts for every
part; and a kill -9 of the SMSC mid-storm loses nothing."""

import threading
import time

import pytest

pytest.importorskip("smpplib")

from smpp_helpers import reassemble, transport

from field_service_sla.gateways.base import (
    DELIVERED,
    Accepted,
    GatewayDown,
)
from field_service_sla.gateways.base import Outgoing as Out
from field_service_sla.sla_core.sms_segments import plan_text

SITES = [
    "城东汇聚机房",
    "高新区核心节点",
    "南湖接入网点",
    "火车站宏基站",
    "开发区传输环",
]
NODES = ["East hub", "Hi-tech core", "South lake", "Railway macro", "Ring 7"]


def bulletin(i):
    """A severe-fault bulletin: Chinese in 2 or 3 parts, or a GSM text in 1
    or 2 (one in seven)."""
    site = SITES[i % len(SITES)]
    if i % 7 == 3:
        text = (
            f"FS-{i:05d} fault at {NODES[i % len(NODES)]} node {i}: fibre cut,"
            " 12 cells down, crew on site, ETA 2h."
        )
        return text + (" Updates follow every 30 min [ref]." * (i % 2) * 3)
    text = (
        f"【严重故障通报】{site}光缆中断，影响{i % 40 + 1}个小区的语音与数据业务。"
        f"抢修队已出发，预计两小时内恢复。工单号：FS-{i:05d}，请相关班组关注。"
    )
    return text + ("后续进展每三十分钟通报一次，请勿回复本短信。" * (i % 3))


def storm(count, start=1):
    return [
        Out(f"sms-{i}", f"+86139{i:08d}", bulletin(i))
        for i in range(start, start + count)
    ]


def receipts_for(gateway, ids, first=(), rounds=10):
    """Receipts until every id in ``ids`` has one (collect_receipts rounds)."""
    got = {r.message_id: r for r in first}
    for _ in range(rounds):
        if ids <= set(got):
            break
        got.update((r.message_id, r) for r in gateway.collect_receipts(3))
    return got


def test_storm_every_text_once_in_its_alphabet_with_receipts(smsc_factory):
    rate = 200
    smsc = smsc_factory(rate=rate)
    texts = storm(300)
    plans = {t.key: plan_text(t.text) for t in texts}
    parts = sum(p.segments for p in plans.values())
    assert {p.encoding for p in plans.values()} == {"gsm7", "ucs2"}
    assert any(p.segments > 2 for p in plans.values())

    gateway = transport(smsc, rate=rate)
    started = time.monotonic()
    result = gateway.send(texts)
    elapsed = time.monotonic() - started

    assert [a.key for a in result.answers] == [t.key for t in texts]
    assert all(isinstance(a, Accepted) for a in result.answers), result.answers
    for answer in result.answers:
        assert answer.segments == plans[answer.key].segments
        assert len(set(answer.message_ids)) == answer.segments
        assert "ESME_ROK" in answer.detail
    rows = smsc.submits()
    assert len(rows) == parts  # no part twice
    held = reassemble(rows)
    assert held == {(t.number.lstrip("+"), t.text): 1 for t in texts}
    coding = {t.number.lstrip("+"): plans[t.key].data_coding for t in texts}
    assert {r["data_coding"] for r in rows if coding[r["destination"]] == 8} == {8}
    assert {r["data_coding"] for r in rows if coding[r["destination"]] == 0} == {0}
    ids = {i for a in result.answers for i in a.message_ids}
    assert ids == {r["message_id"] for r in rows}

    # the pace: what the limit allows (the bucket's first burst of a
    # twentieth of a second aside), plus at most 10 % and a small constant
    floor = (parts - rate / 20) / rate
    print(f"\nstorm: 300 texts, {parts} submit_sm at {rate}/s in {elapsed:.2f} s")
    assert floor * 0.95 <= elapsed <= parts / rate * 1.10 + 0.5

    got = receipts_for(gateway, ids, result.receipts)
    print(f"receipts: {len(result.receipts)} while sending, {len(got)} in all")
    assert ids <= set(got)
    assert {got[i].state for i in ids} == {DELIVERED}


def test_kill_9_mid_storm_nothing_lost_nothing_acknowledged_twice(smsc_factory):
    smsc = smsc_factory(rate=0)
    texts = storm(300, start=1001)
    parts = sum(plan_text(t.text).segments for t in texts)
    gateway = transport(smsc, rate=200, window=10)
    outcome = {}

    def run():
        try:
            outcome["result"] = gateway.send(texts)
        except GatewayDown as down:
            outcome["down"] = down

    sender = threading.Thread(target=run)
    sender.start()
    deadline = time.monotonic() + 30
    while len(smsc.submits()) < parts // 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    smsc.kill()
    sender.join(30)
    assert "down" in outcome, "the storm ended before the kill"
    down = outcome["down"]
    assert "dropped the connection" in down.reason
    done = {a.key: a for a in down.done}
    assert done and all(isinstance(a, Accepted) for a in done.values())
    held_at_kill = reassemble(smsc.submits())
    for text in texts:
        if text.key in done:
            assert held_at_kill[(text.number.lstrip("+"), text.text)] == 1

    smsc.start()  # same state, same port
    rest = [t for t in texts if t.key not in done]
    again = gateway.send(rest)
    assert all(isinstance(a, Accepted) for a in again.answers)

    held = reassemble(smsc.submits())
    twice = {key for key, times in held.items() if times > 1}
    assert all(held.get((t.number.lstrip("+"), t.text)) for t in texts)  # none lost
    assert not {(t.number.lstrip("+"), t.text) for t in texts if t.key in done} & twice
    # SMPP has no idempotency key: a part whose submit_sm_resp died with
    # the SMSC is sent again; at most a window of them
    assert len(twice) <= gateway.window
    # and the parts of a text acknowledged in part are sent again with it
    extra = len(smsc.submits()) - parts
    assert extra <= gateway.window * max(plan_text(t.text).segments for t in texts)
    print(
        f"\nkill -9 after {len(done)} of 300 texts acknowledged; "
        f"{len(rest)} sent again; texts held twice: {len(twice)}; "
        f"parts held twice: {extra}"
    )

    ids = {i for a in list(done.values()) + again.answers for i in a.message_ids}
    got = receipts_for(gateway, ids, down.receipts + again.receipts)
    assert ids <= set(got)
