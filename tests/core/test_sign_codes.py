"""The one-time signing code: random, hashed with a key, expiring, a few
tries, once, and not sent more often than a person types one."""

from datetime import datetime, timedelta

import pytest
from reports_core import sign_codes as codes
from reports_core.documents import DocumentError

NOW = datetime(2026, 3, 2, 9, 0)
KEY = "database-secret"


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DocumentError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code


def stored(code="042917", salt="s1"):
    return codes.hash_code(code, KEY, salt), salt


def check(given, **kw):
    values = {"now": NOW, "sent_on": NOW, "attempts": 0, "used": False}
    values.update(kw)
    stored_value = values.pop("stored", stored())
    return codes.check_code(given, stored_value, KEY, **values)


def test_a_code_is_six_digits_with_its_leading_zeros():
    assert codes.new_code(lambda n: 42) == "000042"
    assert len(codes.new_code()) == 6
    assert codes.new_code().isdigit()


def test_only_a_keyed_salted_hash_is_stored():
    code_hash, salt = stored()
    assert "042917" not in code_hash
    assert code_hash != codes.hash_code("042917", "another key", salt)
    assert code_hash != codes.hash_code("042917", KEY, "s2")


def test_the_right_code_passes_typed_as_people_type_it():
    check("042917")
    check(" 042 917 ")
    check("０４２９１７")  # full-width digits of a Chinese keyboard


@pytest.mark.parametrize(
    "given, kw, reason",
    [
        ("042917", {"stored": None}, "code_none"),
        ("042917", {"used": True}, "code_used"),
        ("042917", {"sent_on": NOW - timedelta(minutes=10)}, "code_expired"),
        ("042917", {"attempts": 5}, "code_locked"),
        ("  ", {}, "code_empty"),
        ("042918", {}, "code_wrong"),
        ("", {"attempts": 4}, "code_empty"),
    ],
)
def test_refusals(given, kw, reason):
    refused(reason, check, given, **kw)


def test_still_valid_just_before_ten_minutes():
    check("042917", sent_on=NOW - timedelta(minutes=9, seconds=59))


def test_sending_is_rate_limited():
    codes.check_send([], NOW)
    refused("code_too_soon", codes.check_send, [NOW - timedelta(seconds=30)], NOW)
    codes.check_send([NOW - timedelta(seconds=61)], NOW)
    five = [NOW - timedelta(minutes=m) for m in (2, 10, 20, 30, 40)]
    refused("code_too_many", codes.check_send, five, NOW)
    codes.check_send([t - timedelta(minutes=30) for t in five], NOW)
    assert codes.wait_seconds([], NOW) == 0
    assert 0 < codes.wait_seconds([NOW - timedelta(seconds=30)], NOW) <= 31


def test_the_number_is_masked():
    assert codes.mask_number("+8613800001111") == "+86 138****1111"
    assert codes.mask_number("13800001111") == "138****1111"
    assert codes.mask_number("0086-138-0000-1111") == "+86 138****1111"


def test_the_email_is_masked():
    assert codes.mask_email("li.ming@example.com") == "l***@example.com"
    assert codes.mask_email(" w@water.example.com ") == "w***@water.example.com"
    assert codes.mask_email("") == ""


def test_contact_details_in_a_note_are_masked():
    note = 'E-mail to "王芳" <wang.fang@water.example.com>; SMS to +8613800001111'
    assert codes.mask_contacts(note) == (
        'E-mail to "王芳" <w***@water.example.com>; SMS to +86 138****1111'
    )
    assert codes.mask_contacts("新号码 138 0000 1111。") == "新号码 138****1111。"
    assert codes.mask_contacts("业务仍有丢包") == "业务仍有丢包"
    assert codes.mask_contacts(False) is False
    # not inside a hash, an address, a document's number
    kept = ("0a13800001111b", "127.0.0.1", "CONF/2026/00012", "+86 138****1111")
    for text in kept:
        assert codes.mask_contacts(text) == text


def test_names_match_as_people_compare_them():
    assert codes.names_match("王 芳", "王芳")
    assert codes.names_match("wang fang", "Wang Fang")
    assert not codes.names_match("Mallory Stranger", "王芳")
    assert not codes.names_match("", "")
