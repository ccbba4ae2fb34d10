"""Dialpad end to end: OAuth linking with the right scopes, company mode by email, units, a missing link."""

from __future__ import annotations

import json

from tests.harness import running_meetbot
from tests.providers.conftest import link, open_and_submit, provider_settings, start_link
from tests.slack_payloads import slash


def test_oauth_asks_for_conference_and_offline_scopes(meetbot, slack, dialpad):
    _, query, _ = start_link(meetbot, slack, "dialpad")
    assert set(query["scope"].split()) >= {"conference:all", "offline_access"}
    link(meetbot, slack, dialpad, "dialpad")
    account = meetbot.store.get_account("T1", "U1", "dialpad")
    assert account.provider_user_id == "5835806903417907" and account.email == "bob@example.com"


def test_create_uses_epoch_seconds_and_shows_dial_in(meetbot, slack, dialpad):
    slack.set_user("U2", email="carol@example.com")
    link(meetbot, slack, dialpad, "dialpad")
    open_and_submit(meetbot, slack, provider="dialpad", when="tomorrow 3pm for 45m", invitees=["U2"])
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    [(sent, created)] = dialpad.meetings
    start = 1795100400  # 2026-11-19T15:00:00Z
    assert sent["start_datetime"] == start and sent["end_datetime"] == start + 2700 and sent["duration"] == 2700
    assert sent["user_id"] == 5835806903417907 and sent["meeting_type"] == "UNIQUE_MEETING"
    assert sent["participants_info"] == [{"email": "carol@example.com"}]
    [post] = [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C1"]
    text = json.dumps(post.body["blocks"])
    assert created["meeting_url"] in text and "Dial-in: +1 415 555 0100" in text and "PIN `123456`" in text


def test_recurrence_goes_as_the_rrule(meetbot, slack, dialpad):
    link(meetbot, slack, dialpad, "dialpad")
    open_and_submit(meetbot, slack, provider="dialpad", when="every friday at 4pm, 4 times")
    slack.wait_for("chat.postMessage")
    meetbot.wait_idle()
    assert dialpad.meetings[0][0]["recurrence"] == "FREQ=WEEKLY;BYDAY=FR;COUNT=4"


def test_a_missing_join_link_is_a_clear_error(meetbot, slack, dialpad):
    link(meetbot, slack, dialpad, "dialpad")
    dialpad.omit_meeting_url()
    open_and_submit(meetbot, slack, provider="dialpad")
    [note] = slack.wait_for("chat.postEphemeral")
    assert "sent no join link" in json.dumps(note.body)
    assert not [c for c in slack.calls("chat.postMessage") if c.body["channel"] == "C1"]


def test_rate_limit_without_headers_is_retried(meetbot, slack, dialpad):
    link(meetbot, slack, dialpad, "dialpad")
    dialpad.fail("create", 429)
    open_and_submit(meetbot, slack, provider="dialpad")
    slack.wait_for("chat.postMessage", timeout=10)
    meetbot.wait_idle()
    assert len(dialpad.calls("create")) == 2 and len(dialpad.meetings) == 1


def test_company_mode_links_by_email(tmp_path, slack, zoom, dialpad):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, dialpad_api_key="dialpad-company-key",
                                 dialpad_client_id=None, dialpad_client_secret=None)
    slack.set_user("U1", email="bob@example.com")
    slack.set_user("U9", email="nobody@example.com")
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        meetbot.post(slash("link dialpad", response_url=slack.response_url("u1")))
        meetbot.post(slash("link dialpad", user="U9", response_url=slack.response_url("u9")))
        meetbot.wait_idle()
        slack.wait_for_note("U1", "Dialpad connected as bob@example.com")
        slack.wait_for_note("U9", "No active Dialpad user has the email nobody@example.com")
        open_and_submit(meetbot, slack, provider="dialpad")
        slack.wait_for("chat.postMessage")
        meetbot.wait_idle()
        assert dialpad.meetings and dialpad.calls("create")[0].headers["authorization"] == "Bearer dialpad-company-key"
