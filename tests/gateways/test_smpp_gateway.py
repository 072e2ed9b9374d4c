"""The SMPP transport's answers against the SMSC simulator: refused binds
and connections, numbers the SMSC rejects, failed deliveries, throttling,
TLS, a transmitter with a separate receiver, and a password that never
reaches a log."""

import binascii
import logging
import socket
import threading
import time

import pytest

pytest.importorskip("smpplib")

from smpp_helpers import PASSWORD, reassemble, transport

from field_service_sla.gateways import smpp as smpp_gateway
from field_service_sla.gateways.base import (
    DELIVERED,
    FAILED,
    Accepted,
    GatewayDown,
    Refused,
)
from field_service_sla.gateways.base import Outgoing as Out
from field_service_sla.sla_core.sms_segments import plan_text

CHINESE = (
    "【严重故障通报】城东汇聚机房光缆中断，影响十二个小区的语音与数据业务，"
    "抢修队已出发，预计两小时内恢复。工单号：FS-00042，请相关班组关注并及时回复。"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_wrong_password_is_a_refused_bind_without_the_password(smsc):
    gateway = transport(smsc, password="wrong#pw")
    with pytest.raises(GatewayDown) as down:
        gateway.send([Out("a", "+8613900000001", "hello")])
    reason = down.value.reason
    assert "refused the bind_transceiver" in reason
    assert "Bind Failed (ESME_RBINDFAIL 0x0000000D)" in reason
    assert "wrong#pw" not in reason and PASSWORD not in reason
    assert down.value.done == []
    assert smsc.submits() == []


def test_unknown_system_id_is_a_refused_bind(smsc):
    with pytest.raises(GatewayDown, match="ESME_RBINDFAIL"):
        transport(smsc, system_id="intruder").collect_receipts(1)


def test_connection_refused_is_gateway_down():
    class Nowhere:
        port = free_port()

    with pytest.raises(GatewayDown, match="cannot connect to 127.0.0.1") as down:
        transport(Nowhere).send([Out("a", "+8613900000001", "hello")])
    assert "refused" in down.value.reason.lower()


def test_a_number_the_smsc_rejects_is_refused_for_good(smsc):
    result = transport(smsc).send(
        [
            Out("bad", "+8613900000000", "hello"),
            Out("good", "+8613900000001", "hello"),
        ]
    )
    bad, good = result.answers
    assert isinstance(bad, Refused) and bad.permanent
    assert bad.reason == (
        "submit_sm_resp Invalid Destination Address (ESME_RINVDSTADR 0x0000000B)"
    )
    assert isinstance(good, Accepted)


def test_texts_refused_before_any_connection():
    class Nowhere:
        port = free_port()

    # an emoji astride the library's cut at 67 UCS-2 units, a non-number
    unsafe = "中" * 66 + "😀" * 3
    assert not plan_text(unsafe).safe
    result = transport(Nowhere).send(
        [Out("cut", "+8613900000001", unsafe), Out("nan", "call me", "hi")]
    )
    assert [(a.key, a.permanent) for a in result.answers] == [
        ("cut", True),
        ("nan", True),
    ]


def test_undeliverable_number_gets_a_failed_receipt(smsc):
    gateway = transport(smsc)
    result = gateway.send([Out("dead", "+8613900004444", CHINESE)])
    (answer,) = result.answers
    assert isinstance(answer, Accepted) and answer.segments == 2
    receipts = {r.message_id: r for r in result.receipts}
    for _ in range(5):
        if set(answer.message_ids) <= set(receipts):
            break
        receipts.update((r.message_id, r) for r in gateway.collect_receipts(2))
    for message_id in answer.message_ids:
        assert receipts[message_id].state == FAILED
        assert receipts[message_id].reason == "stat:UNDELIV err:001"


def test_throttled_parts_are_sent_again_never_twice(smsc_factory):
    smsc = smsc_factory(rate=40)
    texts = [
        Out(f"t{i}", f"+86139{i:08d}", CHINESE if i % 3 == 0 else f"Digest {i}")
        for i in range(1, 61)
    ]
    parts = sum(plan_text(t.text).segments for t in texts)
    started = time.monotonic()
    result = transport(smsc, rate=400).send(texts)
    elapsed = time.monotonic() - started
    assert all(isinstance(a, Accepted) for a in result.answers), result.answers
    rows = smsc.submits()
    assert len(rows) == parts
    assert reassemble(rows) == {(t.number.lstrip("+"), t.text): 1 for t in texts}
    # the SMSC's limit set the pace, not the transport's
    assert elapsed >= (parts - 4) / 40 * 0.9


def test_throttled_for_too_long_is_refused_for_now(smsc_factory):
    smsc = smsc_factory(rate=0.2)  # one submit_sm every five seconds
    result = transport(smsc, timeout=1).send(
        [Out(f"t{i}", f"+86139{i:08d}", f"Digest {i}") for i in range(1, 4)]
    )
    first, *others = result.answers
    assert isinstance(first, Accepted)
    for answer in others:
        assert isinstance(answer, Refused) and not answer.permanent
        assert "ESME_RTHROTTLED" in answer.reason


def test_transmitter_sends_and_a_receiver_collects(smsc):
    gateway = transport(smsc, bind="transmitter")
    result = gateway.send(
        [Out("a", "+8613900000001", "hello"), Out("b", "+8613900000002", CHINESE)]
    )
    assert result.receipts == []
    ids = {i for a in result.answers for i in a.message_ids}
    assert len(ids) == 3
    time.sleep(0.3)
    receipts = gateway.collect_receipts(3)
    assert {r.message_id for r in receipts} == ids
    assert {r.state for r in receipts} == {DELIVERED}


def test_sessions_at_once(smsc):
    answers = []

    def send(start):
        texts = [
            Out(f"k{i}", f"+86139{i:08d}", f"Digest {i}")
            for i in range(start, start + 20)
        ]
        answers.extend(transport(smsc, rate=100).send(texts).answers)

    threads = [threading.Thread(target=send, args=(s,)) for s in (1, 101, 201)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 60 and all(isinstance(a, Accepted) for a in answers)
    assert len(smsc.submits()) == 60


def test_tls(smsc_factory, tls_files):
    smsc = smsc_factory(tls=tls_files)
    gateway = transport(smsc, tls=True, cafile=tls_files[0])
    result = gateway.send([Out("a", "+8613900000001", CHINESE)])
    assert isinstance(result.answers[0], Accepted)
    assert reassemble(smsc.submits()) == {("8613900000001", CHINESE): 1}
    # a certificate the transport does not trust is not talked to
    with pytest.raises(GatewayDown, match="CERTIFICATE_VERIFY_FAILED"):
        transport(smsc, tls=True).send([Out("b", "+8613900000002", "hi")])
    # unless told not to check it
    unchecked = transport(smsc, tls=True, tls_verify=False)
    assert isinstance(
        unchecked.send([Out("c", "+8613900000003", "hi")]).answers[0], Accepted
    )


def test_the_password_never_reaches_a_log(smsc, caplog):
    """smpplib writes every PDU in hex at DEBUG, the bind with its password:
    even with the root logger and the wire logger at DEBUG, no record holds
    the password, as text or as hex."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger=smpp_gateway.WIRE_LOGGER)
    gateway = transport(smsc)
    gateway.send(
        [Out("a", "+8613900000001", "hello"), Out("b", "+8613900000002", CHINESE)]
    )
    time.sleep(0.3)
    gateway.collect_receipts(2)
    with pytest.raises(GatewayDown):
        transport(smsc, password="wrong#pw").send([Out("c", "+8613900000003", "x")])
    assert caplog.records, "nothing was logged: the test proves nothing"
    secrets = [PASSWORD, "wrong#pw"]
    secrets += [binascii.b2a_hex(s.encode()).decode() for s in secrets]
    for record in caplog.records:
        text = record.getMessage()
        assert not [s for s in secrets if s in text], text
    assert PASSWORD not in repr(gateway)


@pytest.mark.parametrize(
    "option,value",
    [
        ("password", "longer-than-8"),
        ("system_id", "a-system-id-too-long"),
        ("password", "密码"),
        ("bind", "receiver"),
        ("window", 0),
    ],
)
def test_bad_settings_are_refused_at_once(option, value):
    class Anywhere:
        port = 2775

    with pytest.raises(ValueError):
        transport(Anywhere, **{option: value})
