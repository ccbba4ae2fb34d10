"""Work lanes end to end: a slow Zoom never delays Jitsi, a full lane says so, a stale trigger isn't used."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bot.jobs import Jobs
from tests.harness import running_meetbot
from tests.providers.conftest import link, provider_settings
from tests.slack_payloads import message_action, slash, view_submission

VALUES = {"when": "tomorrow 3pm for 45m", "channel": ("conversations_select", "C1"),
          "invitees": ("multi_users_select", [])}


def modal_view(meetbot, slack) -> dict:
    slack.clear()
    meetbot.post(slash(""))
    [opened] = slack.wait_for("views.open")
    return opened.body["view"]


def submit(meetbot, view: dict, view_id: str, provider: str, title: str) -> None:
    values = {**VALUES, "title": title, "provider": ("static_select", provider)}
    assert meetbot.post(view_submission({**view, "id": view_id, "hash": "h"}, values)).status_code == 200


def jitsi_posts(slack) -> list:
    return [c for c in slack.calls("chat.postMessage") if "meet.example.test" in str(c.body.get("blocks"))]


def test_a_slow_zoom_with_100_creations_in_flight_never_delays_jitsi(tmp_path, slack, zoom, dialpad):
    settings = provider_settings(tmp_path, slack, zoom, dialpad)
    with running_meetbot(settings, provider_timeout=20.0, jobs=Jobs(workers=16, lane_workers=16)) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        view = modal_view(meetbot, slack)
        zoom.delay("create", 10)  # Zoom takes 10 s to answer each create
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: submit(meetbot, view, f"Z{i}", "zoom", f"Zoom {i}"), range(100)))
        zoom.wait_for("create", count=16, timeout=10)  # the Zoom lane is full of held calls, 84 more queued
        jobs, deadline = meetbot.app.meetbot.jobs, time.monotonic() + 10
        while jobs.lane_load("zoom") < 100 and time.monotonic() < deadline:
            threading.Event().wait(0.02)  # the intake of the last submissions is still running: poll, with a deadline
        assert jobs.lane_load("zoom") == 100
        started = time.monotonic()
        submit(meetbot, view, "J1", "jitsi", "Quick sync")
        [post] = slack.wait_for("chat.postMessage", timeout=1.0)  # the liveness bound the issue asks for
        assert time.monotonic() - started < 1.0 and jitsi_posts(slack) == [post]
        zoom.stop()  # release the held calls so shutdown is quick


def test_a_full_lane_tells_the_organiser_it_is_busy_with_retry(tmp_path, slack, zoom, dialpad):
    settings = provider_settings(tmp_path, slack, zoom, dialpad)
    with running_meetbot(settings, provider_timeout=10.0, jobs=Jobs(lane_workers=1, lane_capacity=1)) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        view = modal_view(meetbot, slack)
        zoom.create_then_hang(1.0)
        submit(meetbot, view, "Z1", "zoom", "First")
        zoom.wait_for("create")
        submit(meetbot, view, "Z2", "zoom", "Second")
        note = slack.wait_for_note("U1", "too many Zoom meetings")
        assert "meet_retry" in str(note.body["blocks"]) and meetbot.store.get_meeting("view:T1:Z2").status == "failed"
        meetbot.wait_idle(10)
        meetbot.post(message_action("meet_retry", "view:T1:Z2"))
        slack.wait_for("chat.postMessage", count=2, timeout=10)
        meetbot.wait_idle(10)
        assert len(zoom.meetings) == 2 and meetbot.store.get_meeting("view:T1:Z2").status == "posted"


def test_a_modal_whose_trigger_went_stale_in_the_queue_is_not_opened_late(tmp_path, slack, zoom, dialpad):
    settings = provider_settings(tmp_path, slack, zoom, dialpad)
    with running_meetbot(settings, jobs=Jobs(ui_workers=1)) as meetbot:
        slack.delay("views.open", 3.5, times=1)  # the one UI worker is stuck on a slow views.open
        meetbot.post(slash("", user="U1"))
        slack.wait_for("views.open")
        meetbot.post(slash("", user="U2", channel="C2"))
        note = slack.wait_for_note("U2", "too busy to open the scheduling form", timeout=10)
        assert note.body["channel"] == "C2" and len(slack.calls("views.open")) == 1
