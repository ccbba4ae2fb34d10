"""Zoom end to end: link over OAuth, create from the modal, refresh and rotation, errors, deauthorize."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time

from tests.fakes.zoom import webhook_signature
from tests.harness import on_both_backends  # noqa: F401 - Zoom meetings, refresh and webhooks on both backends
from tests.providers.conftest import callback, link, open_and_submit, start_link
from tests.slack_payloads import message_action, slash


def channel_posts(slack):
    return [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == "C1"]


def test_link_stores_encrypted_tokens_and_makes_zoom_the_default(meetbot, slack, zoom, tmp_path):
    location, query, nonce = start_link(meetbot, slack, "zoom")
    assert location.startswith(zoom.oauth_url + "/authorize?")
    assert query["redirect_uri"] == "https://meetbot.example.test/oauth/zoom/callback"
    assert query["code_challenge_method"] == "S256" and query["response_type"] == "code"
    page = callback(meetbot, "zoom", {"code": zoom.authorize(query), "state": query["state"]}, nonce)
    assert page.status_code == 200 and "Zoom connected" in page.text
    meetbot.wait_idle()
    account = meetbot.store.get_account("T1", "U1", "zoom")
    assert account.email == "alice@example.com" and account.status == "active"
    assert meetbot.store.get_default_provider("T1", "U1") == "zoom"
    [dm] = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "U1"]
    assert "Zoom connected as alice@example.com" in dm.body["text"]
    raw = meetbot.stored_bytes()
    assert account.access_token.encode() not in raw and account.refresh_token.encode() not in raw


def test_bad_states_are_400_and_change_nothing(meetbot, slack, zoom):
    _, query, nonce = start_link(meetbot, slack, "zoom")
    code = zoom.authorize(query)
    tampered = query["state"][:-3] + ("aaa" if not query["state"].endswith("aaa") else "bbb")
    assert callback(meetbot, "zoom", {"code": code, "state": tampered}, nonce).status_code == 400
    assert callback(meetbot, "zoom", {"code": code, "state": query["state"]}, None).status_code == 400  # other browser
    assert callback(meetbot, "dialpad", {"code": code, "state": query["state"]}, nonce).status_code == 400  # foreign
    assert meetbot.store.get_account("T1", "U1", "zoom") is None
    assert callback(meetbot, "zoom", {"code": code, "state": query["state"]}, nonce).status_code == 200
    replay = callback(meetbot, "zoom", {"code": code, "state": query["state"]}, nonce)
    assert replay.status_code == 400 and "already used" in replay.text


def test_denied_authorisation_shows_a_page_and_changes_nothing(meetbot, slack, zoom):
    _, query, nonce = start_link(meetbot, slack, "zoom")
    page = callback(meetbot, "zoom", {"error": "access_denied", "state": query["state"]}, nonce)
    assert page.status_code == 400 and "nothing changed" in page.text
    assert meetbot.store.get_account("T1", "U1", "zoom") is None


def test_create_on_zoom_posts_join_link_and_keeps_start_url_private(meetbot, slack, zoom):
    slack.set_user("U1", tz="America/Los_Angeles")
    link(meetbot, slack, zoom, "zoom")
    response = open_and_submit(meetbot, slack, when="tomorrow 3pm for 45m")
    assert response.status_code == 200 and response.text == ""
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [(sent, created)] = zoom.meetings
    assert sent["start_time"] == "2026-11-19T15:00:00"  # LA wall time, not UTC
    assert sent["timezone"] == "America/Los_Angeles" and sent["duration"] == 45 and sent["type"] == 2
    [post] = channel_posts(slack)
    assert post.body["blocks"][-1]["elements"][0]["url"] == created["join_url"]
    assert "on Zoom" in post.body["blocks"][0]["text"]["text"]
    leaks = slack.find_leaks(zoom.start_urls(), allow=lambda c: c.method == "chat.postEphemeral" and c.body.get("user") == "U1")
    assert leaks == []
    [host_note] = slack.calls("chat.postEphemeral")
    # The note carries "Start as host", which fetches a fresh start_url on click: no credential rests in it.
    assert created["start_url"] not in json.dumps(host_note.body) and host_note.body["user"] == "U1"
    assert host_note.body["blocks"][-1]["elements"][0]["action_id"] == "meet_host_link"
    record = meetbot.store.get_meeting("view:T1:V42")
    assert record.provider_meeting_id == str(created["id"]) and record.status == "posted"
    assert record.meeting.host_url is None and "start_url" not in json.dumps(record.request.to_json())


def test_recurring_zoom_meeting_maps_the_rrule(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    open_and_submit(meetbot, slack, title="Sync", when="every tuesday and thursday 10am, 6 times")
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [(sent, _)] = zoom.meetings
    assert sent["type"] == 8
    assert sent["recurrence"] == {"type": 2, "repeat_interval": 1, "weekly_days": "3,5", "end_times": 6}


def test_a_repeat_zoom_cannot_express_is_an_inline_error(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    body = open_and_submit(meetbot, slack, when="every year on dec 25 9am").json()
    assert body["response_action"] == "errors" and "Zoom can't repeat" in body["errors"]["when"]
    assert zoom.calls("create") == []


def test_expired_access_token_is_refreshed_and_rotated(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    before = meetbot.store.get_account("T1", "U1", "zoom")
    zoom.expire_access_tokens()
    open_and_submit(meetbot, slack)
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    after = meetbot.store.get_account("T1", "U1", "zoom")
    assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 0
    assert after.refresh_token != before.refresh_token and after.version > before.version
    assert len(zoom.meetings) == 1


def test_twenty_concurrent_creations_refresh_once(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.expire_access_tokens()
    zoom.set_refresh_delay(0.3)
    slack.clear()
    meetbot.post(slash(""))
    [opened] = slack.wait_for("views.open")
    from tests.slack_payloads import view_submission

    def submit(i: int) -> None:
        view = {**opened.body["view"], "id": f"V{i}", "hash": "h"}
        values = {"title": f"M{i}", "when": "tomorrow 3pm", "provider": ("static_select", "zoom"),
                  "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
        assert meetbot.post(view_submission(view, values)).status_code == 200

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slack.wait_for("chat.postMessage", count=20, timeout=20)
    meetbot.wait_idle(20)
    assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 0
    assert len(zoom.meetings) == 20 and len(channel_posts(slack)) == 20


def test_revoked_refresh_token_disconnects_with_a_reconnect_button(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.expire_access_tokens()
    zoom.fail("token", 400, {"reason": "Invalid Token!", "error": "invalid_grant"})
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral")
    assert "Reconnect" in json.dumps(note.body["blocks"])
    assert meetbot.store.get_account("T1", "U1", "zoom").status == "disconnected"
    assert meetbot.store.get_meeting("view:T1:V42").status == "failed"


def test_rate_limit_tells_when_and_retry_creates_once(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.fail("create", 429, {"code": 429, "message": "You have exceeded the daily rate limit (100)"},
              headers={"Retry-After": "2026-11-19T00:00:00Z"})
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral")
    text = json.dumps(note.body["blocks"])
    assert "too many requests" in text and "meet_retry" in text
    assert meetbot.store.get_meeting("view:T1:V42").status == "failed"
    retry = message_action("meet_retry", "view:T1:V42")
    meetbot.post(retry)
    meetbot.post(retry)  # clicked twice
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    assert len(zoom.meetings) == 1 and len(channel_posts(slack)) == 1
    assert meetbot.store.get_meeting("view:T1:V42").status == "posted"


def test_server_errors_are_retried_with_backoff(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.fail("create", 503, times=2)
    open_and_submit(meetbot, slack)
    slack.wait_for("chat.postMessage", timeout=10)
    meetbot.wait_idle()
    assert len(zoom.calls("create")) == 3 and len(zoom.meetings) == 1


def test_validation_error_shows_zooms_message(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.fail("create", 300, {"code": 300, "message": "Invalid enforce_login_domains"})
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral")
    assert "Invalid enforce_login_domains" in json.dumps(note.body)


def test_a_create_that_times_out_is_not_retried_blindly(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.create_then_hang(4)
    zoom.fail("list", 400, times=None)  # and Zoom can't tell us whether it made it
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral", timeout=10)
    assert "may or may not exist" in json.dumps(note.body)
    assert len(zoom.meetings) == 1 and len(zoom.calls("create")) == 1
    assert meetbot.store.get_meeting("view:T1:V42").status == "unknown"


def test_a_create_that_times_out_is_found_among_upcoming_meetings_and_adopted(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.create_then_hang(4)
    open_and_submit(meetbot, slack)
    [post] = slack.wait_for("chat.postMessage", timeout=10)
    note = slack.wait_for_note("U1", "Start it as host from your Zoom app")
    assert post.body["blocks"][-1]["elements"][0]["url"] == zoom.meetings[0][1]["join_url"]
    assert len(zoom.calls("create")) == 1 and zoom.calls("list") and "zak=" not in json.dumps(note.body)
    meetbot.wait_idle()
    record = meetbot.store.get_meeting("view:T1:V42")
    assert record.status == "posted" and record.provider_meeting_id == str(zoom.meetings[0][1]["id"])
    assert "found at the provider" in meetbot.store.history("view:T1:V42")[-2].reason


def test_unlink_revokes_and_deletes(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    meetbot.post(slash("unlink zoom", response_url=slack.response_url("unlink")))
    meetbot.wait_idle()
    assert zoom.calls("revoke") and meetbot.store.get_account("T1", "U1", "zoom") is None
    assert meetbot.store.get_default_provider("T1", "U1") == "jitsi"


def test_status_and_default(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    meetbot.post(slash("default jitsi", response_url=slack.response_url("default")))
    meetbot.wait_idle()  # the two commands run as separate jobs: let the first finish
    meetbot.post(slash("status", response_url=slack.response_url("status")))
    meetbot.wait_idle()
    slack.wait_for_note("U1", "Jitsi by default")
    status = slack.wait_for_note("U1", "*Default:*").body["text"]
    assert "Zoom: alice@example.com (connected)" in status and "*Default:* Jitsi" in status


def test_deauthorization_webhook_deletes_tokens(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    body = json.dumps({"event": "app_deauthorized", "payload": {"user_id": "zoomuser1", "account_id": "acct1"}}).encode()
    ts = str(int(time.time()))
    bad = meetbot.http.post(f"{meetbot.base_url}/zoom/webhook", content=body,
                            headers={"x-zm-request-timestamp": ts, "x-zm-signature": "v0=00"})
    assert bad.status_code == 401 and meetbot.store.get_account("T1", "U1", "zoom") is not None
    good = meetbot.http.post(f"{meetbot.base_url}/zoom/webhook", content=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": webhook_signature("zoom-webhook-secret", body, ts)})
    assert good.status_code == 200 and meetbot.store.get_account("T1", "U1", "zoom") is None


def test_url_validation(meetbot):
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}).encode()
    ts = str(int(time.time()))
    answer = meetbot.http.post(f"{meetbot.base_url}/zoom/webhook", content=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": webhook_signature("zoom-webhook-secret", body, ts)}).json()
    assert answer["encryptedToken"] == hmac.new(b"zoom-webhook-secret", b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()


def test_modal_lists_linked_providers_with_the_default(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    slack.clear()
    meetbot.post(slash(""))
    [opened] = slack.wait_for("views.open")
    provider = next(b for b in opened.body["view"]["blocks"] if b.get("block_id") == "provider")["element"]
    assert [o["value"] for o in provider["options"]] == ["zoom", "jitsi"]
    assert provider["initial_option"]["value"] == "zoom"

