"""A Dialpad edit, end to end: Dialpad documents no update call, so the meeting is made again, posted as a new
message beside the old one (same thread), and the old post becomes "Replaced by …" without its Join button —
exactly once, also when a takeover finishes an edit whose worker died before or after posting."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from bot.domain.status import MeetingStatus
from tests.providers.conftest import link, open_and_submit
from tests.providers.test_changes import KEY, click, valid_blocks
from tests.slack_payloads import view_submission


def posted_dialpad_meeting(meetbot, slack, dialpad) -> dict:
    link(meetbot, slack, dialpad, "dialpad")
    open_and_submit(meetbot, slack, provider="dialpad")
    slack.wait_for("chat.postMessage")
    slack.wait_for("chat.scheduleMessage")
    meetbot.wait_idle()
    [message] = slack.messages("C1")
    slack.clear()
    return message


def edit_to_friday(meetbot, slack, message: dict, title: str) -> None:
    """The organiser clicks Edit on `message` and saves `title` on Friday 9am for 30m."""
    click(meetbot, "meet_edit", message)
    [opened] = slack.wait_for("views.open")
    meetbot.post(view_submission({**opened.body["view"], "id": "V77"}, {"title": title, "when": "friday 9am for 30m"}))
    slack.wait_for_note("U1", "a new one was made at the new time and posted as a new message")
    meetbot.wait_idle()


def action_ids(blocks: list[dict]) -> list[str]:
    return [e.get("action_id") for b in blocks if b["type"] == "actions" for e in b["elements"]]


def assert_replaced(update, old: dict, new_ts: str) -> None:
    """`update` turned the old post into a link to the new one: no Join, Edit or Cancel left."""
    assert update.body["channel"] == "C1" and update.body["ts"] == old["ts"]
    text = json.dumps(update.body["blocks"])
    assert "Replaced by a new meeting on <!date^" in text and f"p{new_ts.replace('.', '')}|the new post>" in text
    assert action_ids(update.body["blocks"]) == []
    valid_blocks(update.body["blocks"])


def test_a_dialpad_edit_posts_the_new_meeting_anew_and_marks_the_old_post_replaced(meetbot, slack, dialpad):
    message = posted_dialpad_meeting(meetbot, slack, dialpad)
    edit_to_friday(meetbot, slack, message, "Moved <b>")
    [post] = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C1"]
    [update] = slack.calls("chat.update")
    new, old = slack.messages("C1")
    assert old["ts"] == message["ts"] and new["ts"] != message["ts"]
    assert len(dialpad.meetings) == 2
    record = meetbot.store.get_meeting(KEY)
    assert record.status is MeetingStatus.EDITED
    assert action_ids(new["blocks"])[0] == "join" and new["blocks"][-1]["elements"][0]["url"] == record.join_url
    assert "*Moved &lt;b&gt;*" in new["blocks"][0]["text"]["text"] and "_edited_" in new["blocks"][0]["text"]["text"]
    valid_blocks(post.body["blocks"])
    assert_replaced(update, message, new["ts"])
    assert "~*Moved &lt;b&gt;*~" in update.body["blocks"][0]["text"]["text"]
    assert meetbot.store.get_post(KEY).ts == new["ts"]
    [dropped] = slack.calls("chat.deleteScheduledMessage")
    [again] = slack.calls("chat.scheduleMessage")
    assert again.body["thread_ts"] == new["ts"]  # the reminders moved to the new post
    assert again.body["post_at"] == int(datetime(2026, 11, 20, 8, 50, tzinfo=timezone.utc).timestamp())
    slack.clear()  # Cancel, from the new post
    click(meetbot, "meet_cancel", new)
    [cancelled] = slack.wait_for("chat.update")
    assert cancelled.body["ts"] == new["ts"] and "Cancelled by <@U1>" in json.dumps(cancelled.body["blocks"])
    slack.wait_for_note("U1", "The Dialpad meeting itself was left in place")


def edit_dies(meetbot, title: str = "Moved", thread_ts: str = "") -> None:
    """The organiser's edit was claimed by a process that then died (its lease already over)."""
    store = meetbot.store
    record = store.get_meeting(KEY)
    changed = record.request.but(title=title, thread_ts=thread_ts)
    assert store.transition(KEY, record.status, MeetingStatus.EDITING, reason="test: killed mid-edit",
                            owner="dead-process", lease_until=time.time() - 1, request=changed) is not None


def test_a_takeover_of_a_dialpad_edit_posts_once_in_the_same_thread(meetbot, slack, dialpad):
    message = posted_dialpad_meeting(meetbot, slack, dialpad)
    edit_dies(meetbot, thread_ts="1700000100.000200")
    meetbot.app.meetbot.keeper.tick()
    [update] = slack.wait_for("chat.update")
    meetbot.wait_idle()
    [post] = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C1"]
    assert post.body["thread_ts"] == "1700000100.000200" and post.body["reply_broadcast"] in (True, "true", "1")
    new = slack.messages("C1")[0]
    assert_replaced(update, message, new["ts"])
    assert meetbot.store.get_meeting(KEY).status is MeetingStatus.EDITED


def test_a_takeover_after_the_new_post_was_made_does_not_post_twice(meetbot, slack, dialpad):
    message = posted_dialpad_meeting(meetbot, slack, dialpad)
    edit_to_friday(meetbot, slack, message, "Moved")
    new = slack.messages("C1")[0]
    store = meetbot.store
    for forgot_new_post in (False, True):  # died after saving where the new post is, or just before
        if forgot_new_post:
            store.save_post(KEY, "C1", message["ts"], time.time())
        slack.clear()
        edit_dies(meetbot)
        meetbot.app.meetbot.keeper.tick()
        slack.wait_for_note("U1", "a new one was made")
        meetbot.wait_idle()
        assert [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C1"] == []
        assert [m["ts"] for m in slack.messages("C1")] == [new["ts"], message["ts"]]
        record = store.get_meeting(KEY)
        assert record.status is MeetingStatus.EDITED and store.get_post(KEY).ts == new["ts"]
        updates = {c.body["ts"]: c for c in slack.calls("chat.update")}
        # the new post now links the meeting the record holds (Dialpad can't be asked for the first one)
        assert updates[new["ts"]].body["blocks"][-1]["elements"][0]["url"] == record.join_url
        if forgot_new_post:
            assert_replaced(updates[message["ts"]], message, new["ts"])
        else:
            assert message["ts"] not in updates
