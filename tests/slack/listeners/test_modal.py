"""The scheduling modal end to end: live preview, validation errors, creation, posting fallbacks."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block

from tests.harness import on_both_backends  # noqa: F401 - the main meeting flow runs on both backends
from tests.slack_payloads import block_action, slash, view_submission


def open_modal(meetbot, slack, text: str = "", **kwargs) -> dict:
    meetbot.post(slash(text, **kwargs))
    [call] = slack.wait_for("views.open")
    return {**call.body["view"], "id": "V42", "hash": "h1"}


def submit(meetbot, view, title="Design review", when="tomorrow 3pm for 45m", provider="jitsi", channel="C1", invitees=(), **kwargs):
    values = {
        "title": title,
        "when": when,
        "provider": ("static_select", provider),
        "channel": ("conversations_select", channel),
        "invitees": ("multi_users_select", list(invitees)),
    }
    return meetbot.post(view_submission(view, values, **kwargs))


def message_text(call) -> str:
    return call.body["blocks"][0]["text"]["text"]


def test_enter_in_when_updates_the_preview(meetbot, slack):
    view = open_modal(meetbot, slack)
    response = meetbot.post(block_action(view, "value", "when", "every monday 10am"))
    assert response.status_code == 200
    [update] = slack.wait_for("views.update")
    assert update.body["view_id"] == "V42"
    preview = next(b for b in update.body["view"]["blocks"] if b.get("block_id") == "when_preview")
    assert preview["elements"][0]["text"] == ":calendar: Mon 23 Nov, 10:00–10:30 UTC · weekly on Monday"


def test_enter_with_a_bad_time_shows_the_hint(meetbot, slack):
    view = open_modal(meetbot, slack)
    meetbot.post(block_action(view, "value", "when", "tomorrow"))
    [update] = slack.wait_for("views.update")
    assert "Add a time" in json.dumps(update.body["view"])


def test_valid_submission_closes_then_posts_the_join_link(meetbot, slack):
    view = open_modal(meetbot, slack)
    response = submit(meetbot, view, invitees=["U2", "U3"])
    assert response.status_code == 200 and response.text == ""
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C1"
    for block in Block.parse_all(post.body["blocks"]):
        block.validate_json()
    text = message_text(post)
    start = 1795100400  # 2026-11-19T15:00:00Z
    assert f"<!date^{start}^{{date_short_pretty}} at {{time}}|" in text
    assert "*Design review*" in text and "45 min" in text and "on Jitsi" in text
    assert "<@U1>" in text and "<@U2>" in text and "<@U3>" in text
    buttons = post.body["blocks"][-1]["elements"]
    assert buttons[0]["url"].startswith("https://meet.example.test/design-review-")
    assert buttons[1]["url"].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    meetbot.wait_idle()
    record = meetbot.store.get_meeting("view:T1:V42")
    assert record.status == "posted" and record.join_url == buttons[0]["url"]
    assert record.request.provider == "jitsi" and record.request.duration_minutes == 45 and record.request.title == "Design review"


def test_recurrence_is_described_in_the_message(meetbot, slack):
    view = open_modal(meetbot, slack)
    submit(meetbot, view, title="Sync", when="every 2 weeks on monday at 3pm")
    [post] = slack.wait_for("chat.postMessage")
    assert "every other week on Monday" in message_text(post)
    meetbot.wait_idle()
    assert meetbot.store.get_meeting("view:T1:V42").request.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"


def test_invalid_time_and_empty_title_answer_inline_and_post_nothing(meetbot, slack):
    view = open_modal(meetbot, slack)
    response = submit(meetbot, view, title="  ", when="someday")
    body = response.json()
    assert body["response_action"] == "errors"
    assert "title" in body["errors"] and "couldn't find a time" in body["errors"]["when"]
    past = submit(meetbot, view, when="last friday 3pm").json()
    assert "in the past" in past["errors"]["when"]
    slack.assert_no_call("chat.postMessage", within=0.3)


def test_an_unlinked_provider_is_an_inline_error(meetbot, slack):
    view = open_modal(meetbot, slack)
    body = submit(meetbot, view, provider="zoom").json()
    assert "/meet link zoom" in body["errors"]["provider"]


def test_the_same_view_submitted_twice_creates_one_meeting(meetbot, slack):
    view = open_modal(meetbot, slack)
    first, second = submit(meetbot, view), submit(meetbot, view)
    assert first.status_code == second.status_code == 200
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    assert len(slack.calls("chat.postMessage")) == 1


def test_hostile_titles_render_as_text(meetbot, slack):
    view = open_modal(meetbot, slack)
    submit(meetbot, view, title="<!channel> <@U123> <https://evil.example|click> & co")
    [post] = slack.wait_for("chat.postMessage")
    raw = post.raw.decode()
    for bad in ("<!channel>", "<@U123>", "<https://evil.example|click>"):
        assert bad not in raw
    assert "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; co" in message_text(post)


def test_not_in_channel_falls_back_to_the_response_url(meetbot, slack):
    view = open_modal(meetbot, slack)
    slack.fail("chat.postMessage", "not_in_channel")
    urls = [{"block_id": "channel", "action_id": "value", "channel_id": "C9", "response_url": slack.response_url("c9")}]
    submit(meetbot, view, channel="C9", response_urls=urls)
    [reply] = slack.wait_for("response_url")
    assert reply.body["_response_name"] == "c9" and reply.body["response_type"] == "in_channel"
    assert reply.body["blocks"][-1]["elements"][0]["url"].startswith("https://meet.example.test/")
    meetbot.wait_idle()
    assert meetbot.store.get_meeting("view:T1:V42").status == "posted"


def test_when_channel_and_response_url_fail_the_organiser_gets_a_dm(meetbot, slack):
    view = open_modal(meetbot, slack, response_url=slack.response_url("cmd"))
    slack.fail("chat.postMessage", "channel_not_found")
    slack.fail("response_url", "expired", status=404)
    submit(meetbot, view)
    posts = slack.wait_for("chat.postMessage", count=2)
    dm = posts[1]
    assert dm.body["channel"] == "U1"
    assert "channel_not_found" in dm.body["blocks"][0]["text"]["text"]
    assert dm.body["blocks"][-1]["elements"][0]["url"].startswith("https://meet.example.test/")


def test_slack_rate_limit_on_post_is_retried(meetbot, slack):
    view = open_modal(meetbot, slack)
    slack.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"})
    submit(meetbot, view)
    posts = slack.wait_for("chat.postMessage", count=2, timeout=8)
    assert posts[1].body["channel"] == "C1"
    meetbot.wait_idle()
    assert meetbot.store.get_meeting("view:T1:V42").status == "posted"


def test_a_replayed_signed_submission_creates_nothing_new(meetbot, slack):
    view = open_modal(meetbot, slack)
    values = {"title": "Replay", "when": "tomorrow 3pm", "provider": ("static_select", "jitsi"),
              "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
    body = view_submission(view, values)
    from tests.slack_payloads import signed_headers

    headers = signed_headers(body)  # the exact bytes and signature, sent again inside the 5-minute window
    for _ in range(3):
        assert meetbot.http.post(f"{meetbot.base_url}/slack/events", content=body, headers=headers).status_code == 200
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    assert len(slack.calls("chat.postMessage")) == 1
