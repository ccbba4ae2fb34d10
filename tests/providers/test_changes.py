"""After the post, on Zoom, end to end: Edit, Cancel and Start as host from the channel post (organiser only),
with the post changed in place (chat.update) and its reminders (chat.scheduleMessage) kept in step."""

from __future__ import annotations

import json
import time

from slack_sdk.models.blocks import Block

from bot.domain.status import MeetingStatus
from tests.providers.conftest import link, open_and_submit
from tests.slack_payloads import message_action, view_submission

KEY = "view:T1:V42"


def posted_zoom_meeting(meetbot, slack, zoom) -> tuple[dict, dict]:
    """A Zoom meeting made from the modal and posted in C1: (Zoom's meeting, the channel message)."""
    slack.set_user("U1", tz="America/Los_Angeles")
    link(meetbot, slack, zoom, "zoom")
    open_and_submit(meetbot, slack)
    [post] = slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [(_, created)] = zoom.meetings
    [message] = slack.messages("C1")
    return created, message


def click(meetbot, action_id: str, message: dict, user: str = "U1"):
    return meetbot.post(message_action(action_id, KEY, user=user, message={"type": "message", "ts": message["ts"]}))


def valid_blocks(blocks: list[dict]) -> None:
    for block in Block.parse_all(blocks):
        block.validate_json()


def test_the_post_has_edit_and_cancel_and_a_reminder_in_its_thread(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    ids = [e.get("action_id") for e in message["blocks"][-1]["elements"]]
    assert ids == ["join", "add_to_calendar", "meet_edit", "meet_cancel"]
    [reminder] = slack.wait_for("chat.scheduleMessage")
    start = 1795129200  # 2026-11-19 15:00 in Los Angeles
    assert reminder.body["thread_ts"] == message["ts"] and reminder.body["post_at"] == start - 600
    assert created["join_url"] in json.dumps(reminder.body["blocks"])
    valid_blocks(reminder.body["blocks"])


def test_edit_moves_the_meeting_at_zoom_and_updates_the_same_post(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    slack.clear()
    click(meetbot, "meet_edit", message)
    [opened] = slack.wait_for("views.open")
    view = opened.body["view"]
    valid_blocks(view["blocks"])
    filled = {b["block_id"]: b["element"].get("initial_value") or b["element"].get("initial_option", {}).get("value")
              for b in view["blocks"] if b["type"] == "input"}
    assert filled == {"title": "Design review", "when": "2026-11-19 15:00 for 45m", "reminder": "10"}
    values = {"title": "Design review v2", "when": "friday 9am for 30m", "reminder": ("static_select", "15")}
    answer = meetbot.post(view_submission({**view, "id": "V77"}, values))
    assert answer.status_code == 200 and answer.text == ""
    [update] = slack.wait_for("chat.update")
    meetbot.wait_idle()
    assert update.body["channel"] == "C1" and update.body["ts"] == message["ts"]
    assert "Design review v2" in update.body["blocks"][0]["text"]["text"]
    valid_blocks(update.body["blocks"])
    [(meeting_id, patch)] = zoom.patches
    assert meeting_id == created["id"] and patch["topic"] == "Design review v2"
    assert patch["start_time"] == "2026-11-20T09:00:00" and patch["timezone"] == "America/Los_Angeles"
    assert patch["duration"] == 30
    [dropped] = slack.calls("chat.deleteScheduledMessage")
    [again] = slack.calls("chat.scheduleMessage")
    assert again.body["post_at"] == 1795194000 - 15 * 60  # Fri 20 Nov 09:00 LA, 15 minutes before
    record = meetbot.store.get_meeting(KEY)
    assert record.status is MeetingStatus.EDITED and record.request.title == "Design review v2"
    assert len(zoom.meetings) == 1  # moved, not made again


def test_cancel_deletes_at_zoom_once_however_often_it_is_clicked(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    slack.clear()
    for _ in range(3):
        click(meetbot, "meet_cancel", message)
    [update] = slack.wait_for("chat.update")
    meetbot.wait_idle()
    assert zoom.deleted == [created["id"]] and len(zoom.calls("delete")) == 1
    text = json.dumps(update.body["blocks"])
    assert "Cancelled by <@U1>" in text and created["join_url"] not in text and "meet_edit" not in text
    valid_blocks(update.body["blocks"])
    assert len(slack.calls("chat.update")) == 1 and len(slack.calls("chat.deleteScheduledMessage")) == 1
    assert meetbot.store.get_meeting(KEY).status is MeetingStatus.CANCELLED
    assert meetbot.store.reminders(KEY) == []


def test_someone_else_can_neither_edit_nor_cancel_nor_start(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    for action in ("meet_edit", "meet_cancel", "meet_host_link"):
        slack.clear()
        click(meetbot, action, message, user="U2")
        note = slack.wait_for_note("U2", "can change this meeting")
        assert "Only <@U1> can change this meeting" in json.dumps(note.body)
        meetbot.wait_idle()
        slack.assert_no_call("views.open", within=0.1)
        slack.assert_no_call("chat.update", within=0.1)
    assert not zoom.calls("get") and not zoom.calls("delete") and not zoom.patches
    assert meetbot.store.get_meeting(KEY).status is MeetingStatus.POSTED


def test_start_as_host_fetches_a_fresh_start_link_for_the_organiser_only(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    [first] = zoom.start_urls()
    slack.clear()
    click(meetbot, "meet_host_link", message)
    note = slack.wait_for_note("U1", "fresh host link")
    [fetched] = zoom.calls("get")
    assert fetched.path.endswith(f"/meetings/{created['id']}")
    fresh = zoom.start_urls()[-1]
    assert fresh != first
    assert note.method == "chat.postEphemeral" and note.body["user"] == "U1"
    assert note.body["blocks"][-1]["elements"][0]["url"] == fresh
    valid_blocks(note.body["blocks"])


def test_a_cancel_whose_worker_died_is_finished_by_the_takeover(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    store = meetbot.store
    dead = store.transition(KEY, MeetingStatus.POSTED, MeetingStatus.CANCELLING, reason="test: killed mid-cancel",
                            owner="dead-process", lease_until=time.time() - 1)
    assert dead is not None
    meetbot.app.meetbot.keeper.tick()
    slack.wait_for("chat.update")
    meetbot.wait_idle()
    assert zoom.deleted == [created["id"]]
    assert store.get_meeting(KEY).status is MeetingStatus.CANCELLED


def test_dialpad_cancel_updates_slack_and_says_the_meeting_was_left_in_place(meetbot, slack, dialpad):
    link(meetbot, slack, dialpad, "dialpad")
    open_and_submit(meetbot, slack, provider="dialpad")
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [message] = slack.messages("C1")
    slack.clear()
    click(meetbot, "meet_edit", message)
    slack.wait_for_note("U1", "offers no way to move a meeting")
    slack.assert_no_call("views.open", within=0.1)
    click(meetbot, "meet_cancel", message)
    [update] = slack.wait_for("chat.update")
    assert "Cancelled by <@U1>" in json.dumps(update.body["blocks"])
    slack.wait_for_note("U1", "The Dialpad meeting itself was left in place")
    assert meetbot.store.get_meeting(KEY).status is MeetingStatus.CANCELLED
