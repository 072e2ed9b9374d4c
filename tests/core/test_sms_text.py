"""The custom SMS text: known placeholders only, bare, balanced braces, a
bounded length; checked at save and again when filled. No Odoo."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.escalation import CUSTOM, bulletin
from sla_core.sms_text import (
    CONVERSION,
    FILLED_MAX,
    FORMAT_SPEC,
    MAX_LENGTH,
    PLACEHOLDERS,
    TOO_LONG,
    UNBALANCED,
    UNKNOWN,
    SmsTextError,
    fill,
    text_problems,
)

T0 = datetime(2026, 3, 2, 1, 0)
VALUES = {"customer": "Gold", "summary": "Line down", "time": "T", "duration": "D"}


def test_the_reported_texts_are_refused():
    assert text_problems("Fault at {customer: {summary}") == [(UNBALANCED, None)]
    assert text_problems("{summary:>100000}") == [(FORMAT_SPEC, "summary:>100000")]


@pytest.mark.parametrize(
    "text, problems",
    [
        ("{customer!r}", [(CONVERSION, "customer!r")]),
        ("{customer.__class__}", [(UNKNOWN, "customer.__class__")]),
        ("{summary[0]}", [(UNKNOWN, "summary[0]")]),
        ("{0} {}", [(UNKNOWN, "0"), (UNKNOWN, "")]),
        ("{site}", [(UNKNOWN, "site")]),
        ("a } b", [(UNBALANCED, None)]),
        ("{customer", [(UNBALANCED, None)]),
        ("x" * (MAX_LENGTH + 1), [(TOO_LONG, MAX_LENGTH + 1)]),
    ],
)
def test_problems(text, problems):
    assert text_problems(text) == problems
    with pytest.raises(SmsTextError):
        fill(text, VALUES)


def test_the_length_counts_each_placeholder_at_its_longest():
    text = "{customer}" + "x" * (MAX_LENGTH - FILLED_MAX["customer"])
    assert text_problems(text) == []
    assert text_problems(text + "x") == [(TOO_LONG, MAX_LENGTH + 1)]


def test_a_good_text_is_filled_and_literal_braces_stay():
    text = "【{customer}】{summary} {time} {duration} {{x}}"
    assert text_problems(text) == []
    assert fill(text, VALUES) == "【Gold】Line down T D {x}"


def test_the_bulletin_fills_a_custom_text_and_refuses_a_bad_one():
    args = ("Gold", "Line down", T0)
    kw = {"now": T0 + timedelta(hours=1), "tz": "Asia/Shanghai"}
    assert bulletin(CUSTOM, *args, **kw, text="{customer} {time}") == (
        "Gold 2026/03/02 10:00"
    )
    with pytest.raises(SmsTextError):
        bulletin(CUSTOM, *args, **kw, text="Fault at {customer: {summary}")


@given(st.text(max_size=400))
def test_any_text_is_either_refused_or_filled_within_the_limit(text):
    """Whatever an administrator types: a text the check accepts fills to at
    most MAX_LENGTH characters with the longest values, and a text it
    refuses never reaches str.format."""
    longest = {name: "长" * FILLED_MAX[name] for name in PLACEHOLDERS}
    if text_problems(text):
        with pytest.raises(SmsTextError):
            fill(text, longest)
    else:
        assert len(fill(text, longest)) <= MAX_LENGTH


@given(
    st.lists(
        st.one_of(
            st.sampled_from([f"{{{n}}}" for n in PLACEHOLDERS]),
            st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=20),
        ),
        max_size=8,
    )
)
def test_known_placeholders_with_plain_words_are_accepted(parts):
    text = "".join(parts)
    problems = text_problems(text)
    assert all(code == TOO_LONG for code, _detail in problems)
