"""The customer documents' rules: who signs what, from which state, the
copies, and the fingerprint of what was signed."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports_core.documents import (
    APPROVED,
    CONFIRMATION,
    DECLINED,
    DRAFT,
    FAULT_REPORT_CUSTOMER,
    FAULT_REPORT_TECH,
    INSPECTION_RECORD,
    QUALITY_FORM,
    SIGNED,
    THREE_COPIES,
    TO_SIGN,
    VISIT_REPORT,
    DocumentError,
    canonical_json,
    check_approve,
    check_decline,
    check_scores,
    check_sign,
    content_hash,
    copies,
    mean_score,
    normalize_name,
    sha256_hex,
)

SIG = "iVBORw0KGgo="


def refused(code, fn, *args):
    with pytest.raises(DocumentError) as caught:
        fn(*args)
    assert caught.value.code == code


@pytest.mark.parametrize("state", [DRAFT, TO_SIGN])
def test_a_customer_signs_a_draft_or_a_document_sent_to_sign(state):
    check_sign(CONFIRMATION, state, SIG, "Wang Fang", ["Li Lei"])


def test_a_second_signature_is_refused():
    refused("already_signed", check_sign, CONFIRMATION, SIGNED, SIG, "Wang Fang")


def test_a_declined_or_approved_document_is_not_signed():
    refused("not_open", check_sign, VISIT_REPORT, DECLINED, SIG, "Wang Fang")
    refused("not_open", check_sign, VISIT_REPORT, APPROVED, SIG, "Wang Fang")


def test_the_technical_report_is_approved_never_signed():
    refused("not_signed_kind", check_sign, FAULT_REPORT_TECH, DRAFT, SIG, "W")
    refused("not_signed_kind", check_decline, FAULT_REPORT_TECH, DRAFT, "no")
    check_approve(FAULT_REPORT_TECH, DRAFT)
    refused("already_approved", check_approve, FAULT_REPORT_TECH, APPROVED)
    refused("not_approved_kind", check_approve, CONFIRMATION, DRAFT)


@pytest.mark.parametrize("signature", [None, False, "", b""])
def test_an_empty_signature_is_refused(signature):
    refused("empty_signature", check_sign, CONFIRMATION, DRAFT, signature, "W")


@pytest.mark.parametrize("name", [None, "", "   ", "\u3000"])
def test_an_empty_name_is_refused(name):
    refused("empty_name", check_sign, CONFIRMATION, DRAFT, SIG, name)


@pytest.mark.parametrize(
    "name", ["Li Lei", " li  lei ", "LI LEI", "Li\u3000Lei", "LiLei"]
)
def test_the_technician_never_signs_for_the_customer(name):
    refused("staff_signer", check_sign, CONFIRMATION, DRAFT, SIG, name, ["Li Lei"])


def test_declining_needs_a_reason_and_an_open_document():
    check_decline(QUALITY_FORM, TO_SIGN, "Not satisfied with the repair")
    refused("empty_reason", check_decline, QUALITY_FORM, TO_SIGN, "  ")
    refused("already_signed", check_decline, QUALITY_FORM, SIGNED, "late")
    refused("not_open", check_decline, QUALITY_FORM, DECLINED, "late")


def test_three_copies_where_the_rules_want_them():
    assert copies(FAULT_REPORT_CUSTOMER) == THREE_COPIES
    assert copies(VISIT_REPORT) == THREE_COPIES
    assert copies(CONFIRMATION) == (None,)
    assert copies(INSPECTION_RECORD) == (None,)
    assert copies(FAULT_REPORT_TECH) == (None,)


def test_the_hash_is_sha256_of_the_canonical_text():
    content = {"b": [1, "二"], "a": {"y": None, "x": 1.5}}
    text = canonical_json(content)
    assert text == '{"a":{"x":1.5,"y":null},"b":[1,"二"]}'
    assert content_hash(content) == hashlib.sha256(text.encode()).hexdigest()
    assert sha256_hex(b"%PDF") == hashlib.sha256(b"%PDF").hexdigest()


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=5), values, max_size=6))
def test_key_order_never_changes_the_hash(content):
    reordered = dict(reversed(list(content.items())))
    assert content_hash(reordered) == content_hash(content)


def test_any_change_of_a_value_changes_the_hash():
    signed = {"findings": "Fibre cut at the pole", "result": "restored"}
    assert content_hash(signed) != content_hash({**signed, "result": "other"})


def test_scores():
    assert check_scores({"response": 5, "attitude": None}) == ["attitude"]
    refused("bad_score", check_scores, {"response": 6})
    assert mean_score([5, 4, "3", None]) == 4.0
    assert mean_score([]) == 0.0


def test_names_compare_as_people_read_them():
    assert normalize_name("  Wang\u3000 Fang ") == "wangfang"
    assert normalize_name(" 李  雷 ") == normalize_name("李雷")
