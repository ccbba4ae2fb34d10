"""What a provider says is text, not markup: its error messages are escaped before they reach Slack mrkdwn,
so a provider (or whoever controls its answers) cannot ping `<!channel>` or dress up a link."""

from __future__ import annotations

import json

import pytest

from tests.providers.conftest import link, open_and_submit

HOSTILE = "Denied <!channel> see <https://evil.example/|Zoom support> & retry"


@pytest.mark.parametrize("status", [400, 401])
def test_provider_error_text_is_escaped(meetbot, slack, zoom, status):
    link(meetbot, slack, zoom, "zoom")
    zoom.fail("create", status, {"code": status, "message": HOSTILE}, times=None)
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral")
    meetbot.wait_idle()
    sent = json.dumps(note.body)
    assert "&lt;!channel&gt;" in sent and "&amp; retry" in sent
    assert "<!channel>" not in sent and "<https://evil" not in sent
