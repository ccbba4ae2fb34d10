"""`meetbot run`/`serve` as an operator starts and stops them: real subprocesses, real signals, fake Slack.

Start-up mistakes are one line and exit status 2 (never a traceback); SIGTERM and SIGINT in either mode stop
taking work, let in-flight jobs finish within the grace period, and exit 0.
"""

from __future__ import annotations

import importlib.metadata
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from cryptography.fernet import Fernet

from tests.fakes.slack import FakeSlack
from tests.fakes.socket_mode import FakeSocketMode
from tests.slack_payloads import SIGNING_SECRET, signed_headers, slash
from tests.test_serve import free_port, wait_healthy


def _env(tmp_path, slack: FakeSlack, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "SLACK_BOT_TOKEN": "xoxb-service-test",
           "SLACK_API_URL": slack.base_url, "MEETBOT_DB": str(tmp_path / "meetbot.db"),
           "MEETBOT_SECRET_KEY": Fernet.generate_key().decode(), "JITSI_BASE_URL": "https://meet.example.test"}
    env.update(extra)
    return env


def _start(tmp_path, env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _one_line_exit_2(proc: subprocess.Popen) -> str:
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.strip().count("\n") == 0, err
    return err.strip()


# -- one line, exit 2 ------------------------------------------------------------------------------------------


def test_app_token_slack_rejects(tmp_path):
    with FakeSlack() as slack:
        slack.fail("apps.connections.open", "invalid_auth")
        env = _env(tmp_path, slack, SLACK_APP_TOKEN="xapp-1-wrong")
        line = _one_line_exit_2(_start(tmp_path, env, "run", "--host", "127.0.0.1", "--port", str(free_port())))
        assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line and "xapp-1-wrong" not in line


def test_port_in_use(tmp_path):
    with FakeSlack() as slack, socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET)
        line = _one_line_exit_2(_start(tmp_path, env, "serve", "--host", "127.0.0.1", "--port", str(port)))
        assert f"127.0.0.1:{port}" in line and "--port" in line


@pytest.mark.parametrize("command", ["serve", "run"])
def test_port_out_of_range(tmp_path, command):
    with FakeSlack() as slack:
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET)
        line = _one_line_exit_2(_start(tmp_path, env, command, "--port", "99999"))
        assert "99999" in line and "65535" in line


def test_unknown_default_tz(tmp_path):
    with FakeSlack() as slack:
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET, MEETBOT_DEFAULT_TZ="Mars/Olympus_Mons")
        line = _one_line_exit_2(_start(tmp_path, env, "run", "--port", str(free_port())))
        assert "MEETBOT_DEFAULT_TZ" in line and "Mars/Olympus_Mons" in line


def test_bot_token_alone_names_both_ways_to_run(tmp_path):
    with FakeSlack() as slack:
        line = _one_line_exit_2(_start(tmp_path, _env(tmp_path, slack), "run"))
        assert "SLACK_APP_TOKEN" in line and "SLACK_SIGNING_SECRET" in line


def test_tzdata_is_a_dependency():
    requirements = importlib.metadata.requires("meetbot") or []
    assert any(r.split(">")[0].split("=")[0].strip() == "tzdata" for r in requirements)


# -- graceful stop ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_http_mode_finishes_in_flight_work_on_a_signal(tmp_path, sig):
    with FakeSlack() as slack:
        slack.delay("chat.postMessage", 1.5)  # the meeting post is in flight when the signal lands
        port = free_port()
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET)
        proc = _start(tmp_path, env, "run", "--host", "127.0.0.1", "--port", str(port))
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        body = slash("now Standup")
        assert httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=signed_headers(body)).status_code == 200
        slack.wait_for("chat.postMessage")  # the job has started its call
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "As you gave `client` as well" not in err
        assert "still running" not in err  # it finished within the grace period
        assert slack.calls("chat.postMessage")[0].body["channel"] == "C1"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_socket_mode_finishes_in_flight_work_on_a_signal(tmp_path, sig):
    with FakeSlack() as slack, FakeSocketMode() as socket_mode:
        slack.socket_mode_url = socket_mode.url
        slack.delay("chat.postMessage", 1.5)
        port = free_port()
        proc = _start(tmp_path, _env(tmp_path, slack, SLACK_APP_TOKEN="xapp-1-test"), "run", "--host", "127.0.0.1",
                      "--port", str(port))
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        socket_mode.wait_connected()
        socket_mode.send_request(slash("now Standup"))
        slack.wait_for("chat.postMessage")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "still running" not in err


def test_grace_period_bounds_the_stop(tmp_path):
    with FakeSlack() as slack:
        slack.delay("chat.postMessage", 30)  # a job that will not finish in time
        port = free_port()
        env = _env(tmp_path, slack, SLACK_SIGNING_SECRET=SIGNING_SECRET)
        proc = _start(tmp_path, env, "serve", "--host", "127.0.0.1", "--port", str(port), "--grace", "1")
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        body = slash("now Standup")
        httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=signed_headers(body))
        slack.wait_for("chat.postMessage")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0 and time.monotonic() - started < 10, err
        assert "Traceback" not in err and "still running" in err


def test_ctrl_c_while_parse_reads_stdin_has_no_traceback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "bot", "parse", "--json", "-"], cwd=tmp_path, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)})
    proc.stdin.write("tomorrow 3pm\n")
    proc.stdin.flush()
    assert "start" in proc.stdout.readline()  # it is up and waiting for the next line
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "Traceback" not in err and "KeyboardInterrupt" not in err
