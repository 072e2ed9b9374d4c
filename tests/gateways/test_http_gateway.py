"""The HTTP transport against a real HTTP server on a local port that plays
an enterprise SMS platform (http_platform.py): every text arrives once and
exactly as written, whatever it holds; credentials, outages, bad numbers and
the throughput limit are told apart; a platform killed mid-storm loses and
doubles nothing. No Odoo."""

import json
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

pytest.importorskip("requests")  # the core tier's bare python3 may lack it

from gateways.base import (
    DELIVERED,
    FAILED,
    PENDING,
    Accepted,
    GatewayDown,
    Outgoing,
    Refused,
)
from gateways.http import HttpTransport
from http_platform import BAD_NUMBER, Platform
from sla_core.sms_segments import plan_text

TOKEN = "s3cr3t-Tok3n-0123456789"
JSON_BODY = (
    '{"mobile": "{number}", "content": "{text}", "sign": "{sender}", "uid": "{ref}"}'
)
FORM_BODY = "mobile={number}&content={text}&sign={sender}&uid={ref}"
HARD_TEXTS = [
    "【网络服务】严重故障通报：北京-上海 10G 专线中断，影响 4 个客户。",
    'He said "restore it" \\ now',
    "line one\nline two\r\n\tthree",
    "{x} {text} {{number}} {0} {text:>99999}",
    "a&b=c+d%20e?f#g;h",
    '", "mobile": "+8613000000000", "x": "',
    "😀 emoji and é accents",
    "",
]


def transport(url, path="/sms/send", **overrides):
    options = {
        "body_template": JSON_BODY,
        "headers": {"Authorization": f"Bearer {TOKEN}"},
        "sender": "网络服务中心",
        "id_path": "data.msgid",
        "status_path": "code",
        "permanent_values": (BAD_NUMBER,),
        "timeout": 5,
    }
    options.update(overrides)
    return HttpTransport(url + path, **options)


