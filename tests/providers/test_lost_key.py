"""A link whose tokens no configured key decrypts (a key removed without `meetbot rotate-keys`) is a
disconnected link: a Reconnect prompt, `/meet unlink` works, and linking again overwrites it."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from tests.harness import running_meetbot
from tests.providers.conftest import link, open_and_submit, provider_settings
from tests.slack_payloads import message_action, slash


@pytest.fixture
def settings(tmp_path, slack, zoom, dialpad):
    """A Zoom link and a failed Zoom meeting saved under one key; the returned settings have only a new key."""
    before = provider_settings(tmp_path, slack, zoom, dialpad)
    with running_meetbot(before, provider_timeout=2.0) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        zoom.fail("create", 400, {"code": 3000, "message": "Try later"})
        open_and_submit(meetbot, slack)
        slack.wait_for("chat.postEphemeral")
        meetbot.wait_idle()
    slack.clear()
    return before.model_copy(update={"meetbot_secret_key": SecretStr(Fernet.generate_key().decode())})


def replies(slack) -> str:
    """Every private answer the user got (they go to the conversation first, then the response_url)."""
    return "\n".join(json.dumps(c.body) for c in slack.private_notes("U1"))


def test_the_user_is_asked_to_reconnect(settings, slack, zoom):
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        meetbot.post(slash("status", response_url=slack.response_url("status")))
        meetbot.post(message_action("meet_retry", "view:T1:V42"))
        meetbot.wait_idle()
        assert "disconnected: `/meet link zoom` to reconnect" in replies(slack)
        note = slack.wait_for_note("U1", "Reconnect Zoom")
        assert "expired or was revoked" in json.dumps(note.body)
        meetbot.post(slash(""))
        slack.wait_for("views.open")  # /meet still opens the form (on Jitsi)
        assert zoom.calls("create") and len(zoom.calls("create")) == 1  # nothing sent with tokens we can't read


def test_unlink_works(settings, slack, zoom):
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        meetbot.post(slash("unlink zoom", response_url=slack.response_url("unlink")))
        meetbot.wait_idle()
        assert "Zoom disconnected" in replies(slack)
        assert meetbot.store.get_account("T1", "U1", "zoom") is None


def test_linking_again_overwrites_it(settings, slack, zoom):
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        account = meetbot.store.get_account("T1", "U1", "zoom")
        assert account.status == "active" and account.access_token in zoom.issued_tokens()
        assert zoom.refresh_count == 0
