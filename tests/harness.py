"""A running meetbot for end-to-end tests: the real WSGI app on waitress, on 127.0.0.1 port 0.

Tests talk to it over a real socket with signed requests (as Slack does) and watch the fake Slack for what
meetbot sent. `now` is fixed so message contents are deterministic; Slack signatures use the real clock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx
import pytest
from cryptography.fernet import Fernet

from bot.app import build_app, http_client, routes, shutdown_app
from bot.jobs import Jobs
from bot.providers import ProviderRegistry, build_registry
from bot.server import create_server, make_wsgi_app, stop_server
from bot.settings import Settings
from bot.stores import MeetbotStore, open_store
from tests.slack_payloads import SIGNING_SECRET, signed_headers

FIXED_NOW = datetime(2026, 11, 18, 14, 0, tzinfo=timezone.utc)  # a Wednesday
JITSI = "https://meet.example.test"


@pytest.fixture(name="backend")
def on_both_backends(database: dict[str, str]) -> dict[str, str]:
    """Imported by a test module, this runs its end-to-end tests on SQLite and on PostgreSQL."""
    return database


def make_settings(tmp_path, slack_base_url: str, **overrides) -> Settings:
    values = dict(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_base_url,
        meetbot_db=str(tmp_path / "meetbot.db"),
        meetbot_secret_key=Fernet.generate_key().decode(),
        meetbot_public_url="https://meetbot.example.test",
        jitsi_base_url=JITSI,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass
class Running:
    base_url: str
    app: object
    store: MeetbotStore
    settings: Settings
    http: httpx.Client

    def post(self, body: str, *, content_type: str = "application/x-www-form-urlencoded", secret: str = SIGNING_SECRET,
             timestamp: int | None = None, headers: dict | None = None) -> httpx.Response:
        sent = signed_headers(body, secret=secret, timestamp=timestamp, content_type=content_type)
        sent.update(headers or {})
        return self.http.post(f"{self.base_url}/slack/events", content=body.encode(), headers=sent)

    def stored_bytes(self) -> bytes:
        """What the database holds at rest: SQLite's files (WAL too), or PostgreSQL's account rows as stored."""
        if self.settings.meetbot_database_url:
            rows = self.store._query("SELECT * FROM accounts")  # type: ignore[attr-defined]
            return repr(rows).encode()
        path = self.settings.meetbot_db
        return open(path, "rb").read() + open(path + "-wal", "rb").read()

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until background jobs finished (a deadline, not a sleep)."""
        self.app.meetbot.jobs.drain(timeout)


@contextmanager
def running_meetbot(settings: Settings, providers: ProviderRegistry | None = None, now=lambda: FIXED_NOW,
                    provider_timeout: float = 10.0, jobs: Jobs | None = None) -> Iterator[Running]:
    store = open_store(settings)
    http = http_client()
    http.timeout = httpx.Timeout(provider_timeout, connect=3.0)
    app = build_app(settings, store, providers or build_registry(settings, http, store), http=http, now=now, jobs=jobs or Jobs(workers=8))
    server = create_server(make_wsgi_app(app, routes(app)), host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, name="meetbot-test-server", daemon=True)
    thread.start()
    client = httpx.Client(timeout=10)
    try:
        yield Running(f"http://127.0.0.1:{server.effective_port}", app, store, settings, client)
    finally:
        client.close()
        stop_server(server)
        thread.join(timeout=5)
        assert not thread.is_alive(), "the test server did not stop"
        shutdown_app(app, grace=30)
        http.close()
        store.close()


@contextmanager
def meetbot_process(settings: Settings, cwd, *args: str, port: int | None = None,
                    **env: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`meetbot serve` as a subprocess configured by environment variables (as users start it), on `port` (else
    a free one) of 127.0.0.1: (process, base URL) once /healthz answers. SIGTERM (then SIGKILL) when done."""
    from tests.test_serve import free_port, wait_healthy

    port = port or free_port()
    variables = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd)}
    for name, value in settings.model_dump().items():
        if value is not None:
            variables[name.upper()] = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    variables.update(env)
    log = open(os.path.join(str(cwd), "meetbot-serve.log"), "a")  # its stderr, for a failing test to show
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                            env=variables, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
class SocketRunning(Running):
    """A meetbot started as `meetbot run` starts it in Socket Mode: Slack's requests go over the fake
    websocket, the other routes over HTTP at `base_url`. `post` takes the same bodies as HTTP mode."""

    socket: object = None

    def post(self, body: str, **_ignored) -> dict:  # type: ignore[override]
        return self.socket.send_request(body)  # type: ignore[attr-defined]


@contextmanager
def running_service(settings: Settings, socket=None) -> Iterator[Running]:
    """The runtime `meetbot run`/`serve` use (bot.runtime.Service), on 127.0.0.1 port 0. With `socket` (a
    FakeSocketMode that the fake Slack hands out), in Socket Mode."""
    from bot.runtime import Service

    service = Service(settings, host="127.0.0.1", port=0, threads=8, socket_mode=socket is not None)
    service.start()
    client = httpx.Client(timeout=10)
    running = (SocketRunning if socket is not None else Running)(
        f"http://127.0.0.1:{service.port}", service.app, service.store, settings, client)
    if socket is not None:
        running.socket = socket  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        client.close()
        assert service.stop(grace=10), "jobs still running when the test ended"
