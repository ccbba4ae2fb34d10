"""After the post, on Zoom, end to end: Edit, Cancel and Start as host from the channel post (organiser only),
with the post changed in place (chat.update) and its reminders (chat.scheduleMessage) kept in step."""

from __future__ import annotations

import json
import time

from slack_sdk.models.blocks import Block

from bot.domain.status import MeetingStatus
from tests.harness import on_both_backends  # noqa: F401 - edit, cancel and their takeover on both backends
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
    assert ids == ["join", "add_to_calendar", "add_to_outlook", "add_ics", "meet_edit", "meet_cancel"]
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


def test_the_ics_file_is_served_by_a_signed_token_and_says_when_it_is_cancelled(meetbot, slack, zoom):
    from icalendar import Calendar

    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    buttons = {e["action_id"]: e.get("url", "") for e in message["blocks"][-1]["elements"]}
    assert buttons["add_to_outlook"].startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
    address = buttons["add_ics"]
    assert address.startswith("https://meetbot.example.test/ics/") and address.endswith(".ics")
    path = address[len("https://meetbot.example.test"):]
    answer = meetbot.http.get(meetbot.base_url + path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    [event] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Los_Angeles"
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert event.decoded("DTSTART").isoformat() == "2026-11-19T15:00:00-08:00"
    assert event.decoded("DTEND").isoformat() == "2026-11-19T15:45:00-08:00"
    assert str(event["URL"]) == created["join_url"] and created["join_url"] in str(event["DESCRIPTION"])
    assert str(event["UID"]) and str(event["STATUS"]) == "CONFIRMED"
    assert created["start_url"] not in answer.text
    forged = path[:-10] + ("A" if path[-10] != "A" else "B") + path[-9:]
    assert meetbot.http.get(meetbot.base_url + forged).status_code == 404
    assert meetbot.http.get(meetbot.base_url + "/ics/nothing.ics").status_code == 404
    click(meetbot, "meet_cancel", message)
    slack.wait_for("chat.update")
    meetbot.wait_idle()
    again = Calendar.from_ical(meetbot.http.get(meetbot.base_url + path).content)
    assert str(again.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_zoom_events_show_live_then_ended_in_few_updates_and_replays_change_nothing(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    slack.clear()
    hook, secret, meeting_id = meetbot.base_url + "/zoom/webhook", "zoom-webhook-secret", str(created["id"])
    assert zoom.send_webhook(hook, secret, "meeting.started", {"id": meeting_id, "start_time": "2026-11-19T23:02:00Z"}) == 200
    for n in range(50):
        person = {"id": meeting_id, "participant": {"participant_uuid": f"P{n}", "user_name": f"person {n}"}}
        assert zoom.send_webhook(hook, secret, "meeting.participant_joined", person) == 200
    zoom.send_webhook(hook, secret, "meeting.participant_joined", {"id": meeting_id, "participant": {"participant_uuid": "P0"}})
    for n in (1, 2):
        zoom.send_webhook(hook, secret, "meeting.participant_left", {"id": meeting_id, "participant": {"participant_uuid": f"P{n}"}})
    assert zoom.send_webhook(hook, secret, "meeting.started", {"id": "999", "start_time": "2026-11-19T23:02:00Z"}) == 200
    deadline = time.monotonic() + 10
    while "48 in the call" not in json.dumps(slack.messages("C1")[0]["blocks"]):
        assert time.monotonic() < deadline, slack.messages("C1")[0]["blocks"]
        slack.wait_for("chat.update", count=len(slack.calls("chat.update")) + 1)
    text = slack.messages("C1")[0]["blocks"][0]["text"]["text"]
    assert "Live now" in text and "<!date^1795129320^{time}|23:02 UTC>" in text
    assert len(slack.calls("chat.update")) <= 5  # coalesced: not one per event
    zoom.send_webhook(hook, secret, "meeting.ended", {"id": meeting_id, "start_time": "2026-11-19T23:02:00Z",
                                                     "end_time": "2026-11-19T23:44:00Z"})
    deadline = time.monotonic() + 10
    while "Ended · 42 min" not in slack.messages("C1")[0]["blocks"][0]["text"]["text"]:
        assert time.monotonic() < deadline
        slack.wait_for("chat.update", count=len(slack.calls("chat.update")) + 1)
    valid_blocks(slack.messages("C1")[0]["blocks"])
    assert all(c.body["ts"] == message["ts"] for c in slack.calls("chat.update"))


def test_a_live_update_still_waiting_at_shutdown_is_made_before_stopping(meetbot, slack, zoom):
    created, message = posted_zoom_meeting(meetbot, slack, zoom)
    meetbot.app.meetbot.live.delay = 600  # the update would wait ten minutes
    slack.clear()
    hook, secret = meetbot.base_url + "/zoom/webhook", "zoom-webhook-secret"
    assert zoom.send_webhook(hook, secret, "meeting.started", {"id": str(created["id"]),
                                                               "start_time": "2026-11-19T23:02:00Z"}) == 200
    assert slack.calls("chat.update") == []
    assert meetbot.app.meetbot.live.flush_now() == 1  # what shutdown_app does first
    [update] = slack.wait_for("chat.update")
    assert update.body["ts"] == message["ts"] and "Live now" in json.dumps(update.body["blocks"])
    assert meetbot.app.meetbot.live.flush_now() == 0
