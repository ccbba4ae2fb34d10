"""Kill `meetbot serve` with SIGKILL at each step of a Zoom meeting's creation, start it again on the same
database, and check the promise: exactly one meeting at Zoom, exactly one post, the organiser told, and
nothing left in flight. Leases are 1 s here (MEETBOT_LEASE_SECONDS) so the takeover comes quickly."""

from __future__ import annotations

import signal
import time

import httpx

from bot.domain.status import IN_FLIGHT, MeetingStatus
from bot.stores import open_store
from tests.harness import meetbot_process, on_both_backends, running_meetbot  # noqa: F401 - both backends
from tests.providers.conftest import link, provider_settings
from tests.slack_payloads import signed_headers, slash, view_submission


def settings_for(tmp_path, slack, zoom, dialpad, backend):
    return provider_settings(tmp_path, slack, zoom, dialpad, meetbot_lease_seconds=1.0, **backend)


def linked(tmp_path, slack, zoom, dialpad, backend=None):
    settings = settings_for(tmp_path, slack, zoom, dialpad, backend or {})
    with running_meetbot(settings) as meetbot:
        link(meetbot, slack, zoom, "zoom")
    slack.clear()
    return settings


def post(base: str, body: str) -> None:
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=5).status_code == 200


def submit_zoom_meeting(base: str, slack) -> None:
    post(base, slash(""))
    [opened] = slack.wait_for("views.open")
    values = {"title": "Design review", "when": "tomorrow 3pm for 45m", "provider": ("static_select", "zoom"),
              "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
    post(base, view_submission({**opened.body["view"], "id": "V42", "hash": "h1"}, values))


def records(settings):
    store = open_store(settings)
    try:
        return [store.get_meeting("view:T1:V42")], store.history("view:T1:V42")
    finally:
        store.close()


def wait_settled(settings, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [record], history = records(settings)
        if record is not None and record.status not in IN_FLIGHT:
            return record, history
        time.sleep(0.1)  # polling the database file another process writes, with a deadline
    raise AssertionError(f"request still in flight after {timeout}s: {records(settings)}")


def restart_and_check(settings, tmp_path, slack, zoom) -> list:
    with meetbot_process(settings, tmp_path):
        record, history = wait_settled(settings)
        slack.wait_for_note("U1", "as host", timeout=10)  # the organiser is told (host details)
    assert record.status == MeetingStatus.POSTED
    assert len(zoom.meetings) == 1 and len(zoom.calls("create")) == 1
    assert [m for m in slack.messages("C1")] and len(slack.messages("C1")) == 1  # one post, never two
    assert slack.messages("C1")[0]["blocks"][-1]["elements"][0]["url"] == zoom.meetings[0][1]["join_url"]
    return history


def killed_while_zoom_holds_the_create_call(tmp_path, slack, zoom, dialpad, backend=None):
    """(settings, history) after a kill while Zoom holds the create call and a restart (also the database the
    `meetbot requests` tests read)."""
    settings = linked(tmp_path, slack, zoom, dialpad, backend or {})
    zoom.create_then_hang(120)  # Zoom makes the meeting; its answer never arrives
    with meetbot_process(settings, tmp_path) as (proc, base):
        submit_zoom_meeting(base, slack)
        zoom.wait_for("create")
        proc.kill()
        proc.wait()
    return settings, restart_and_check(settings, tmp_path, slack, zoom)


def test_killed_while_zoom_holds_the_create_call(tmp_path, slack, zoom, dialpad, backend):
    _, history = killed_while_zoom_holds_the_create_call(tmp_path, slack, zoom, dialpad, backend)
    assert any("found at the provider and adopted" in change.reason for change in history)


def test_killed_right_after_zoom_answered(tmp_path, slack, zoom, dialpad, backend):
    settings = linked(tmp_path, slack, zoom, dialpad, backend)
    with meetbot_process(settings, tmp_path) as (proc, base):
        submit_zoom_meeting(base, slack)
        zoom.wait_answered("create")
        proc.kill()
        proc.wait()
    restart_and_check(settings, tmp_path, slack, zoom)


def test_killed_while_slack_holds_the_post(tmp_path, slack, zoom, dialpad, backend):
    settings = linked(tmp_path, slack, zoom, dialpad, backend)
    slack.delay("chat.postMessage", 120)  # Slack posts it, but its answer never arrives
    with meetbot_process(settings, tmp_path) as (proc, base):
        submit_zoom_meeting(base, slack)
        slack.wait_for("chat.postMessage", timeout=10)
        proc.kill()
        proc.wait()
    slack.delay("chat.postMessage", 0)
    history = restart_and_check(settings, tmp_path, slack, zoom)
    assert any("taken over" in change.reason and change.to_status == MeetingStatus.CREATED for change in history)
    assert slack.calls("conversations.history")  # looked before posting again


def test_a_stop_that_outlasts_its_grace_leaves_the_request_to_the_takeover(tmp_path, slack, zoom, dialpad, backend):
    settings = linked(tmp_path, slack, zoom, dialpad, backend)
    zoom.create_then_hang(120)
    with meetbot_process(settings, tmp_path, "--grace", "1") as (proc, base):
        submit_zoom_meeting(base, slack)
        zoom.wait_for("create")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0 and time.monotonic() - started < 10  # bounded by the grace, not the call
    [record], _ = records(settings)
    assert record.status == MeetingStatus.CREATING  # left in flight, its lease lapsing
    history = restart_and_check(settings, tmp_path, slack, zoom)
    assert any("found at the provider and adopted" in change.reason for change in history)


def test_killed_while_zoom_holds_the_delete_of_a_cancel(tmp_path, slack, zoom, dialpad):
    from tests.slack_payloads import message_action

    settings = linked(tmp_path, slack, zoom, dialpad)
    zoom.delay("delete", 3)  # the DELETE reaches Zoom; meetbot dies before hearing back
    with meetbot_process(settings, tmp_path) as (proc, base):
        submit_zoom_meeting(base, slack)
        slack.wait_for("chat.postMessage", timeout=10)
        wait_settled(settings)
        [message] = slack.messages("C1")
        for _ in range(2):  # a double click, too
            post(base, message_action("meet_cancel", "view:T1:V42", message={"type": "message", "ts": message["ts"]}))
        zoom.wait_for("delete", timeout=10)
        proc.kill()
        proc.wait()
    zoom.delay("delete", 0)
    assert not slack.calls("chat.update")
    with meetbot_process(settings, tmp_path):
        record, history = wait_settled(settings)
        [update] = slack.wait_for("chat.update", timeout=10)
    assert record.status == MeetingStatus.CANCELLED
    assert [m[1]["id"] for m in zoom.meetings] == zoom.deleted  # the one meeting, deleted once
    assert update.body["ts"] == message["ts"] and "Cancelled by <@U1>" in str(update.body["blocks"])
    assert any("taken over" in change.reason and change.to_status == MeetingStatus.CANCELLING for change in history)
