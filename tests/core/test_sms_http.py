"""The HTTP SMS platform's body template, answers and callbacks: known
placeholders only, each value escaped for its body so that no text breaks or
injects into it, dotted paths into JSON, delivery reports. No Odoo."""

import json
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sla_core.sms_http import (
    CONTENT_TYPE,
    CONVERSION,
    DELIVERED,
    FAILED,
    FORM,
    FORMAT_SPEC,
    JSON,
    MISSING,
    NOT_JSON,
    OUTSIDE_STRING,
    PENDING,
    UNKNOWN,
    HttpReceipt,
    HttpTemplateError,
    fill_template,
    parse_http_receipts,
    read_path,
    template_problems,
)

JSON_BODY = (
    '{"account": "ops", "msg": {"mobile": "{number}", "content": "【{sender}】{text}",'
    ' "uid": "{ref}"}, "tags": ["a", "b"]}'
)
FORM_BODY = "account=ops&mobile={number}&content={text}&sign={sender}&uid={ref}"
VALUES = {"number": "+8613800138000", "text": "故障", "sender": "网络", "ref": "k1"}
# a text without lone surrogates (Odoo's texts come from PostgreSQL UTF-8)
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))


def test_a_json_body_is_written_as_the_platform_documents_it():
    assert template_problems(JSON_BODY, JSON) == []
    body = json.loads(fill_template(JSON_BODY, JSON, VALUES))
    assert body == {
        "account": "ops",
        "msg": {"mobile": "+8613800138000", "content": "【网络】故障", "uid": "k1"},
        "tags": ["a", "b"],
    }


def test_a_form_body():
    assert template_problems(FORM_BODY, FORM) == []
    body = parse_qs(fill_template(FORM_BODY, FORM, VALUES))
    assert body["content"] == ["故障"] and body["uid"] == ["k1"]
    assert body["account"] == ["ops"]


@pytest.mark.parametrize(
    "template, content_type, problems",
    [
        ("mobile={number}", FORM, [(MISSING, "text")]),
        ("content={text}", FORM, [(MISSING, "number")]),
        ("{number}{text}{nubmer}", FORM, [(UNKNOWN, "nubmer")]),
        ("{number}{text}{0}", FORM, [(UNKNOWN, "0")]),
        ("{number}{text:>99999}", FORM, [(FORMAT_SPEC, "text:>99999")]),
        ("{number}{text!r}", FORM, [(CONVERSION, "text!r")]),
        ("{number}{text}", "xml", [(CONTENT_TYPE, "xml")]),
        ('{"mobile": {number}, "content": "{text}"}', JSON, [(NOT_JSON, None)]),
        ('{"mobile": "{number}", "content": {text}}', JSON, [(NOT_JSON, None)]),
        ('{"mobile": "{number}", "content": "{text}"', JSON, [(NOT_JSON, None)]),
        ('{"to": "{number}", "text": "{text}" "x"}', JSON, [(NOT_JSON, None)]),
        ('{"to": "\\{number}", "text": "{text}"}', JSON, [(NOT_JSON, None)]),
        ("", JSON, [(MISSING, "number"), (MISSING, "text")]),
        (None, FORM, [(MISSING, "number"), (MISSING, "text")]),
    ],
)
def test_template_problems(template, content_type, problems):
    found = template_problems(template, content_type)
    if problems and problems[0][0] == NOT_JSON:
        found = [(code, None) for code, _detail in found]
    assert found == problems


def test_a_placeholder_outside_a_json_string_is_a_problem():
    # the sample values are not JSON on their own: a bare number cannot slip
    # through as a JSON number, and a sender named as a key still counts
    assert template_problems('{"{sender}": "{number}", "t": "{text}"}', JSON) == []
    assert template_problems('{"to": "{number}", "t": "{text}", "x": 1}', JSON) == []
    assert template_problems('{"to": "\\\\{number}", "t": "{text}"}', JSON) == []
    assert template_problems('{"to": "\\n{number}", "t": "{text}"}', JSON) == []
    # a backslash before the placeholder eats its first character
    assert template_problems(
        '{"to": "{number}", "t": "{text}", "u": "\\{ref}"}', JSON
    ) == [(OUTSIDE_STRING, "ref")]


def test_a_bad_template_is_not_filled():
    with pytest.raises(HttpTemplateError) as caught:
        fill_template("mobile={number}&x={text:>9}", FORM, VALUES)
    assert caught.value.problems == [(FORMAT_SPEC, "text:>9")]
    assert "format_spec: text:>9" in str(caught.value)


