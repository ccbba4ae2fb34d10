"""The message shortcut end to end: the form is titled with the message's first line, and the link is
posted as a reply in that message's thread (broadcast to the channel)."""

from __future__ import annotations

from tests.slack.listeners.test_modal import submit
from tests.slack_payloads import _envelope, _form_payload


def shortcut(text: str, ts: str = "1700000100.000200", thread_ts: str | None = None, user: str = "U1") -> str:
    message = {"type": "message", "user": "U2", "ts": ts, "text": text, **({"thread_ts": thread_ts} if thread_ts else {})}
    return _form_payload(_envelope("message_action", user, "T1", callback_id="meet_from_message",
                                   channel={"id": "C1", "name": "general"}, message_ts=ts, message=message,
                                   response_url="https://hooks.example.test/shortcut"))


def test_the_shortcut_opens_the_form_titled_by_the_message_and_replies_in_its_thread(meetbot, slack):
    answer = meetbot.post(shortcut("\n  Q3 roadmap: what ships?  \nsecond line"))
    assert answer.status_code == 200
    [opened] = slack.wait_for("views.open")
    view = {**opened.body["view"], "id": "V42", "hash": "h1"}
    title = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Q3 roadmap: what ships?"
    submit(meetbot, view, title="Q3 roadmap: what ships?")
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C1" and post.body["thread_ts"] == "1700000100.000200"
    assert post.body["reply_broadcast"] is True


def test_a_message_inside_a_thread_gets_the_reply_in_that_same_thread(meetbot, slack):
    meetbot.post(shortcut("follow-up", ts="1700000200.000300", thread_ts="1700000100.000200"))
    [opened] = slack.wait_for("views.open")
    submit(meetbot, {**opened.body["view"], "id": "V42", "hash": "h1"}, title="follow-up")
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000100.000200"


def test_posting_elsewhere_than_the_messages_channel_is_a_plain_post(meetbot, slack):
    meetbot.post(shortcut("elsewhere"))
    [opened] = slack.wait_for("views.open")
    submit(meetbot, {**opened.body["view"], "id": "V42", "hash": "h1"}, title="elsewhere", channel="C2")
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C2" and "thread_ts" not in post.body
