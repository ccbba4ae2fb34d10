"""`meetbot serve` exactly as a user starts it: a subprocess configured by environment variables."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.fakes.slack import FakeSlack
from tests.slack_payloads import SIGNING_SECRET, signed_headers, slash


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"meetbot exited early: {proc.stderr.read() if proc.stderr else 'see its log'}")
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        threading_wait(0.05)
    raise AssertionError("meetbot did not become healthy in time")


def threading_wait(seconds: float) -> None:
    import threading

    threading.Event().wait(seconds)


@pytest.fixture
def served(tmp_path):
    with FakeSlack() as slack:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "SLACK_BOT_TOKEN": "xoxb-serve-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "MEETBOT_DB": str(tmp_path / "meetbot.db"),
            "JITSI_BASE_URL": "https://meet.example.test",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
            yield f"http://127.0.0.1:{port}", slack, proc, tmp_path
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=15)


def test_serve_answers_a_slash_command_and_stops_on_sigterm(served):
    base, slack, proc, tmp_path = served
    body = slash("now Standup")
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=5)
    assert response.status_code == 200
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["blocks"][-1]["elements"][0]["url"].startswith("https://meet.example.test/standup-")
    key_file = tmp_path / "meetbot.db.key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    logs = proc.stderr.read()
    assert "xoxb-serve-test" not in logs and "generated a key file" in logs
