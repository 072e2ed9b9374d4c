"""What survives a crash: the SMSC dies between two parts of a text, or
with receipts still to send, or a client leaves a receipt unanswered."""

import time

import pytest

pytest.importorskip("smpplib")

from smpp_helpers import PASSWORD, SYSTEM_ID, reassemble, transport
from smpplib import client as smpp_client
from smpplib import consts, smpp

from field_service_sla.gateways.base import DELIVERED, Accepted, GatewayDown
from field_service_sla.gateways.base import Outgoing as Out

BULLETIN = (
    "【严重故障通报】{}号基站光缆中断，影响十二个小区的语音与数据业务，"
    "抢修队已出发，预计两小时内恢复。请相关班组关注并及时回复，后续进展另行通报。"
)


def two_part_texts(count):
    return [
        Out(f"b{i}", f"+86139{i:08d}", BULLETIN.format(i)) for i in range(1, count + 1)
    ]


def test_crash_between_the_parts_of_a_text(smsc_factory):
    """One part in flight at a time: the SMSC dies when the second part of
    the third text comes, before recording it. The first two texts are done;
    the third, half acknowledged, is not: sent again whole, it is held once
    (its first part twice), and nothing else is held twice."""
    smsc = smsc_factory(crash_after=5)
    texts = two_part_texts(5)
    gateway = transport(smsc, window=1)
    with pytest.raises(GatewayDown) as down:
        gateway.send(texts)
    done = down.value.done
    assert [a.key for a in done] == ["b1", "b2"]
    assert all(isinstance(a, Accepted) and a.segments == 2 for a in done)
    rows = smsc.submits()
    assert len(rows) == 5

    smsc.options["crash_after"] = 0
    smsc.start()
    again = gateway.send(texts[2:])
    assert [a.key for a in again.answers] == ["b3", "b4", "b5"]
    assert all(isinstance(a, Accepted) for a in again.answers)
    rows = smsc.submits()
    assert len(rows) == 11  # 10 parts, and the first of b3 again
    assert reassemble(rows) == {(t.number.lstrip("+"), t.text): 1 for t in texts}


def test_receipts_outlive_a_kill_9(smsc_factory):
    smsc = smsc_factory(receipt_delay=1.0)
    gateway = transport(smsc, bind="transmitter")
    result = gateway.send(two_part_texts(3) + [Out("d", "+8613900004444", "hi")])
    ids = {i for a in result.answers for i in a.message_ids}
    assert len(ids) == 7
    smsc.kill()  # before any receipt was due
    smsc.start()
    time.sleep(1.0)
    receipts = {r.message_id: r for r in gateway.collect_receipts(5)}
    assert set(receipts) == ids
    dead = result.answers[-1].message_ids[0]
    assert receipts.pop(dead).reason == "stat:UNDELIV err:001"
    assert {r.state for r in receipts.values()} == {DELIVERED}


def test_an_unanswered_receipt_is_sent_again(smsc_factory):
    smsc = smsc_factory(receipt_delay=0, receipt_resend=0.5)
    (answer,) = (
        transport(smsc, bind="transmitter")
        .send([Out("a", "+8613900000001", "hi")])
        .answers
    )
    (message_id,) = answer.message_ids

    client = smpp_client.Client(
        "127.0.0.1", smsc.port, timeout=5, allow_unknown_opt_params=True
    )
    client.connect()
    try:
        client.bind_receiver(system_id=SYSTEM_ID, password=PASSWORD)
        first = client.read_pdu()  # not answered
        second = client.read_pdu()  # so sent again
        assert first.command == second.command == "deliver_sm"
        assert first.receipted_message_id == second.receipted_message_id
        assert first.receipted_message_id.decode() == message_id
        assert second.esm_class == 0x04
        assert second.message_state == consts.SMPP_MESSAGE_STATE_DELIVERED
    finally:
        client.state = consts.SMPP_CLIENT_STATE_OPEN
        client.disconnect()


def test_the_simulator_answers_enquire_link_and_unknown_commands(smsc):
    client = smpp_client.Client(
        "127.0.0.1", smsc.port, timeout=5, allow_unknown_opt_params=True
    )
    client.connect()
    try:
        client.bind_transceiver(system_id=SYSTEM_ID, password=PASSWORD)
        link = smpp.make_pdu("enquire_link", client=client)
        client.send_pdu(link)
        answer = client.read_pdu()
        assert (answer.command, answer.sequence) == ("enquire_link_resp", link.sequence)
        # query_sm: a command the simulator does not serve
        query = smpp.make_pdu("query_sm", client=client, message_id="x")
        client.send_pdu(query)
        answer = client.read_pdu()
        assert (answer.command, answer.status) == (
            "generic_nack",
            consts.SMPP_ESME_RINVCMDID,
        )
        assert client.unbind().command == "unbind_resp"
    finally:
        client.state = consts.SMPP_CLIENT_STATE_OPEN
        client.disconnect()
