"""Property tests over real HTTP: arbitrary command text and modal input never produce a 5xx, a stack trace
or silence — always an ack, an inline error, or a modal that says what is wrong."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.blockkit import assert_valid_block_kit
from tests.fakes.slack import FakeSlack
from tests.harness import make_settings, running_meetbot
from tests.slack_payloads import slash, view_submission

TEXT = st.one_of(
    st.text(max_size=10_000),
    st.sampled_from(["<!channel> now", "now <@U123> <https://evil|x>", "link", "link zoom", "unlink nothing", "default",
                     "status", "help", "🎉" * 500, "مرحبا tomorrow 3pm", "tomorrow 3pm for 9999 hours", "\x00\x01"]),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def test_arbitrary_command_text(tmp_path):
    with FakeSlack() as slack, running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:

        @SETTINGS
        @given(text=TEXT)
        def check(text):
            response = meetbot.post(slash(text, response_url=slack.response_url("cmd")))
            assert response.status_code == 200
            assert "Traceback" not in response.text

        check()
        meetbot.wait_idle(30)
        for call in slack.calls():
            assert "Traceback" not in call.raw.decode("utf-8", "replace")
        assert_valid_block_kit(slack.calls())


def test_arbitrary_modal_input(tmp_path):
    with FakeSlack() as slack, running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:
        meetbot.post(slash(""))
        [opened] = slack.wait_for("views.open")
        view = opened.body["view"]
        counter = iter(range(10_000))

        @SETTINGS
        @given(title=st.text(max_size=300), when=TEXT)
        def check(title, when):
            values = {"title": title, "when": when, "provider": ("static_select", "jitsi"),
                      "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
            response = meetbot.post(view_submission({**view, "id": f"V{next(counter)}"}, values))
            assert response.status_code == 200
            if response.text:
                body = json.loads(response.text)
                assert body["response_action"] == "errors" and body["errors"]
                assert all(isinstance(v, str) and v for v in body["errors"].values())

        check()
        meetbot.wait_idle(30)
        assert_valid_block_kit(slack.calls())
