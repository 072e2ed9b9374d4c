"""Which numbers the document links are texted to: mainland China mobiles."""

import pytest
from sla_core.phones import mobile_number


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "86 13812345678",
        "(+86) 138.1234.5678",
        "199 0000 0000",
        "１３８ １２３４ ５６７８",  # full-width, as a Chinese keyboard types it
        "（＋86）13812345678",
    ],
)
def test_a_mobile_number_is_recognised_in_any_writing(phone):
    assert mobile_number(phone).startswith("+86")
    assert len(mobile_number(phone)) == 14


@pytest.mark.parametrize(
    "phone",
    [
        None,
        "",
        "023-6388 1234",  # a Chongqing fixed line
        "010 6666 8888",
        "12345678901",  # 12x is no mobile range
        "1381234567",  # ten digits
        "138123456789",  # twelve
        "+1 415 555 0100",  # a foreign number is not recognised
        "+852 9123 4567",
        "10000",  # the operator's service line
        "138 1234 5678 ext 2",
    ],
)
def test_what_is_no_chinese_mobile_number_is_not_texted(phone):
    assert mobile_number(phone) is None


def test_the_number_is_given_in_e164():
    assert mobile_number("+86 138-1234-5678") == "+8613812345678"
