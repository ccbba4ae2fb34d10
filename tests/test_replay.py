"""Each Slack request is handled once, attacked over real HTTP: an exact replay inside the 5-minute window,
a Slack retry (`X-Slack-Retry-Num`), and a replay sent to another process sharing the database."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx

from tests.fakes.slack import FakeSlack
from tests.harness import make_settings, running_meetbot
from tests.slack_payloads import SIGNING_SECRET, event, signed_headers, slash
from tests.test_serve import free_port, wait_healthy
from tests.test_service import _env


def _send(base_url: str, body: str, headers: dict) -> httpx.Response:
    return httpx.post(f"{base_url}/slack/events", content=body.encode(), headers=headers, timeout=10)


def test_exact_replay_within_the_window_runs_once(tmp_path, slack):
    with running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:
        body = slash("")
        headers = signed_headers(body)
        assert _send(meetbot.base_url, body, headers).status_code == 200
        slack.wait_for("views.open")
        replayed = _send(meetbot.base_url, body, headers)
        assert replayed.status_code == 200 and replayed.text == ""
        meetbot.wait_idle()
        assert len(slack.calls("views.open")) == 1


def test_slack_retry_of_a_handled_request_is_acknowledged_not_rerun(tmp_path, slack):
    with running_meetbot(make_settings(tmp_path, slack.base_url)) as meetbot:
        home = event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"})
        assert meetbot.post(home, content_type="application/json").status_code == 200
        slack.wait_for("views.publish")
        retry = meetbot.post(home, content_type="application/json",
                             headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        assert retry.status_code == 200
        command = slash("")
        meetbot.post(command)
        meetbot.post(command, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"})
        meetbot.wait_idle()
        assert len(slack.calls("views.publish")) == 1 and len(slack.calls("views.open")) == 1


def test_replay_to_another_process_sharing_the_database_runs_once(tmp_path):
    with FakeSlack() as slack:
        port = free_port()
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET)
        proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
            settings = make_settings(tmp_path, slack.base_url, meetbot_secret_key=env["MEETBOT_SECRET_KEY"])
            with running_meetbot(settings) as other:
                body = slash("")
                headers = signed_headers(body)
                assert _send(f"http://127.0.0.1:{port}", body, headers).status_code == 200
                slack.wait_for("views.open")
                assert _send(other.base_url, body, headers).status_code == 200
                other.wait_idle()
                assert len(slack.calls("views.open")) == 1
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
