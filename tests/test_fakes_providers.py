"""FakeZoom and FakeDialpad, driven with plain httpx: if the provider fakes lie, every provider test lies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time

import httpx
import pytest

from tests.fakes.zoom import FakeZoom, url_validation_answer, webhook_signature

REDIRECT = "https://meetbot.example.test/oauth/zoom/callback"
ZOOM_BASIC = ("zoom-client", "zoom-secret")
MEETING = {"topic": "Design review", "type": 2, "start_time": "2026-11-19T15:00:00",
           "timezone": "America/Los_Angeles", "duration": 45, "agenda": "notes"}


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as client:
        yield client


def zoom_query(verifier_challenge: str, **extra) -> dict:
    return {"response_type": "code", "client_id": "zoom-client", "redirect_uri": REDIRECT, "state": "s1",
            "code_challenge": verifier_challenge, "code_challenge_method": "S256", **extra}


def zoom_tokens(zoom, http) -> dict:
    verifier, challenge = pkce()
    code = zoom.authorize(zoom_query(challenge))
    answer = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    return answer.json()


def create(zoom, http, tokens, body) -> httpx.Response:
    return http.post(zoom.api_url + "/users/me/meetings", json=body,
                     headers={"Authorization": f"Bearer {tokens['access_token']}"})


# -- Zoom ------------------------------------------------------------------------------------------------


def test_zoom_authorize_token_me_create(zoom, http):
    verifier, challenge = pkce()
    code = zoom.authorize(zoom_query(challenge))
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": "x" * 43}
    assert http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data=exchange).json() == {
        "reason": "Invalid authorization code", "error": "invalid_grant"}  # wrong verifier
    tokens = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data={**exchange, "code_verifier": verifier}).json()
    assert tokens["access_token"].startswith("zoom-at-") and tokens["refresh_token"].startswith("zoom-rt-")
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3599 and tokens["scope"] == "meeting:write user:read"
    again = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data={**exchange, "code_verifier": verifier})
    assert again.status_code == 400  # single use

    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = http.get(zoom.api_url + "/users/me", headers=bearer).json()
    assert me["id"] == "zoomuser1" and me["email"] == "alice@example.com" and me["timezone"] == "America/Los_Angeles"

    answer = create(zoom, http, tokens, MEETING)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["id"] > 2 ** 32 and made["start_time"] == "2026-11-19T23:00:00Z"  # LA wall time, in UTC
    assert made["join_url"].startswith(f"https://zoom.example.test/j/{made['id']}?pwd=")
    assert made["start_url"].startswith(f"https://zoom.example.test/s/{made['id']}?zak=")
    assert zoom.start_urls() == [made["start_url"]] and zoom.meetings == [(MEETING, made)]
    assert len(made["password"]) == 6 and made["password"].isdigit() and made["host_id"] == "zoomuser1"
    assert [c.method for c in zoom.calls()] == ["authorize", "token", "token", "token", "me", "create"]
    assert zoom.wait_for("create")[0].body["topic"] == "Design review"


def test_zoom_authorize_checks_and_page(zoom, http):
    _, challenge = pkce()
    for broken, word in [({"state": ""}, "state"), ({"code_challenge_method": "plain"}, "S256"),
                         ({"client_id": "other"}, "client_id"), ({"redirect_uri": ""}, "redirect_uri")]:
        with pytest.raises(AssertionError, match=word):
            zoom.authorize(zoom_query(challenge, **broken))
    page = http.get(zoom.oauth_url + "/authorize", params=zoom_query(challenge))
    assert page.status_code == 200 and "code=zoom-code-" in page.text


def test_zoom_token_endpoint_guards(zoom, http):
    verifier, challenge = pkce()
    code = zoom.authorize(zoom_query(challenge))
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    no_auth = http.post(zoom.oauth_url + "/token", data=form)
    assert no_auth.status_code == 401 and no_auth.json() == {"reason": "Invalid client_id or client_secret",
                                                             "error": "invalid_client"}
    leak = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, params=form)
    assert leak.status_code == 400 and len(zoom.query_leaks) == 1 and code in zoom.query_leaks[0]
    moved = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data={**form, "redirect_uri": REDIRECT + "x"})
    assert moved.status_code == 400 and zoom.invalid_grant_count == 1
    assert http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data=form).status_code == 200


@pytest.mark.parametrize("change, field", [
    ({"timezone": None}, "timezone"),  # local wall time and no zone
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"start_time": "2026-11-19 15:00"}, "start_time"),
    ({"start_time": None}, "start_time"),
    ({"duration": 45.0}, "duration"),
    ({"duration": "45"}, "duration"),
    ({"duration": 0}, "duration"),
    ({"topic": "x" * 201}, "topic"),
    ({"agenda": "x" * 2001}, "agenda"),
    ({"type": 5}, "type"),
    ({"recurrence": {"type": 1, "repeat_interval": 1}}, "recurrence"),  # recurrence needs type 8
    ({"type": 8}, "recurrence"),  # type 8 needs recurrence
    ({"type": 8, "recurrence": {"type": 2, "weekly_days": [3, 5]}}, "recurrence.weekly_days"),
    ({"type": 8, "recurrence": {"type": 2, "weekly_days": "3,8"}}, "recurrence.weekly_days"),
    ({"type": 8, "recurrence": {"type": 2, "weekly_days": "2", "repeat_interval": 13}}, "recurrence.repeat_interval"),
    ({"type": 8, "recurrence": {"type": 3}}, "recurrence.monthly_day"),
    ({"type": 8, "recurrence": {"type": 1, "end_times": 3, "end_date_time": "2026-12-01T00:00:00Z"}},
     "recurrence.end_times"),
    ({"type": 8, "recurrence": {"type": 1, "end_times": 61}}, "recurrence.end_times"),
    ({"type": 8, "recurrence": {"type": 1, "end_date_time": "2026-12-01T00:00:00"}}, "recurrence.end_date_time"),
])
def test_zoom_validation_errors_are_http_300(zoom, http, change, field):
    tokens = zoom_tokens(zoom, http)
    body = {k: v for k, v in {**MEETING, **change}.items() if v is not None}
    answer = create(zoom, http, tokens, body)
    assert answer.status_code == 300 and answer.json()["code"] == 300, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert zoom.meetings == []


def test_zoom_start_time_zones_and_recurrence(zoom, http):
    tokens = zoom_tokens(zoom, http)
    utc = create(zoom, http, tokens, {**MEETING, "start_time": "2026-11-19T15:00:00Z"}).json()
    assert utc["start_time"] == "2026-11-19T15:00:00Z" and utc["timezone"] == "America/Los_Angeles"
    bare_utc = create(zoom, http, tokens, {"topic": "t", "type": 2, "start_time": "2026-11-19T15:00:00Z"})
    assert bare_utc.status_code == 201
    recurrence = {"type": 2, "repeat_interval": 1, "weekly_days": "3,5", "end_times": 6}
    weekly = create(zoom, http, tokens, {**MEETING, "type": 8, "recurrence": recurrence}).json()
    assert weekly["type"] == 8 and weekly["recurrence"] == recurrence and weekly["occurrences"] == []
    monthly = {"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_date_time": "2027-06-01T00:00:00Z"}
    assert create(zoom, http, tokens, {**MEETING, "type": 8, "recurrence": monthly}).status_code == 201
    instant = create(zoom, http, tokens, {"topic": "now", "type": 1}).json()
    assert instant["start_time"].endswith("Z") and "recurrence" not in instant
    not_json = http.post(zoom.api_url + "/users/me/meetings", content=b"{oops",
                         headers={"Authorization": f"Bearer {tokens['access_token']}", "Content-Type": "application/json"})
    assert not_json.status_code == 300 and not_json.json()["code"] == 300
    other = http.post(zoom.api_url + "/users/nobody/meetings", json=MEETING,
                      headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert other.status_code == 404 and other.json()["code"] == 1001
    assert len(zoom.meetings) == 5 and len(set(zoom.start_urls())) == 5
    assert len({m["id"] for _, m in zoom.meetings}) == 5


def test_zoom_refresh_rotates_and_expiry_is_code_124(zoom, http):
    first = zoom_tokens(zoom, http)
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    second = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data=refresh).json()
    assert second["refresh_token"] != first["refresh_token"] and second["access_token"] != first["access_token"]
    reused = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data=refresh)
    assert reused.status_code == 400 and reused.json() == {"reason": "Invalid Token!", "error": "invalid_grant"}
    assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 1

    zoom.expire_access_tokens()
    expired = http.get(zoom.api_url + "/users/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert expired.status_code == 401 and expired.json() == {"code": 124, "message": "Invalid access token."}
    zoom.set_refresh_delay(0.2)
    began = time.monotonic()
    third = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC,
                      data={"grant_type": "refresh_token", "refresh_token": second["refresh_token"]}).json()
    assert time.monotonic() - began >= 0.2 and zoom.refresh_count == 2
    assert create(zoom, http, third, MEETING).status_code == 201

    revoke = http.post(zoom.oauth_url + "/revoke", auth=ZOOM_BASIC, data={"token": third["access_token"]})
    assert revoke.json() == {"status": "success"} and zoom.calls("revoke")
    assert create(zoom, http, third, MEETING).status_code == 401
    dead = http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC,
                     data={"grant_type": "refresh_token", "refresh_token": third["refresh_token"]})
    assert dead.status_code == 400


def test_zoom_fail_injection(zoom, http):
    tokens = zoom_tokens(zoom, http)
    zoom.fail("create", 429, {"code": 429, "message": "You have exceeded the daily rate limit (100)"},
              headers={"Retry-After": "2026-11-19T00:00:00Z", "X-RateLimit-Type": "Daily-limit"})
    limited = create(zoom, http, tokens, MEETING)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "2026-11-19T00:00:00Z"
    assert "daily rate limit" in limited.json()["message"] and zoom.meetings == []
    assert create(zoom, http, tokens, MEETING).status_code == 201  # times=1

    zoom.fail("me", 502, "not json", times=2)
    for _ in range(2):
        broken = http.get(zoom.api_url + "/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert broken.status_code == 502 and broken.text == "not json"
    zoom.fail("create", 200, "")
    empty = create(zoom, http, tokens, MEETING)
    assert empty.status_code == 200 and empty.content == b""
    zoom.fail("token", 503)
    assert http.post(zoom.oauth_url + "/token", auth=ZOOM_BASIC, data={}).json()["error"] == "server_error"
    zoom.fail("create", 401)
    assert create(zoom, http, tokens, MEETING).json()["code"] == 124
    assert len(zoom.meetings) == 1 and len(zoom.calls("create")) == 4


def test_zoom_create_then_hang_makes_the_meeting_first(zoom, http):
    tokens = zoom_tokens(zoom, http)
    zoom.create_then_hang(3)
    with pytest.raises(httpx.ReadTimeout):
        http.post(zoom.api_url + "/users/me/meetings", json=MEETING, timeout=0.5,
                  headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert len(zoom.meetings) == 1 and len(zoom.calls("create")) == 1 and len(zoom.start_urls()) == 1
    assert create(zoom, http, tokens, MEETING).status_code == 201  # only the next one hangs


def test_zoom_delay_and_stop_releases_waiters(http):
    zoom = FakeZoom().start()
    tokens = zoom_tokens(zoom, http)
    zoom.delay("me", 0.2)
    began = time.monotonic()
    http.get(zoom.api_url + "/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert time.monotonic() - began >= 0.2
    zoom.create_then_hang(30)
    outcome = []

    def hung() -> None:
        try:
            outcome.append(create(zoom, http, tokens, MEETING).status_code)
        except httpx.HTTPError as error:
            outcome.append(type(error).__name__)

    worker = threading.Thread(target=hung)
    worker.start()
    zoom.wait_for("create")
    began = time.monotonic()
    zoom.stop()
    worker.join(5)
    assert time.monotonic() - began < 3 and outcome and not worker.is_alive()


def test_zoom_webhook_helpers():
    body = b'{"event":"app_deauthorized","payload":{"user_id":"zoomuser1"}}'
    expected = hmac.new(b"whsec", b"v0:1700000000:" + body, hashlib.sha256).hexdigest()
    assert webhook_signature("whsec", body, "1700000000") == "v0=" + expected
    assert url_validation_answer("whsec", "plain") == {
        "plainToken": "plain", "encryptedToken": hmac.new(b"whsec", b"plain", hashlib.sha256).hexdigest()}


# -- Dialpad ---------------------------------------------------------------------------------------------

DP_REDIRECT = "https://meetbot.example.test/oauth/dialpad/callback"
START = 1795100400  # 2026-11-19T15:00:00Z
DP_MEETING = {"title": "Design review", "start_datetime": START, "end_datetime": START + 2700, "duration": 2700,
              "meeting_type": "UNIQUE_MEETING", "user_id": 5835806903417907,
              "participants_info": [{"email": "carol@example.com"}], "recurrence": "FREQ=WEEKLY;BYDAY=FR;COUNT=4"}


def dp_query(**extra) -> dict:
    return {"response_type": "code", "client_id": "dialpad-client", "redirect_uri": DP_REDIRECT, "state": "s1",
            "scope": "conference:all offline_access", **extra}


def dialpad_tokens(dialpad, http, **extra) -> dict:
    code = dialpad.authorize(dp_query())
    answer = http.post(dialpad.oauth_url + "/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": DP_REDIRECT,
        "client_id": "dialpad-client", "client_secret": "dialpad-secret"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def dp_create(dialpad, http, token, body) -> httpx.Response:
    return http.post(dialpad.api_url + "/meetings", json=body, headers={"Authorization": f"Bearer {token}"})


def test_dialpad_authorize_token_me_users_create(dialpad, http):
    with pytest.raises(AssertionError, match="offline_access"):
        dialpad.authorize(dp_query(scope="conference:all"))
    tokens = dialpad_tokens(dialpad, http)
    assert tokens["access_token"].startswith("dialpad-at-") and tokens["refresh_token"].startswith("dialpad-rt-")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = http.get(dialpad.api_url + "/users/me", headers=bearer).json()
    assert me["id"] == "5835806903417907" and me["emails"] == ["bob@example.com"]
    found = http.get(dialpad.api_url + "/users", params={"email": "Bob@Example.com"}, headers=bearer).json()
    assert [u["id"] for u in found["items"]] == ["5835806903417907"] and found["cursor"] is None
    assert http.get(dialpad.api_url + "/users", params={"email": "x@example.com"}, headers=bearer).json() == {"items": []}

    answer = dp_create(dialpad, http, tokens["access_token"], DP_MEETING)
    assert answer.status_code == 200, answer.text
    made = answer.json()
    assert isinstance(made["id"], str) and made["meeting_url"].startswith("https://meetings.dialpad.example/room/")
    assert made["dial_in_number"] == "+1 415 555 0100" and made["participant_pin"] == "123456"
    assert made["duration"] == 2700 and made["recurrence"] == DP_MEETING["recurrence"]
    assert dialpad.meetings == [(DP_MEETING, made)]
    company = dp_create(dialpad, http, "dialpad-company-key", {**DP_MEETING, "recurrence": None})
    assert company.status_code == 200 and len(dialpad.meetings) == 2
    assert dialpad.wait_for("create", 2)[1].headers["authorization"] == "Bearer dialpad-company-key"


def test_dialpad_pkce_basic_auth_and_client_errors(dialpad, http):
    verifier, challenge = pkce()
    code = dialpad.authorize(dp_query(code_challenge=challenge, code_challenge_method="S256"))
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": DP_REDIRECT, "code_verifier": "y" * 43}
    basic = ("dialpad-client", "dialpad-secret")
    bad = http.post(dialpad.oauth_url + "/token", auth=basic, data=form)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    wrong_client = http.post(dialpad.oauth_url + "/token", auth=("dialpad-client", "nope"), data=form)
    assert wrong_client.status_code == 401 and wrong_client.json()["error"] == "invalid_client"
    good = http.post(dialpad.oauth_url + "/token", auth=basic, data={**form, "code_verifier": verifier})
    assert good.status_code == 200 and "conference:all" in good.json()["scope"]


@pytest.mark.parametrize("change, words", [
    ({"start_datetime": START * 1000, "end_datetime": (START + 2700) * 1000, "duration": 2700_000}, "milliseconds"),
    ({"duration": 45}, "duration"),  # minutes: does not match end - start
    ({"start_datetime": float(START)}, "start_datetime"),
    ({"end_datetime": str(START + 2700)}, "end_datetime"),
    ({"end_datetime": START}, "after"),
    ({"user_id": "5835806903417907"}, "user_id"),
    ({"meeting_type": "SCHEDULED"}, "meeting_type"),
    ({"title": None}, "title"),
    ({"participants_info": ["carol@example.com"]}, "participants_info"),
    ({"recurrence": {"freq": "weekly"}}, "recurrence"),
])
def test_dialpad_validation(dialpad, http, change, words):
    tokens = dialpad_tokens(dialpad, http)
    body = {**DP_MEETING, **change}
    answer = dp_create(dialpad, http, tokens["access_token"], {k: v for k, v in body.items() if v is not None or k == "recurrence"})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == 400 and words in error["message"] and error["errors"][0]["reason"] == "invalid"
    assert dialpad.meetings == []


def test_dialpad_refresh_rotation_expiry_and_users(dialpad, http):
    first = dialpad_tokens(dialpad, http)
    creds = {"client_id": "dialpad-client", "client_secret": "dialpad-secret"}
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **creds}
    second = http.post(dialpad.oauth_url + "/token", data=refresh).json()
    assert second["refresh_token"] != first["refresh_token"]
    reused = http.post(dialpad.oauth_url + "/token", data=refresh)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert dialpad.refresh_count == 1 and dialpad.invalid_grant_count == 1

    dialpad.expire_access_tokens()
    expired = http.get(dialpad.api_url + "/users/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert expired.status_code == 401 and expired.json()["error"]["code"] == 401
    key = {"Authorization": "Bearer dialpad-company-key"}
    dialpad.add_user("sue@example.com", id="111", state="suspended")
    assert http.get(dialpad.api_url + "/users", params={"email": "sue@example.com"}, headers=key).json()["items"][0]["id"] == "111"
    active = http.get(dialpad.api_url + "/users", params={"email": "sue@example.com", "state": "active"}, headers=key)
    assert active.json() == {"items": []}
    assert dp_create(dialpad, http, "dialpad-company-key", {**DP_MEETING, "user_id": 222}).status_code == 404
    assert http.post(dialpad.oauth_url + "/deauthorize", headers={"Authorization": f"Bearer {second['access_token']}"}).json() == {}
    assert http.post(dialpad.oauth_url + "/token", data={**refresh, "refresh_token": second["refresh_token"]}).status_code == 400


def test_dialpad_injection_and_missing_meeting_url(dialpad, http):
    tokens = dialpad_tokens(dialpad, http)
    dialpad.fail("create", 429)
    limited = dp_create(dialpad, http, tokens["access_token"], DP_MEETING)
    assert limited.status_code == 429 and "retry-after" not in limited.headers
    assert limited.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded" and dialpad.meetings == []
    dialpad.fail("users", 500, "<html>oops</html>")
    broken = http.get(dialpad.api_url + "/users", params={"email": "bob@example.com"},
                      headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert broken.status_code == 500 and broken.text == "<html>oops</html>"

    dialpad.omit_meeting_url()
    bare = dp_create(dialpad, http, tokens["access_token"], DP_MEETING).json()
    assert "meeting_url" not in bare and bare["id"]
    assert "meeting_url" in dp_create(dialpad, http, tokens["access_token"], DP_MEETING).json()
    assert len(dialpad.meetings) == 2 and len(dialpad.calls("create")) == 3


def test_clear_failures_ends_an_outage(zoom, http):
    zoom.fail("me", 503, times=None)
    assert http.get(f"{zoom.api_url}/users/me").status_code == 503
    zoom.clear_failures("me")
    assert http.get(f"{zoom.api_url}/users/me").status_code == 401  # back to normal: no token sent