def texts(count, start=0):
    return [
        Outgoing(
            f"uuid-{i:04d}",
            f"+86138{i:08d}",
            f"{HARD_TEXTS[i % len(HARD_TEXTS)]} #{i}",
        )
        for i in range(start, start + count)
    ]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """The transport's own Session (with its no-retry pool) reads proxies
    from the environment: none for the local platform."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def platform():
    server = Platform(token=TOKEN).start()
    yield server
    server.stop()


def by_uid(received):
    return {record["uid"]: record for record in received}


def assert_each_once(received, outgoing):
    uids = [record["uid"] for record in received]
    assert len(uids) == len(set(uids)), "a text arrived twice"
    assert sorted(uids) == sorted(item.key for item in outgoing)
    records = by_uid(received)
    for item in outgoing:
        assert records[item.key]["content"] == item.text
        assert records[item.key]["mobile"] == item.number


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_storm_arrives_once_each_with_its_exact_text(platform, concurrency):
    outgoing = texts(300)
    with transport(platform.url, concurrency=concurrency) as gateway:
        result = gateway.send(outgoing)
    assert_each_once(platform.received, outgoing)
    assert all(r["sign"] == "网络服务中心" for r in platform.received)
    assert [answer.key for answer in result.answers] == [i.key for i in outgoing]
    records = by_uid(platform.received)
    for item, answer in zip(outgoing, result.answers, strict=True):
        assert isinstance(answer, Accepted)
        assert answer.message_ids == (records[item.key]["msgid"],)
        assert answer.segments == plan_text(item.text).segments
        assert answer.detail.startswith("HTTP 200: ")
    # one pooled connection per request in flight, not one per text
    assert platform.connections <= concurrency


def test_the_form_body_keeps_ampersands_and_pluses(platform):
    outgoing = texts(40)
    with transport(platform.url, content_type="form", body_template=FORM_BODY) as g:
        result = g.send(outgoing)
    assert_each_once(platform.received, outgoing)
    assert all(isinstance(answer, Accepted) for answer in result.answers)


def test_a_get_sends_the_form_in_the_query_string(platform):
    outgoing = texts(16)
    gateway = transport(
        platform.url,
        path="/sms/send?account=ops",
        method="GET",
        content_type="form",
        body_template=FORM_BODY,
    )
    result = gateway.send(outgoing)
    assert_each_once(platform.received, outgoing)
    assert [type(answer) for answer in result.answers] == [Accepted] * 16
    with pytest.raises(ValueError, match="GET"):
        transport(platform.url, method="GET")


def test_a_plain_text_answer_is_accepted_under_the_callers_key(platform):
    platform.mode = "plain"
    result = transport(platform.url).send(texts(2))
    assert [answer.message_ids for answer in result.answers] == [
        ("uuid-0000",),
        ("uuid-0001",),
    ]
    assert result.answers[0].detail == "HTTP 200: OK"


@pytest.mark.parametrize("mode", ["ok", "gbk"])
def test_a_bad_number_is_refused_for_good_and_the_rest_goes(platform, mode):
    platform.mode = mode
    outgoing = texts(3)
    outgoing[1] = Outgoing("uuid-bad", "12-34", "故障通报")
    result = transport(platform.url).send(outgoing)
    first, bad, last = result.answers
    assert isinstance(first, Accepted) and isinstance(last, Accepted)
    assert bad == Refused("uuid-bad", bad.reason, permanent=True)
    assert "1001" in bad.reason and "号码无效" in bad.reason
    assert [r["uid"] for r in platform.received] == ["uuid-0000", "uuid-0002"]


def test_an_unknown_platform_status_is_refused_for_now(platform):
    result = transport(platform.url, success_values=("OK",)).send(texts(1))
    assert result.answers == [Refused("uuid-0000", result.answers[0].reason, False)]


def test_bad_credentials_are_an_outage_and_never_quote_the_secret(platform):
    platform.token = "another-token"
    with pytest.raises(GatewayDown) as caught:
        transport(platform.url).send(texts(5))
    down = caught.value
    assert down.done == []
    assert "HTTP 401" in down.reason
    # the platform echoed the header it got: the reason hides it
    assert "invalid token" in down.reason
    assert TOKEN not in down.reason and TOKEN not in str(down)
    assert platform.requests == 1, "a refused credential must stop the batch"


def test_a_platform_code_for_an_outage_stops_the_batch(platform):
    platform.mode = "broke"
    gateway = transport(platform.url, down_values=("1003",))
    with pytest.raises(GatewayDown) as caught:
        gateway.send(texts(5))
    assert "1003" in caught.value.reason and "余额不足" in caught.value.reason
    assert platform.requests == 1
    # without it, each text is refused for now, one by one
    result = transport(platform.url).send(texts(2))
    assert [answer.permanent for answer in result.answers] == [False, False]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_credentials_in_the_url_or_body_are_not_quoted_either(platform, method):
    password, apikey = "Pa55/word+&=", "K3y-abc123"
    template = {
        "POST": '{"apikey": "KEY", "mobile": "{number}", "content": "{text}"}',
        "GET": "apikey=KEY&mobile={number}&content={text}",
    }[method].replace("KEY", apikey)
    gateway = transport(
        platform.url,
        path=f"/sms/send?user=ops&password={quote_plus(password)}",
        method=method,
        content_type="json" if method == "POST" else "form",
        body_template=template,
    )
    platform.mode = "echo"
    (answer,) = gateway.send(texts(1)).answers
    assert answer.permanent and "bad request" in answer.reason
    assert "mobile" in answer.reason
    for secret in (password, quote_plus(password), apikey, TOKEN):
        assert secret not in answer.reason


@pytest.mark.parametrize("mode, words", [("fail", "HTTP 500"), ("busy", "HTTP 429")])
def test_a_failing_or_throttling_platform_is_an_outage(platform, mode, words):
    with transport(platform.url) as gateway:
        gateway.send(texts(2))
        platform.mode = mode
        with pytest.raises(GatewayDown) as caught:
            gateway.send(texts(3, start=2))
    assert words in caught.value.reason
    assert caught.value.done == []


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_dropped_connection_keeps_what_was_answered(platform, method):
    outgoing = texts(10)
    form = {"content_type": "form", "body_template": FORM_BODY}
    options = {"method": method, **(form if method == "GET" else {})}
    with transport(platform.url, **options) as gateway:
        done = gateway.send(outgoing[:4]).answers
        platform.mode = "drop"
        with pytest.raises(GatewayDown) as caught:
            gateway.send(outgoing[4:])
        assert "connection dropped before the answer" in caught.value.reason
        assert caught.value.done == []
        # the text whose answer was lost is not sent again behind the
        # caller's back (a GET would be, by a pool that retries)
        assert platform.requests == 5
        platform.mode = "ok"
        rest = gateway.send(outgoing[4:]).answers
    assert len(done + rest) == 10
    assert_each_once(platform.received, outgoing)


def test_an_outage_amid_concurrent_requests_keeps_exactly_the_answered(platform):
    outgoing = texts(200)
    platform.drop_after = 77
    with transport(platform.url, concurrency=4) as gateway:
        with pytest.raises(GatewayDown) as caught:
            gateway.send(outgoing)
        done = caught.value.done
        assert sorted(a.key for a in done) == sorted(by_uid(platform.received))
        assert len(done) == 77
        platform.drop_after = 0
        answered = {answer.key for answer in done}
        rest = gateway.send([i for i in outgoing if i.key not in answered]).answers
    assert len(done) + len(rest) == 200
    assert_each_once(platform.received, outgoing)


def test_no_answer_in_time_is_an_outage(platform):
    platform.mode = "slow"
    platform.slow_seconds = 1.5
    started = time.monotonic()
    with pytest.raises(GatewayDown) as caught:
        transport(platform.url, timeout=0.3).send(texts(3))
    assert "no answer within 0.3 s" in caught.value.reason
    assert time.monotonic() - started < 1.4


def test_a_redirect_is_not_followed(platform):
    gateway = transport(platform.url, path="/moved")
    with pytest.raises(GatewayDown) as caught:
        gateway.send(texts(1))
    assert "HTTP 302" in caught.value.reason
    assert platform.requests == 1 and platform.received == []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_platform_listening_is_an_outage_without_the_secret():
    port = free_port()
    with pytest.raises(GatewayDown) as caught:
        transport(f"http://127.0.0.1:{port}").send(texts(2))
    assert caught.value.done == []
    assert f"127.0.0.1:{port}" in caught.value.reason
    assert "connection is refused: nothing listens there" in caught.value.reason
    assert TOKEN not in caught.value.reason


@pytest.fixture
def tls_platform(tmp_path):
    """The platform over HTTPS with a certificate of an authority of its own
    (openssl makes one), as an operator's internal platform has."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    server = Platform(token=TOKEN)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.start()
    yield server, str(cert)
    server.stop()