@given(TEXTS, TEXTS, TEXTS)
def test_no_text_breaks_or_injects_into_a_json_body(text, sender, ref):
    values = {"number": '+86", "x": "1', "text": text, "sender": sender, "ref": ref}
    body = fill_template(JSON_BODY, JSON, values)
    document = json.loads(body)
    assert document["msg"] == {
        "mobile": '+86", "x": "1',
        "content": f"【{sender}】{text}",
        "uid": ref,
    }
    assert set(document) == {"account", "msg", "tags"}


@given(TEXTS, TEXTS)
def test_no_text_breaks_or_injects_into_a_form_body(text, number):
    body = fill_template(FORM_BODY, FORM, {"number": number, "text": text})
    assert body.isascii()
    fields = parse_qs(body, keep_blank_values=True)
    assert fields["content"] == [text] and fields["mobile"] == [number]
    assert sorted(fields) == ["account", "content", "mobile", "sign", "uid"]
    assert fields["sign"] == fields["uid"] == [""]


@given(st.text(alphabet="{}[]\"'\\:!0123456789abcdefnrtux, \n", max_size=40))
def test_any_template_either_has_problems_or_fills(template):
    for content_type in (JSON, FORM):
        if template_problems(template, content_type):
            continue
        body = fill_template(template, content_type, VALUES)
        if content_type == JSON:
            json.loads(body)


@pytest.mark.parametrize(
    "text", ["{x}", "{text}", "{number:>9}", "{{ref}}", "a&b=c+d%20", "行1\n行2"]
)
def test_a_text_goes_out_verbatim(text):
    body = fill_template(JSON_BODY, JSON, dict(VALUES, text=text))
    assert json.loads(body)["msg"]["content"] == f"【网络】{text}"
    form = parse_qs(fill_template(FORM_BODY, FORM, dict(VALUES, text=text)))
    assert form["content"] == [text]


def test_read_path():
    answer = {"code": 0, "data": {"msgid": "m1", "list": [{"id": 7}, {"id": 8}]}}
    assert read_path(answer, "code") == 0
    assert read_path(answer, "data.msgid") == "m1"
    assert read_path(answer, "data.list.1.id") == 8
    assert read_path(answer, "data.list.-1.id") == 8
    assert read_path([{"id": "x"}], "0.id") == "x"
    assert read_path(answer, "") is answer
    for missing in ("nope", "data.list.2.id", "data.list.x", "code.x", "data.msgid.0"):
        assert read_path(answer, missing) is None
    assert read_path(None, "a") is None


@given(
    st.recursive(
        st.none() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
    ),
    st.text(),
)
def test_read_path_never_raises(document, path):
    read_path(document, path)


RECEIPT_PATHS = {
    "id_path": "msgid",
    "status_path": "stat",
    "delivered_values": ("DELIVRD", 0),
    "failed_values": ("UNDELIV", "REJECTD"),
}


def test_one_receipt_or_a_list():
    one = {"msgid": "m1", "stat": "DELIVRD"}
    assert parse_http_receipts(one, **RECEIPT_PATHS) == [
        HttpReceipt("m1", DELIVERED, "DELIVRD")
    ]
    many = [one, {"msgid": 12, "stat": 0}, {"msgid": "m3", "stat": "UNDELIV"}]
    assert parse_http_receipts(many, **RECEIPT_PATHS) == [
        HttpReceipt("m1", DELIVERED, "DELIVRD"),
        HttpReceipt("12", DELIVERED, "0"),
        HttpReceipt("m3", FAILED, "UNDELIV"),
    ]


def test_receipts_under_a_list_path_with_an_error_description():
    payload = json.dumps(
        {
            "data": {
                "reports": [
                    {"msgid": "m1", "stat": "REJECTD", "desc": "空号"},
                    {"msgid": "m2", "stat": "ACCEPTD"},
                    {"msgid": "", "stat": "DELIVRD"},
                    {"stat": "DELIVRD"},
                    "junk",
                ]
            }
        },
        ensure_ascii=False,
    ).encode("utf-8")
    receipts = parse_http_receipts(
        payload, list_path="data.reports", error_path="desc", **RECEIPT_PATHS
    )
    assert receipts == [
        HttpReceipt("m1", FAILED, "REJECTD 空号"),
        HttpReceipt("m2", PENDING, "ACCEPTD"),
    ]


@pytest.mark.parametrize("payload", [b"not json", "", None, 7, {"data": 1}])
def test_a_callback_without_reports_gives_none(payload):
    assert parse_http_receipts(payload, list_path="data", **RECEIPT_PATHS) == []
