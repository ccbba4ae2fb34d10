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
