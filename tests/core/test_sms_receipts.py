"""SMPP delivery receipts read without Odoo or the SMPP library."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core import sms_receipts as core
from sla_core.sms_receipts import (
    DELIVERED,
    FAILED,
    PENDING,
    NotAReceipt,
    format_smpp_receipt,
    parse_smpp_receipt,
)

APPENDIX_B = (
    "id:0123456789 sub:001 dlvrd:001 submit date:2612070650 "
    "done date:2612070651 stat:DELIVRD err:000 text:Hello world, a bulletin"
)


def test_appendix_b_receipt():
    receipt = parse_smpp_receipt(APPENDIX_B)
    assert receipt.message_id == "0123456789"
    assert receipt.stat == "DELIVRD"
    assert receipt.err == "000"
    assert receipt.submit_date == "2612070650"
    assert receipt.done_date == "2612070651"
    assert receipt.text == "Hello world, a bulletin"
    assert receipt.state == DELIVERED
    assert receipt.reason == "stat:DELIVRD err:000"


def test_bytes_with_a_trailing_nul_are_read():
    receipt = parse_smpp_receipt(APPENDIX_B.encode() + b"\x00")
    assert receipt.message_id == "0123456789"
    assert receipt.text == "Hello world, a bulletin"


def test_undeliverable_is_failed_with_the_gateways_words():
    text = format_smpp_receipt("abc", "UNDELIV", "001")
    receipt = parse_smpp_receipt(text)
    assert receipt.state == FAILED
    assert receipt.reason == "stat:UNDELIV err:001"


@pytest.mark.parametrize(
    "stat,state",
    [
        ("DELIVRD", DELIVERED),
        ("UNDELIV", FAILED),
        ("REJECTD", FAILED),
        ("EXPIRED", FAILED),
        ("DELETED", FAILED),
        ("UNKNOWN", FAILED),
        ("ENROUTE", PENDING),
        ("ACCEPTD", PENDING),
        ("WHATEVR", FAILED),
    ],
)
def test_every_stat_word(stat, state):
    assert parse_smpp_receipt(format_smpp_receipt("m1", stat)).state == state


def test_the_tlvs_win_over_the_text():
    # the text says a decimal id and DELIVRD; the TLVs say the hex id the
    # submit_sm_resp gave and "undeliverable" (5)
    receipt = parse_smpp_receipt(
        APPENDIX_B, receipted_message_id=b"75bcd15", message_state=5
    )
    assert receipt.message_id == "75bcd15"
    assert receipt.stat == "UNDELIV"
    assert receipt.state == FAILED


def test_tlvs_alone_make_a_receipt():
    receipt = parse_smpp_receipt("", receipted_message_id="x1", message_state=2)
    assert (receipt.message_id, receipt.state) == ("x1", DELIVERED)


def test_unknown_message_state_leaves_the_text_stat():
    assert parse_smpp_receipt(APPENDIX_B, message_state=99).stat == "DELIVRD"


def test_lower_case_and_shuffled_fields():
    receipt = parse_smpp_receipt("stat:delivrd err:0 id:AB-1 text:x")
    assert (receipt.message_id, receipt.stat, receipt.err) == ("AB-1", "DELIVRD", "0")


def test_text_holding_field_names_stays_text():
    text = format_smpp_receipt("m9", "DELIVRD", text="stat:UNDELIV id:evil")
    receipt = parse_smpp_receipt(text)
    assert (receipt.message_id, receipt.stat) == ("m9", "DELIVRD")
    assert receipt.text == "stat:UNDELIV id:evil"


@pytest.mark.parametrize(
    "text", ["", "hello", "stat:DELIVRD err:000", "id:12 sub:001 err:000"]
)
def test_not_a_receipt(text):
    with pytest.raises(NotAReceipt):
        parse_smpp_receipt(text)


def test_same_state_words_as_the_transports():
    from gateways import base

    assert (core.DELIVERED, core.FAILED, core.PENDING) == (
        base.DELIVERED,
        base.FAILED,
        base.PENDING,
    )


ids = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=65
)
stats = st.sampled_from(sorted(core.STAT_STATES))
errs = st.from_regex(r"\A[0-9]{3}\Z")
dates = st.from_regex(r"\A[0-9]{10}\Z")
texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@given(ids, stats, errs, dates, dates, texts)
def test_format_then_parse_round_trip(message_id, stat, err, submit, done, text):
    receipt = parse_smpp_receipt(
        format_smpp_receipt(message_id, stat, err, submit, done, text)
    )
    assert receipt.message_id == message_id
    assert receipt.stat == stat
    assert receipt.err == err
    assert (receipt.submit_date, receipt.done_date) == (submit, done)
    assert receipt.text == text
    assert receipt.state == core.STAT_STATES[stat]


@given(st.text(max_size=200))
def test_any_text_is_a_receipt_or_not_a_receipt(text):
    try:
        receipt = parse_smpp_receipt(text)
    except NotAReceipt:
        return
    assert receipt.message_id
    assert receipt.state in (DELIVERED, FAILED, PENDING)
