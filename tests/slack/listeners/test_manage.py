"""Edit and Cancel of a Jitsi meeting end to end: only Slack changes (a Jitsi room is just a link)."""

from __future__ import annotations

import json

from bot.domain.status import MeetingStatus
from tests.slack.listeners.test_modal import open_modal, submit
from tests.slack_payloads import message_action, view_submission

KEY = "view:T1:V42"


def posted(meetbot, slack) -> dict:
    submit(meetbot, open_modal(meetbot, slack))
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [message] = slack.messages("C1")
    slack.clear()
    return message


def click(meetbot, action_id: str, message: dict, user: str = "U1"):
    return meetbot.post(message_action(action_id, KEY, user=user, message={"type": "message", "ts": message["ts"]}))


def test_editing_a_jitsi_meeting_changes_the_post_and_keeps_the_room(meetbot, slack):
    message = posted(meetbot, slack)
    join = message["blocks"][-1]["elements"][0]["url"]
    click(meetbot, "meet_edit", message)
    [opened] = slack.wait_for("views.open")
    assert opened.body["view"]["title"]["text"] == "Edit the meeting"
    values = {"title": "Retro", "when": "2026-11-19 16:00 for 1h every thursday", "reminder": ("static_select", "none")}
    meetbot.post(view_submission({**opened.body["view"], "id": "V9"}, values))
    [update] = slack.wait_for("chat.update")
    meetbot.wait_idle()
    text = update.body["blocks"][0]["text"]["text"]
    assert "*Retro*" in text and "weekly on Thursday" in text and "_edited_" in text
    assert update.body["blocks"][-1]["elements"][0]["url"] == join
    assert not slack.calls("chat.scheduleMessage")  # no reminder asked for
    record = meetbot.store.get_meeting(KEY)
    assert record.status is MeetingStatus.EDITED and record.request.rrule == "FREQ=WEEKLY;BYDAY=TH"


def test_an_edit_with_a_bad_time_is_an_inline_error_and_changes_nothing(meetbot, slack):
    message = posted(meetbot, slack)
    click(meetbot, "meet_edit", message)
    [opened] = slack.wait_for("views.open")
    answer = meetbot.post(view_submission({**opened.body["view"], "id": "V9"}, {"title": "Retro", "when": "someday"}))
    assert answer.json()["response_action"] == "errors" and "when" in answer.json()["errors"]
    assert meetbot.store.get_meeting(KEY).status is MeetingStatus.POSTED


def test_a_cancelled_meeting_cannot_be_edited(meetbot, slack):
    message = posted(meetbot, slack)
    click(meetbot, "meet_cancel", message)
    [update] = slack.wait_for("chat.update")
    assert "Cancelled by <@U1>" in json.dumps(update.body)
    meetbot.wait_idle()
    click(meetbot, "meet_edit", message)
    slack.wait_for_note("U1", "can't be changed any more")
    slack.assert_no_call("views.open", within=0.1)


def test_a_repeat_keeps_a_week_of_reminders_topped_up_by_one_instance(tmp_path, slack):
    import time
    from datetime import timedelta

    from bot.domain.reminders import ReminderTopUp
    from tests.harness import FIXED_NOW, make_settings, running_meetbot

    clock = [FIXED_NOW]
    with running_meetbot(make_settings(tmp_path, slack.base_url), now=lambda: clock[0]) as meetbot:
        submit(meetbot, open_modal(meetbot, slack), title="Standup", when="every day at 9am")
        slack.wait_for("chat.postMessage")
        scheduled = slack.wait_for("chat.scheduleMessage", count=7)
        meetbot.wait_idle()
        first = sorted(c.body["post_at"] for c in scheduled)
        assert len(first) == 7 and all(b - a == 86400 for a, b in zip(first, first[1:]))
        assert {c.body["thread_ts"] for c in scheduled} == {slack.messages("C1")[0]["ts"]}
        clock[0] = FIXED_NOW + timedelta(days=2)
        deps = meetbot.app.meetbot
        an_hour_later = lambda: time.time() + 3700  # the app's own round at start-up holds the task for an hour
        rounds = [ReminderTopUp(meetbot.store, deps.notifier, owner, clock=an_hour_later) for owner in ("a", "b")]
        assert [top_up() for top_up in rounds] == [1, 0]  # the other instance finds the task held
        added = slack.wait_for("chat.scheduleMessage", count=9)[7:]
        assert sorted(c.body["post_at"] for c in added) == [first[-1] + 86400, first[-1] + 2 * 86400]
        assert not slack.calls("chat.deleteScheduledMessage")  # the two already sent are just forgotten
        assert len(meetbot.store.reminders(KEY)) == 7


def test_the_home_tab_lists_edit_and_cancel_and_a_cancel_there_updates_post_and_tab(meetbot, slack):
    from slack_sdk.models.blocks import Block

    from tests.slack_payloads import _envelope, _form_payload, event

    message = posted(meetbot, slack)
    meetbot.post(event({"type": "app_home_opened", "user": "U1", "tab": "home"}), content_type="application/json")
    [home] = slack.wait_for("views.publish")
    for block in Block.parse_all(home.body["view"]["blocks"]):
        block.validate_json()
    buttons = [e for b in home.body["view"]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("meet_edit", KEY), ("meet_cancel", KEY)]
    slack.clear()
    meetbot.post(_form_payload(_envelope(
        "block_actions", "U1", "T1", container={"type": "view", "view_id": "VHOME"},
        view={"id": "VHOME", "type": "home", "blocks": [], "hash": "h1"},
        actions=[{"type": "button", "action_id": "meet_cancel", "block_id": "b", "value": KEY, "action_ts": "1.2"}])))
    [update] = slack.wait_for("chat.update")
    assert update.body["ts"] == message["ts"] and "Cancelled by" in json.dumps(update.body)
    [again] = slack.wait_for("views.publish")
    assert "meet_cancel" not in json.dumps(again.body["view"]) and "None yet" in json.dumps(again.body["view"])
