"""The test doubles themselves: if FakeSlack or the payload builders lie, every end-to-end test lies with them."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qs

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from tests.fakes import FakeSlack
from tests.slack_payloads import (SIGNING_SECRET, block_action, event, message_action, signed_headers, slash,
                                  view_submission)

VIEW = {"type": "modal", "callback_id": "meet_modal", "private_metadata": "{\"c\":\"C1\"}",
        "title": {"type": "plain_text", "text": "Meet"},
        "blocks": [{"type": "input", "block_id": "title", "element": {"type": "plain_text_input", "action_id": "value"},
                    "label": {"type": "plain_text", "text": "Title"}}]}


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack):
    return WebClient(token="xoxb-test", base_url=slack.base_url, timeout=5)


def payload_of(body: str) -> dict:
    return json.loads(parse_qs(body)["payload"][0])


def test_webclient_calls_are_recorded_and_answered(slack, client):
    assert client.auth_test()["bot_id"] == "BBOT"
    opened = client.views_open(trigger_id="t1", view=VIEW)
    assert opened["view"]["id"] == "V1" and opened["view"]["callback_id"] == "meet_modal"
    updated = client.views_update(view_id=opened["view"]["id"], view=VIEW)
    assert updated["view"]["id"] == "V1"

    first = client.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}])
    second = client.chat_postMessage(channel="C1", text="again")
    assert first["channel"] == "C1" and float(second["ts"]) > float(first["ts"])

    [call] = slack.wait_for("views.open")
    assert call.body["trigger_id"] == "t1" and call.body["view"]["blocks"] == VIEW["blocks"]
    assert call.headers["authorization"] == "Bearer xoxb-test"
    [post, _] = slack.wait_for("chat.postMessage", count=2)
    assert post.body["blocks"][0]["text"]["text"] == "hi"
    assert [c.method for c in slack.calls()] == ["auth.test", "views.open", "views.update", "chat.postMessage", "chat.postMessage"]
    assert slack.calls_to("views.update")[0].body["view_id"] == "V1"
    slack.clear()
    assert slack.calls() == []


def test_users_info_uses_set_user(slack, client):
    slack.set_user("U2", tz="Europe/Paris", email="ana@example.test", name="ana")
    slack.set_user("U3", tz=None)
    user = client.users_info(user="U2")["user"]
    assert (user["tz"], user["profile"]["email"], user["name"]) == ("Europe/Paris", "ana@example.test", "ana")
    assert "tz" not in client.users_info(user="U3")["user"]
    unknown = client.users_info(user="U9")["user"]
    assert (unknown["tz"], unknown["profile"]["email"]) == ("UTC", "u9@example.com")
    assert slack.calls("users.info")[0].body["user"] == "U2"


def test_form_encoded_json_fields_are_decoded(slack, client):
    client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps([{"type": "divider"}])})
    assert slack.wait_for("chat.postMessage")[0].body["blocks"] == [{"type": "divider"}]
    assert client.conversations_open(users=["U2"])["channel"]["id"] == "DU2"


def test_bad_token_is_not_authed(slack):
    bad = WebClient(token="xoxp-user", base_url=slack.base_url)
    with pytest.raises(SlackApiError) as error:
        bad.auth_test()
    assert error.value.response["error"] == "not_authed"
    assert len(slack.calls("auth.test")) == 1


def test_fail_once_then_succeed(slack, client):
    slack.fail("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="C1", text="x")
    assert error.value.response["error"] == "not_in_channel"
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert len(slack.calls("chat.postMessage")) == 2


def test_rate_limit_with_retry_after_is_recorded(slack):
    slack.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"}, times=None)
    response = httpx.post(slack.base_url + "chat.postMessage", json={"channel": "C1"},
                          headers={"Authorization": "Bearer xoxb-test"})
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    assert response.json() == {"ok": False, "error": "ratelimited"}
    assert httpx.post(slack.base_url + "chat.postMessage", json={}, headers={"Authorization": "Bearer xoxb-t"}).status_code == 429
    assert len(slack.calls("chat.postMessage")) == 2


def test_response_url_posts_are_recorded(slack):
    response = httpx.post(slack.response_url("cmd"), json={"response_type": "ephemeral", "text": "nope"})
    assert response.status_code == 200 and response.text == "ok"
    [reply] = slack.wait_for("response_url")
    assert reply.body == {"response_type": "ephemeral", "text": "nope", "_response_name": "cmd"}
    slack.fail("response_url", "expired_url", status=404)
    assert httpx.post(slack.response_url(), json={}).status_code == 404


def test_wait_for_times_out_quickly_with_a_summary(slack, client):
    client.auth_test()
    started = time.monotonic()
    with pytest.raises(AssertionError, match="auth.test x1"):
        slack.wait_for("views.open", timeout=0.2)
    assert time.monotonic() - started < 2


def test_wait_for_wakes_on_a_call_from_another_thread(slack, client):
    threading.Thread(target=client.auth_test, daemon=True).start()
    assert len(slack.wait_for("auth.test", timeout=5)) == 1


def test_assert_no_call(slack, client):
    slack.assert_no_call("views.open", within=0.05)
    client.views_open(trigger_id="t", view=VIEW)
    with pytest.raises(AssertionError):
        slack.assert_no_call("views.open", within=0.05)


def test_delay_slows_answers(slack, client):
    slack.delay("auth.test", 0.2)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.2


def test_find_leaks(slack, client):
    secret = "https://zoom.us/s/123?zak=SECRET"
    client.chat_postEphemeral(channel="C1", user="U1", text=f"start: {secret}")
    client.api_call("chat.postMessage", data={"channel": "C1", "text": f"oops {secret}"})  # form-encoded
    client.chat_postMessage(channel="C1", text="join: https://zoom.us/j/123")
    leaks = slack.find_leaks([secret], allow=lambda call: call.method == "chat.postEphemeral")
    assert [(call.method, found) for call, found in leaks] == [("chat.postMessage", secret)]
    assert len(slack.find_leaks([secret])) == 2


def test_signed_headers_verify():
    body = slash("Design review tomorrow 3pm")
    headers = signed_headers(body)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    stale = signed_headers(body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid(body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"])


def test_slash_body_has_the_slack_fields():
    fields = {k: v[0] for k, v in parse_qs(slash("now Standup", user="U7", trigger_id="tr"), keep_blank_values=True).items()}
    assert fields["text"] == "now Standup" and fields["user_id"] == "U7" and fields["trigger_id"] == "tr"
    assert fields["command"] == "/meet" and fields["api_app_id"] == "A1" and fields["is_enterprise_install"] == "false"
    assert parse_qs(slash(""), keep_blank_values=True)["text"] == [""]


def test_view_submission_payload():
    values = {"title": "Design review", "provider": ("static_select", "zoom"), "channel": ("conversations_select", "C1"),
              "invitees": ("multi_users_select", ["U2", "U3"]), "notes": None}
    payload = payload_of(view_submission({**VIEW, "id": "V42", "hash": "h9"}, values, user="U5"))
    assert payload["type"] == "view_submission" and payload["user"]["id"] == "U5" and payload["response_urls"] == []
    view = payload["view"]
    assert (view["id"], view["hash"], view["callback_id"]) == ("V42", "h9", "meet_modal")
    assert view["private_metadata"] == VIEW["private_metadata"] and view["blocks"] == VIEW["blocks"]
    state = view["state"]["values"]
    assert state["title"]["value"] == {"type": "plain_text_input", "value": "Design review"}
    assert state["provider"]["value"]["selected_option"]["value"] == "zoom"
    assert state["channel"]["value"]["selected_conversation"] == "C1"
    assert state["invitees"]["value"]["selected_users"] == ["U2", "U3"]
    assert state["notes"]["value"]["value"] is None
    assert payload_of(view_submission(VIEW, {}, view_id="V7"))["view"]["id"] == "V7"


def test_block_action_and_message_action_payloads():
    payload = payload_of(block_action({**VIEW, "id": "V42"}, "value", "when", "every monday 10am"))
    assert payload["type"] == "block_actions" and payload["container"] == {"type": "view", "view_id": "V42"}
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == ("value", "when", "every monday 10am")
    assert payload["view"]["state"]["values"]["when"]["value"]["value"] == "every monday 10am"

    clicked = payload_of(message_action("cancel", "m1", channel="C9", response_url="http://x/response/r"))
    assert clicked["container"]["type"] == "message" and clicked["channel"]["id"] == "C9"
    assert clicked["response_url"] == "http://x/response/r" and clicked["actions"][0]["type"] == "button"


def test_event_body():
    first, second = json.loads(event({"type": "app_home_opened", "user": "U1"})), json.loads(event({"type": "x"}))
    assert first["type"] == "event_callback" and first["event"]["user"] == "U1" and first["team_id"] == "T1"
    assert first["event_id"] != second["event_id"]
    assert signed_headers(event({"type": "x"}), content_type="application/json")["Content-Type"] == "application/json"
