"""`MEETBOT_LOG_FORMAT=json` on the real `meetbot serve`: every line on stderr is one JSON object, with the
request context (team, user, request key, provider) on the lines logged while working on a request."""

from __future__ import annotations

import json
import time

import httpx

from tests.harness import make_settings, meetbot_process
from tests.slack_payloads import signed_headers, slash


def test_json_log_lines_with_request_context(tmp_path, slack):
    settings = make_settings(tmp_path, slack.base_url, meetbot_log_format="json")
    with meetbot_process(settings, tmp_path) as (_proc, base):
        body = slash("now Standup")
        assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body)).status_code == 200
        slack.wait_for("chat.postMessage", timeout=10)
        log = tmp_path / "meetbot-serve.log"
        deadline = time.monotonic() + 10
        while "→ posted" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)  # the posted transition is logged right after the post
    lines = [json.loads(line) for line in (tmp_path / "meetbot-serve.log").read_text().splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    [posted] = [line for line in lines if "→ posted" in line["message"]]
    assert posted["team"] == "T1" and posted["user"] == "U1" and posted["provider"] == "jitsi"
    assert posted["request_key"].startswith("now:T1:") and posted["logger"] == "meetbot.scheduler"
    assert "xoxb-test-token" not in (tmp_path / "meetbot-serve.log").read_text()
