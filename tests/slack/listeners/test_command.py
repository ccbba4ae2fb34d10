"""`/meet` end to end: signed slash commands over HTTP to meetbot, the fake Slack records what it did."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from slack_sdk.models.views import View

from tests.harness import FIXED_NOW, make_settings, running_meetbot
from tests.slack_payloads import slash


def opened_view(slack) -> dict:
    [call] = slack.wait_for("views.open")
    return call.body["view"]


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_bare_meet_acks_empty_then_opens_the_modal(meetbot, slack):
    response = meetbot.post(slash("", trigger_id="T-1"))
    assert response.status_code == 200 and response.text == ""
    [call] = slack.wait_for("views.open")
    assert call.body["trigger_id"] == "T-1"
    view = call.body["view"]
    View(**view).validate_json()
    assert view["callback_id"] == "meet_schedule"
    assert {"title", "when", "provider", "channel", "invitees"} <= {b.get("block_id") for b in view["blocks"]}
    options = block(view, "provider")["element"]["options"]
    assert [o["value"] for o in options] == ["jitsi"]
    metadata = json.loads(view["private_metadata"])
    assert metadata["c"] == "C1" and metadata["u"] == "U1" and metadata["r"]


def test_views_open_is_the_first_slack_call(meetbot, slack):
    slack.clear()  # auth.test ran once at start-up
    meetbot.post(slash("Design review tomorrow 3pm"))
    slack.wait_for("views.open")
    meetbot.wait_idle()
    methods = [c.method for c in slack.calls()]
    assert methods[0] == "views.open"  # users.info only after the trigger_id was used


def test_text_prefills_title_and_when_with_preview(meetbot, slack):
    meetbot.post(slash("Design review tomorrow 3pm for 45m"))
    view = opened_view(slack)
    assert block(view, "title")["element"]["initial_value"] == "Design review"
    assert block(view, "when")["element"]["initial_value"] == "tomorrow 3pm for 45m"
    assert "Thu 19 Nov, 15:00–15:45 UTC" in block(view, "when_preview")["elements"][0]["text"]


def test_preview_is_corrected_to_the_users_zone(meetbot, slack):
    slack.set_user("U1", tz="Asia/Tokyo")
    meetbot.post(slash("Design review tomorrow 3pm for 45m"))
    [update] = slack.wait_for("views.update")
    view = update.body["view"]
    assert "15:00–15:45 JST" in block(view, "when_preview")["elements"][0]["text"]
    assert json.loads(view["private_metadata"])["z"] == "Asia/Tokyo"


def test_unparseable_text_stays_in_when_with_the_hint(meetbot, slack):
    meetbot.post(slash("Design review someday"))
    view = opened_view(slack)
    assert block(view, "when")["element"]["initial_value"] == "Design review someday"
    assert "couldn't find a time" in block(view, "when_preview")["elements"][0]["text"]


def test_very_long_and_odd_text_still_opens_a_valid_modal(meetbot, slack):
    meetbot.post(slash("🎉 مرحبا " + "x" * 5000 + " tomorrow 3pm"))
    view = opened_view(slack)
    View(**view).validate_json()
    assert "too long" in block(view, "when_preview")["elements"][0]["text"]


def test_help_and_unknown_subcommands_answer_ephemerally(meetbot, slack):
    for text in ("help", "frobnicate"):
        response = meetbot.post(slash(text))
        assert response.status_code == 200
        body = response.json()
        assert "/meet now" in body["text"] and body.get("response_type", "ephemeral") == "ephemeral"
    assert "I don't know `frobnicate`" in response.json()["text"]
    slack.assert_no_call("views.open", within=0.2)


def test_meet_now_posts_an_instant_jitsi_meeting_without_a_modal(meetbot, slack):
    response = meetbot.post(slash("now Incident bridge"))
    assert response.status_code == 200 and response.text == ""
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C1"
    assert "*Incident bridge*" in post.body["blocks"][0]["text"]["text"]
    assert "Starting now" in post.body["blocks"][0]["text"]["text"]
    join = post.body["blocks"][-1]["elements"][0]
    assert join["url"].startswith("https://meet.example.test/incident-bridge-")
    slack.assert_no_call("views.open", within=0.2)


def test_meet_now_is_one_meeting_per_trigger_id_not_per_time_window(tmp_path, slack):
    clock = [FIXED_NOW.replace(minute=1, second=59)]  # one second before a 2-minute boundary
    with running_meetbot(make_settings(tmp_path, slack.base_url), now=lambda: clock[0]) as meetbot:
        meetbot.post(slash("now Standup", trigger_id="a", response_url=slack.response_url("first")))
        meetbot.wait_idle()
        clock[0] += timedelta(seconds=2)  # the same command delivered again, across the old window's edge
        meetbot.post(slash("now Standup", trigger_id="a", response_url=slack.response_url("again")))
        meetbot.wait_idle()
        assert len(slack.calls("chat.postMessage")) == 1
        meetbot.post(slash("now Standup", trigger_id="b"))  # typed again on purpose, within the same minute
        slack.wait_for("chat.postMessage", count=2)


def test_unsigned_and_stale_requests_get_401_and_do_nothing(meetbot, slack):
    assert meetbot.post(slash(""), secret="wrong-secret").status_code == 401
    assert meetbot.post(slash(""), timestamp=int(time.time()) - 6 * 60).status_code == 401
    slack.assert_no_call("views.open", within=0.3)


def test_views_open_failure_tells_the_user(meetbot, slack):
    slack.fail("views.open", "expired_trigger_id")
    meetbot.post(slash("", response_url=slack.response_url("cmd")))
    slack.wait_for_note("U1", "expired_trigger_id")


def test_healthz(meetbot):
    assert meetbot.http.get(f"{meetbot.base_url}/healthz").status_code == 200
    assert meetbot.http.get(f"{meetbot.base_url}/nope").status_code == 404


def test_account_commands_without_setup_say_what_to_do(meetbot, slack):
    for text in ("link", "link zoom", "link jitsi", "default zoom", "status"):
        meetbot.post(slash(text, response_url=slack.response_url(text.replace(" ", "-"))))
    meetbot.wait_idle()
    replies = [c.body["text"] for c in slack.private_notes("U1")]  # all private to the user who asked
    assert len(replies) == 5 and "Which one? Type `/meet link zoom` or `/meet link dialpad`." in replies
    for words in ("ZOOM_CLIENT_ID", "needs no account", "You haven't linked Zoom", "*Default:* Jitsi"):
        assert any(words in reply for reply in replies), words
