"""The test doubles themselves: if FakeSlack or the payload builders lie, every end-to-end test lies with them."""

from __future__ import annotations

import html
import json
import re
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


# -- installing the app into several workspaces (OAuth v2) -------------------------------------------------

INSTALL_REDIRECT = "https://meetbot.example/slack/oauth_redirect"


def install_query(slack, **overrides) -> dict:
    query = {"client_id": slack.openid_client[0], "scope": "commands,chat:write", "user_scope": "",
             "state": "s-123", "redirect_uri": INSTALL_REDIRECT}
    return {k: v for k, v in {**query, **overrides}.items() if v is not None}


def visit_install_page(slack, **overrides) -> httpx.Response:
    return httpx.get(slack.oauth_url + "/oauth/v2/authorize", params=install_query(slack, **overrides))


def link_back(page: httpx.Response) -> tuple[str, dict]:
    """Where the page's link goes: (url without query, its query parameters)."""
    href = html.unescape(re.search(r'href="([^"]*)"', page.text).group(1))
    url, _, query = href.partition("?")
    return url, {k: v[0] for k, v in parse_qs(query).items()}


def install(slack, user: str, team: str) -> dict:
    """The whole browser round trip, then the app's oauth.v2.access: Slack's answer."""
    slack.install_as(user, team)
    page = visit_install_page(slack)
    assert page.status_code == 200, page.text
    _, back = link_back(page)
    return WebClient(base_url=slack.base_url).oauth_v2_access(
        client_id=slack.openid_client[0], client_secret=slack.openid_client[1], code=back["code"],
        redirect_uri=INSTALL_REDIRECT).data


def test_installs_into_several_workspaces_and_answers_per_token(slack, client):
    slack.add_workspace("T2", "Acme")
    slack.add_workspace("T3", "Grid Co", enterprise_id="E1")
    slack.install_as("U7", "T2")
    page = visit_install_page(slack)
    url, back = link_back(page)
    assert page.status_code == 200 and url == INSTALL_REDIRECT and back["state"] == "s-123"
    [authorize] = slack.calls("oauth.v2.authorize")
    assert authorize.body["scope"] == "commands,chat:write" and authorize.body["client_id"] == "slack-client"

    acme = WebClient(base_url=slack.base_url).oauth_v2_access(
        client_id="slack-client", client_secret="slack-secret", code=back["code"], redirect_uri=INSTALL_REDIRECT).data
    token = acme["access_token"]
    assert token.startswith("xoxb-T2-") and slack.calls("oauth.v2.access")[0].headers["authorization"].startswith("Basic ")
    assert acme == {"ok": True, "app_id": "A0FAKE", "authed_user": {"id": "U7"}, "scope": "commands,chat:write",
                    "token_type": "bot", "access_token": token, "bot_user_id": "UBOTT2",
                    "team": {"id": "T2", "name": "Acme"}, "enterprise": None, "is_enterprise_install": False}
    grid = install(slack, "U8", "T3")
    assert grid["team"] == {"id": "T3", "name": "Grid Co"} and grid["enterprise"] == {"id": "E1", "name": "E1"}
    assert grid["access_token"] != token and slack.tokens_for("T2") == [token]

    acme_client = WebClient(token=token, base_url=slack.base_url)
    assert {k: v for k, v in acme_client.auth_test().data.items() if k != "url"} == {
        "ok": True, "team": "Acme", "user": "meetbot", "team_id": "T2", "user_id": "UBOTT2", "bot_id": "BT2",
        "is_enterprise_install": False}
    assert acme_client.users_info(user="U7")["user"]["team_id"] == "T2"
    grid_auth = WebClient(token=grid["access_token"], base_url=slack.base_url).auth_test()
    assert (grid_auth["team_id"], grid_auth["enterprise_id"], grid_auth["bot_id"]) == ("T3", "E1", "BT3")
    acme_client.chat_postMessage(channel="C1", text="hi")
    assert [c.method for c in slack.calls_by_token(token)] == ["auth.test", "users.info", "chat.postMessage"]

    default = client.auth_test().data  # the settings' token was never issued here: T1 as always
    assert (default["team_id"], default["user_id"], default["bot_id"]) == ("T1", "UBOT", "BBOT")
    assert "enterprise_id" not in default and client.users_info(user="U7")["user"]["team_id"] == "T1"


def test_call_token_is_the_bearer_else_the_token_field(slack):
    httpx.post(slack.base_url + "auth.test", headers={"Authorization": "Bearer xoxb-header"})
    httpx.post(slack.base_url + "auth.test", data={"token": "xoxb-form"})
    httpx.post(slack.base_url + "auth.test", json={"token": "xoxb-json"})
    httpx.post(slack.base_url + "auth.test")
    assert [c.token for c in slack.calls("auth.test")] == ["xoxb-header", "xoxb-form", "xoxb-json", ""]
    assert [c.body.get("token") for c in slack.calls_by_token("xoxb-form")] == ["xoxb-form"]


