"""The edges of the HTTP server, attacked with real requests: nothing is parsed before the signature is
checked, and no body, signed or not, can make meetbot answer 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.fakes.slack import FakeSlack
from tests.harness import make_settings, running_meetbot
from tests.slack_payloads import SIGNING_SECRET

DEEP = b"[" * 100_000
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _post(meetbot, body: bytes, content_type: str, sign: bool):
    headers = {"Content-Type": content_type}
    if sign:  # over the raw bytes, which need not be UTF-8
        ts = str(int(time.time()))
        digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        headers.update({"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"})
    return meetbot.http.post(f"{meetbot.base_url}/slack/events", content=body, headers=headers)


def test_unsigned_deep_json_is_refused_before_it_is_parsed(tmp_path):
    with FakeSlack() as slack, running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:
        unsigned = meetbot.http.post(f"{meetbot.base_url}/slack/events", content=DEEP,
                                     headers={"Content-Type": JSON, "X-Slack-Request-Timestamp": "1700000000",
                                              "X-Slack-Signature": "v0=00"})
        assert unsigned.status_code == 401
        assert _post(meetbot, DEEP, JSON, sign=True).status_code == 400
        assert _post(meetbot, b"payload=" + DEEP, FORM, sign=True).status_code == 400
        assert _post(meetbot, b"{" + DEEP, FORM, sign=True).status_code == 400
        assert [c.method for c in slack.calls()] == ["auth.test"]  # the start-up check only


SHAPES = st.fixed_dictionaries({}, optional={key: st.one_of(st.integers(), st.lists(st.integers(), max_size=2), st.text(max_size=5),
                   st.dictionaries(st.sampled_from(["id", "type", "bot_id", "user"]), st.integers(), max_size=2))
    for key in ("type", "event", "team", "user", "enterprise", "channel", "container", "view",
                "message", "actions", "authorizations", "command", "api_app_id", "is_enterprise_install",
                "team_id", "user_id", "event_id", "trigger_id")})
BODIES = st.one_of(
    st.binary(max_size=2_000),
    st.text(max_size=2_000).map(str.encode),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                 max_leaves=20).map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"payload=", b"payload=%5B1%5D", b"payload=null", b"payload=%7B%7D", b"command=%2Fmeet",
                     b'{"type": "event_callback", "event": 5}', b'{"type": "url_verification"}',
                     b'{"type": "block_actions", "actions": "x", "user": 1}', b"\xff\xfe", b"payload=%FF"]),
    SHAPES.map(lambda value: json.dumps(value).encode()),
    SHAPES.map(lambda value: urlencode({"payload": json.dumps(value)}).encode()),
)


def test_no_body_gives_a_500(tmp_path):
    with FakeSlack() as slack, running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:

        @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
        @given(body=BODIES, content_type=st.sampled_from([JSON, FORM]), sign=st.booleans())
        def check(body, content_type, sign):
            response = _post(meetbot, body, content_type, sign)
            assert response.status_code < 500, (body, response.text)
            assert "Traceback" not in response.text
            if not sign:
                assert response.status_code == 401

        check()
        meetbot.wait_idle(30)