def test_tls_against_the_platforms_own_authority(tls_platform):
    server, cert = tls_platform
    url = server.url.replace("http://", "https://")
    with pytest.raises(GatewayDown) as caught:
        transport(url).send(texts(1))
    assert "TLS handshake failed" in caught.value.reason
    assert server.received == []
    result = transport(url, verify=cert).send(texts(3))
    assert [type(answer) for answer in result.answers] == [Accepted] * 3
    assert_each_once(server.received, texts(3))


def start_process(port, log, die_after=0):
    script = Path(__file__).with_name("http_platform.py")
    args = [sys.executable, str(script), str(port), TOKEN, str(log)]
    if die_after:
        args.append(str(die_after))
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def test_a_platform_killed_mid_storm_and_restarted_loses_and_doubles_nothing(
    tmp_path,
):
    log = tmp_path / "received.jsonl"
    port = free_port()
    outgoing = texts(120)
    process = start_process(port, log, die_after=37)
    try:
        gateway = transport(f"http://127.0.0.1:{port}")
        with pytest.raises(GatewayDown) as caught:
            gateway.send(outgoing)
        assert process.wait(timeout=5) == 0
        done = caught.value.done
        assert [answer.key for answer in done] == [i.key for i in outgoing[:37]]
        # the caller sends again what was not answered, to the restarted one
        process = start_process(port, log)
        rest = gateway.send(outgoing[len(done) :]).answers
    finally:
        process.kill()
        process.wait()
    received = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert_each_once(received, outgoing)
    assert all(isinstance(answer, Accepted) for answer in done + rest)


def test_the_throughput_limit_is_honoured_across_calls(platform):
    outgoing = texts(100)
    started = time.monotonic()
    gateway = transport(platform.url, rate=50)
    gateway.send(outgoing[:60])
    gateway.send(outgoing[60:])
    elapsed = time.monotonic() - started
    # a burst of one second's worth (50), then 50 a second: 50 more take 1 s,
    # whether they go in one call or in two
    assert 0.98 <= elapsed < 3.0
    stamps = sorted(record["at"] for record in platform.received)
    for index, stamp in enumerate(stamps):
        # the index-th text goes no sooner than the bucket allows
        assert stamp - started >= (index + 1 - 50) / 50 - 0.005
    assert_each_once(platform.received, outgoing)


def test_a_platforms_callback_gives_receipts(platform):
    gateway = transport(platform.url)
    callback = json.dumps(
        {
            "total": 3,
            "reports": [
                {"msgid": "m000001", "stat": "DELIVRD", "err": ""},
                {"msgid": "m000002", "stat": "UNDELIV", "err": "空号"},
                {"msgid": "m000003", "stat": "ENROUTE"},
                {"stat": "DELIVRD"},
            ],
        },
        ensure_ascii=False,
    ).encode("utf-8")
    receipts = gateway.receipts(
        callback,
        id_path="msgid",
        status_path="stat",
        delivered_values=("DELIVRD",),
        failed_values=("UNDELIV", "REJECTD"),
        list_path="reports",
        error_path="err",
    )
    assert [(r.message_id, r.state, r.reason) for r in receipts] == [
        ("m000001", DELIVERED, "DELIVRD"),
        ("m000002", FAILED, "UNDELIV 空号"),
        ("m000003", PENDING, "ENROUTE"),
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"url": "ftp://example.com/sms"},
        {"method": "PUT"},
        {"body_template": '{"mobile": "{number}"}'},
        {"content_type": "xml"},
        {"concurrency": 0},
        {"rate": -1},
    ],
)
def test_a_configuration_that_cannot_send_is_refused(overrides):
    url = overrides.pop("url", "http://127.0.0.1:1")
    with pytest.raises(ValueError):
        transport(url, **overrides)
