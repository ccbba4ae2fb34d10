"""`GET /metrics` after a scripted run against the real app: Slack requests by surface and outcome with their
ack latency, meetings by provider and final state, provider call latency and errors by kind, token refreshes,
lane depth and job age, webhook events; and no label carrying a user id, a title or a URL."""

from __future__ import annotations

import json
import time

from tests.fakes.zoom import webhook_signature
from tests.harness import meetbot_process
from tests.metrics_scrape import delta, label_values, scrape, value
from tests.providers.conftest import link, open_and_submit, provider_settings
from tests.slack_payloads import signed_headers, slash

TITLE = "Quarterly secret roadmap"


def test_metrics_after_a_scripted_run(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    before, _ = scrape(meetbot.base_url)
    # a Zoom meeting whose first create is rate limited (Retry-After 1 s: waited out)
    zoom.fail("create", 429, {"code": 429, "message": "rate limit"}, headers={"Retry-After": "1"})
    open_and_submit(meetbot, slack, title=TITLE)
    slack.wait_for("chat.postMessage", timeout=10)
    meetbot.wait_idle()
    # a Zoom create answered 401: the token is refreshed once and the create repeated
    zoom.fail("create", 401, {"code": 124, "message": "Invalid access token."})
    open_and_submit(meetbot, slack, title=TITLE, view_id="V43")
    slack.wait_for("chat.postMessage", timeout=10)
    # a Jitsi meeting from the one-line path, and a modal sent back with an inline error
    slack.clear()
    meetbot.post(slash(f"now {TITLE}", user="U2"))  # U2 linked nothing: Jitsi
    slack.wait_for("chat.postMessage", timeout=10)
    open_and_submit(meetbot, slack, title="", provider="jitsi", view_id="V44")
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}).encode()
    ts = str(int(time.time()))
    meetbot.http.post(f"{meetbot.base_url}/zoom/webhook", content=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": webhook_signature("zoom-webhook-secret", body, ts)})
    meetbot.wait_idle()

    after, text = scrape(meetbot.base_url)
    assert delta(after, before, "meetbot_slack_requests_total", surface="command", outcome="ok") >= 4
    assert delta(after, before, "meetbot_slack_requests_total", surface="view_submission", outcome="ok") == 2
    assert delta(after, before, "meetbot_slack_requests_total", surface="view_submission", outcome="errors") == 1
    assert delta(after, before, "meetbot_slack_ack_seconds_count", surface="command") >= 4
    assert delta(after, before, "meetbot_slack_ack_seconds_bucket", surface="view_submission", le="+Inf") == 3
    assert delta(after, before, "meetbot_meetings_total", provider="zoom", state="posted") == 2
    assert delta(after, before, "meetbot_meetings_total", provider="jitsi", state="posted") == 1
    assert delta(after, before, "meetbot_provider_errors_total", provider="zoom", kind="429") == 1
    assert delta(after, before, "meetbot_provider_errors_total", provider="zoom", kind="401") == 1
    assert delta(after, before, "meetbot_provider_call_seconds_count", provider="zoom") >= 4
    assert delta(after, before, "meetbot_token_refreshes_total", provider="zoom", outcome="refreshed") == 1
    assert delta(after, before, "meetbot_lane_job_age_seconds_count", lane="zoom") == 2
    assert value(after, "meetbot_lane_depth", lane="zoom") == 0  # nothing left queued
    assert delta(after, before, "meetbot_webhook_events_total", provider="zoom", event="endpoint.url_validation") == 1
    assert "meetbot_reminders_scheduled" in text
    # no label carries a user id, a team id, a title or a URL
    labels = label_values(after)
    for forbidden in ("U1", "U2", "T1", TITLE, "Quarterly", "http", "C1", zoom.meetings[0][1]["join_url"]):
        assert not any(forbidden in label for label in labels), forbidden


def test_meetbot_serve_exposes_metrics(tmp_path, slack, zoom, dialpad):
    settings = provider_settings(tmp_path, slack, zoom, dialpad)
    with meetbot_process(settings, tmp_path) as (_proc, base):
        body = slash("now Standup")
        import httpx

        assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body)).status_code == 200
        slack.wait_for("chat.postMessage", timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the post is counted once its transition is saved
            series, _ = scrape(base)
            if value(series, "meetbot_meetings_total", provider="jitsi", state="posted") == 1:
                break
            time.sleep(0.05)
        assert value(series, "meetbot_slack_requests_total", surface="command", outcome="ok") == 1
        assert value(series, "meetbot_meetings_total", provider="jitsi", state="posted") == 1


def test_processes_sharing_a_metrics_dir_report_their_sum(tmp_path, slack, zoom, dialpad):
    """What `--workers N` relies on: every process writing to MEETBOT_METRICS_DIR is in any one's scrape."""
    import httpx

    settings = provider_settings(tmp_path, slack, zoom, dialpad, meetbot_metrics_dir=str(tmp_path / "metrics"))
    with meetbot_process(settings, tmp_path) as (_one, first), meetbot_process(settings, tmp_path) as (_two, second):
        for base, trigger in ((first, "t-1"), (second, "t-2")):
            body = slash("help", trigger_id=trigger)
            assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body)).status_code == 200
        for base in (first, second):
            series, _ = scrape(base)
            assert value(series, "meetbot_slack_requests_total", surface="command", outcome="ok") == 2
