"""Slack's Web API timing out or unreachable loses nothing and posts nothing twice (end to end, real HTTP).

meetbot waits 1 s for Slack here (MEETBOT_SLACK_TIMEOUT); the fake Slack acts on a call at once and can hold
back its answer (`delay`), which is exactly a post whose answer was lost."""

from __future__ import annotations

import pytest

from tests.harness import make_settings, running_meetbot
from tests.slack.listeners.test_modal import open_modal, submit
from tests.slack_payloads import event, slash


@pytest.fixture
def meetbot(tmp_path, slack):
    with running_meetbot(make_settings(tmp_path, slack.base_url, meetbot_slack_timeout=1)) as running:
        yield running


def settled(meetbot, key: str = "view:T1:V42"):
    meetbot.wait_idle(10)
    return meetbot.store.get_meeting(key)


def test_a_post_whose_answer_is_lost_is_found_by_its_metadata_not_posted_again(meetbot, slack):
    view = open_modal(meetbot, slack)
    slack.delay("chat.postMessage", 3, times=1)
    submit(meetbot, view)
    slack.wait_for("conversations.history", timeout=10)
    assert settled(meetbot).status == "posted"
    assert len(slack.messages("C1")) == 1 and len(slack.calls("chat.postMessage")) == 1
    assert slack.messages("C1")[0]["metadata"]["event_payload"]["key"] == "view:T1:V42"


def test_when_slack_cannot_say_whether_it_posted_the_organiser_gets_the_link_by_dm(meetbot, slack):
    view = open_modal(meetbot, slack)
    slack.delay("chat.postMessage", 3, times=1)
    slack.fail("conversations.history", "missing_scope")
    submit(meetbot, view)
    [_, dm] = slack.wait_for("chat.postMessage", count=2, timeout=10)
    assert dm.body["channel"] == "U1" and "may be there already" in dm.body["blocks"][0]["text"]["text"]
    assert dm.body["blocks"][-1]["elements"][0]["url"].startswith("https://meet.example.test/design-review-")
    assert settled(meetbot).status == "posted" and len(slack.messages("C1")) == 1


def test_a_refused_connection_falls_back_to_the_response_url(meetbot, slack):
    view = open_modal(meetbot, slack, response_url=slack.response_url("cmd"))
    slack.fail("chat.postMessage", "channel_not_found")
    submit(meetbot, view)
    [reply] = slack.wait_for("response_url", timeout=10)
    assert reply.body["response_type"] == "in_channel" and not slack.calls("conversations.history")
    assert settled(meetbot).status == "posted"


def test_a_views_open_timeout_tells_the_user_instead_of_crashing(meetbot, slack):
    slack.delay("views.open", 3, times=1)
    meetbot.post(slash(""))
    note = slack.wait_for_note("U1", "couldn't open the scheduling form", timeout=10)
    assert "TimeoutError" in note.body["text"]


def test_a_slow_home_tab_publish_is_logged_not_raised(meetbot, slack, caplog):
    slack.delay("views.publish", 3, times=1)
    meetbot.post(event({"type": "app_home_opened", "user": "U1", "tab": "home"}), content_type="application/json")
    slack.wait_for("views.publish")
    assert meetbot.app.meetbot.jobs.drain(10)
    assert not [r for r in caplog.records if r.levelname == "ERROR" and "background job" in r.getMessage()]
