"""A private conversation picked in the modal is used only if the organiser is a member of it: otherwise an
inline error under the field, and nothing is posted there."""

from __future__ import annotations

import json

from tests.slack.listeners.test_modal import open_modal, submit


def test_private_conversation_the_organiser_is_not_in_is_refused_inline(meetbot, slack):
    slack.set_conversation("G7", private=True, members=["U2", "U3"])
    view = open_modal(meetbot, slack)
    urls = [{"block_id": "channel", "action_id": "value", "channel_id": "G7", "response_url": slack.response_url("g7")}]
    response = submit(meetbot, view, channel="G7", response_urls=urls)
    body = json.loads(response.text)
    assert body["response_action"] == "errors" and "not in that private conversation" in body["errors"]["channel"]
    meetbot.wait_idle()
    slack.assert_no_call("chat.postMessage", within=0.2)
    assert not [c for c in slack.calls("response_url") if c.body.get("_response_name") == "g7"]


def test_private_conversation_the_organiser_is_in_is_used(meetbot, slack):
    slack.set_conversation("G8", private=True, members=["U2", "U1"])
    view = open_modal(meetbot, slack)
    assert submit(meetbot, view, channel="G8").text == ""
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "G8"


def test_a_conversation_meetbot_cannot_see_is_refused_inline(meetbot, slack):
    slack.fail("conversations.info", "channel_not_found")
    view = open_modal(meetbot, slack)
    body = json.loads(submit(meetbot, view, channel="G9").text)
    assert "/invite @meetbot" in body["errors"]["channel"]