def test_oauth_v2_access_checks_client_code_and_redirect_uri(slack):
    code = slack.oauth_v2_authorize(install_query(slack))
    form = {"code": code, "redirect_uri": INSTALL_REDIRECT}
    access = slack.base_url + "oauth.v2.access"
    assert httpx.post(access, data={**form, "client_id": "slack-client", "client_secret": "nope"}).json() == {
        "ok": False, "error": "invalid_client_id"}
    assert httpx.post(access, data=form, auth=("other", "slack-secret")).json()["error"] == "invalid_client_id"
    moved = httpx.post(access, data={**form, "redirect_uri": INSTALL_REDIRECT + "x"}, auth=slack.openid_client)
    assert moved.json() == {"ok": False, "error": "bad_redirect_uri"}
    answer = httpx.post(access, data={**form, "client_id": "slack-client", "client_secret": "slack-secret"}).json()
    assert answer["ok"] and answer["team"]["id"] == "T1" and answer["authed_user"] == {"id": "U1"}
    with pytest.raises(SlackApiError) as reused:  # single use
        WebClient(base_url=slack.base_url).oauth_v2_access(client_id="slack-client", client_secret="slack-secret",
                                                           code=code, redirect_uri=INSTALL_REDIRECT)
    assert reused.value.response["error"] == "invalid_code"
    assert len(slack.calls("oauth.v2.access")) == 5


@pytest.mark.parametrize("overrides, reason", [
    ({"client_id": "other-app"}, "unknown client_id"),
    ({"scope": ""}, "scope"),
    ({"state": None}, "state"),
    ({"redirect_uri": None}, "redirect_uri"),
])
def test_install_page_refuses_a_bad_request_with_the_reason(slack, overrides, reason):
    page = visit_install_page(slack, **overrides)
    assert page.status_code == 400 and reason in page.text and "code=" not in page.text
    assert len(slack.calls("oauth.v2.authorize")) == 1  # recorded even when refused: what the app sent


def test_install_page_refuses_an_unknown_workspace_and_can_be_cancelled(slack):
    slack.install_as("U1", "T9")
    page = visit_install_page(slack)
    assert page.status_code == 400 and "add_workspace" in page.text
    with pytest.raises(AssertionError, match="T9"):
        slack.oauth_v2_authorize(install_query(slack), team="T9")

    slack.install_as("U1", "T1", deny=True)
    cancelled = visit_install_page(slack)
    assert cancelled.status_code == 200 and link_back(cancelled) == (
        INSTALL_REDIRECT, {"error": "access_denied", "state": "s-123"})
    assert len(slack.calls("oauth.v2.authorize")) == 3 and slack.tokens_for("T1") == []


def test_reinstall_adds_a_token_and_revocation_kills_old_ones(slack, client):
    slack.add_workspace("T2")
    first, second = install(slack, "U1", "T2"), install(slack, "U2", "T2")
    assert first["team"] == {"id": "T2", "name": "T2"}
    old, new = first["access_token"], second["access_token"]
    assert slack.tokens_for("T2") == [old, new] and slack.tokens_for("T1") == []
    old_client, new_client = (WebClient(token=t, base_url=slack.base_url) for t in (old, new))
    assert old_client.auth_test()["team_id"] == new_client.auth_test()["team_id"] == "T2"

    assert new_client.auth_revoke(test=True).data == {"ok": True, "revoked": False}
    assert new_client.auth_revoke().data == {"ok": True, "revoked": True}
    with pytest.raises(SlackApiError) as revoked:
        new_client.auth_test()
    assert revoked.value.response.status_code == 200 and revoked.value.response.data == {
        "ok": False, "error": "invalid_auth"}
    assert old_client.auth_test()["ok"]  # revoking one token leaves the others

    slack.revoke_workspace("T2")  # the app is uninstalled
    for method in ("auth.test", "chat.postMessage", "users.info"):
        assert httpx.post(slack.base_url + method, headers={"Authorization": f"Bearer {old}"}).json() == {
            "ok": False, "error": "invalid_auth"}
    again = install(slack, "U1", "T2")["access_token"]
    assert WebClient(token=again, base_url=slack.base_url).auth_test()["team_id"] == "T2"
    assert slack.tokens_for("T2") == [old, new, again]
    assert client.auth_revoke().data == {"ok": True} and client.auth_test()["team_id"] == "T1"
