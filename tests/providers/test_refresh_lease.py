"""Token refresh holds no lock across the network: a slow token endpoint delays nobody else, a refresh is sent
once (a timeout keeps the link and asks the organiser to retry), and only a real `invalid_grant` disconnects."""

from __future__ import annotations

import json
import threading
import time

from tests.harness import on_both_backends, running_meetbot  # noqa: F401 - both backends
from tests.providers.conftest import link, open_and_submit, provider_settings
from tests.slack_payloads import slash, view_submission

VALUES = {"when": "tomorrow 3pm", "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}


def refresh_calls(fake) -> list:
    return [c for c in fake.calls("token") if c.body.get("grant_type") == "refresh_token"]


def test_a_slow_refresh_delays_nobody_else(tmp_path, slack, zoom, dialpad, caplog, backend):
    """Zoom's token endpoint answers in 5 s while 20 other users create meetings: none of them waits for it:
    each post comes well inside the 5 s (a liveness deadline with room for a loaded CI machine, not a benchmark), no lock error, and exactly one refresh."""
    with running_meetbot(provider_settings(tmp_path, slack, zoom, dialpad, **backend), provider_timeout=10.0) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        zoom.expire_access_tokens()
        zoom.set_refresh_delay(5)
        slack.clear()
        meetbot.post(slash(""))
        [opened] = slack.wait_for("views.open")
        view = opened.body["view"]

        def submit(i: int, user: str, provider: str) -> None:
            values = {**VALUES, "title": f"M{i}", "provider": ("static_select", provider)}
            assert meetbot.post(view_submission({**view, "id": f"V{i}", "hash": "h"}, values, user=user)).status_code == 200

        for i in range(3):  # the organiser's own meetings all wait for the one refresh
            submit(i, "U1", "zoom")
        [_, refresh] = zoom.wait_for("token", count=2)  # the code exchange, then the refresh, now in flight
        sent: dict[str, float] = {}

        def other(i: int) -> None:
            sent[f"M{i}"] = time.monotonic()
            submit(i, f"U{100 + i}", "jitsi")

        threads = [threading.Thread(target=other, args=(i,)) for i in range(100, 120)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        posts = slack.wait_for("chat.postMessage", count=20, timeout=10)
        assert time.monotonic() - refresh.at < 5, "the other users' meetings came only after the refresh"
        delays = {title: next(c.at for c in posts if f"*{title}*" in json.dumps(c.body["blocks"])) - at for title, at in sent.items()}
        assert max(delays.values()) < 3.5, delays
        slack.wait_for("chat.postMessage", count=23, timeout=15)
        meetbot.wait_idle(10)
        assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 0 and len(zoom.meetings) == 3
        assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "locked" not in logged and "StoreError" not in logged


def test_a_refresh_that_times_out_is_not_resent_and_keeps_the_link(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.expire_access_tokens()
    zoom.set_refresh_delay(3)  # Zoom rotates, but its answer comes after meetbot's 2 s timeout
    open_and_submit(meetbot, slack)
    [note] = slack.wait_for("chat.postEphemeral", timeout=10)
    text = json.dumps(note.body)
    assert "still linked" in text and "meet_retry" in text and "Reconnect" not in text
    meetbot.wait_idle()
    assert len(refresh_calls(zoom)) == 1 and zoom.invalid_grant_count == 0
    assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"
    assert meetbot.store.get_meeting("view:T1:V42").status == "failed" and zoom.meetings == []


def test_a_refresh_answered_with_a_server_error_is_not_resent(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.expire_access_tokens()
    zoom.fail("token", 503)
    open_and_submit(meetbot, slack)
    assert "still linked" in json.dumps(slack.wait_for("chat.postEphemeral", timeout=10)[0].body)
    meetbot.wait_idle()
    assert len(refresh_calls(zoom)) == 1
    assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"


def test_only_a_real_invalid_grant_disconnects(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    zoom.expire_access_tokens()
    zoom.fail("token", 400, {"error": "invalid_request", "reason": "Missing parameter"})
    open_and_submit(meetbot, slack)
    slack.wait_for("chat.postEphemeral", timeout=10)
    meetbot.wait_idle()
    assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"
    deadline = time.monotonic() + 5  # the failed refresh's short hold (which stops waiters resending it) ends
    while meetbot.store.refresh_lease_owner("T1", "U1", "zoom", time.time()) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    slack.clear()
    zoom.fail("token", 400, {"error": "invalid_grant", "reason": "Invalid Token!"})
    open_and_submit(meetbot, slack, view_id="V43")
    [note] = slack.wait_for("chat.postEphemeral", timeout=10)
    assert "Reconnect" in json.dumps(note.body)
    assert meetbot.store.get_account("T1", "U1", "zoom").status == "disconnected"
