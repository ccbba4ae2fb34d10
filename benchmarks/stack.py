"""What the benchmark runs against: the test fakes, `meetbot serve` as a subprocess, and the floor app.

Why a subprocess started exactly as a user starts it (`python -m bot serve`, configured only by environment
variables, fresh database): the numbers then include the real CLI wiring, waitress, logging and SQLite on
disk, and the server's memory (RSS) is its own. Everything listens on 127.0.0.1; every wait has a deadline.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
from cryptography.fernet import Fernet

from tests.fakes.dialpad import BOB as DIALPAD_BOB, FakeDialpad
from tests.fakes.slack import FakeSlack
from tests.fakes.zoom import ME as ZOOM_ME, FakeZoom
from tests.slack_payloads import SIGNING_SECRET, signed_headers, slash

REPO = Path(__file__).resolve().parent.parent
PUBLIC = "https://meetbot.example.test"
COOKIE = "meetbot_link"  # bot.linking.COOKIE, spelled out so this process need not import the app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident set size of `pid` in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    """Poll `predicate` until true or `timeout` seconds passed; returns its last verdict."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def signed_meet(base_url: str, text: str = "", trigger_id: str = "probe", response_url: str = "",
                timeout: float = 1.0) -> httpx.Response:
    body = slash(text, trigger_id=trigger_id, response_url=response_url or "http://127.0.0.1:9/response/default")
    return httpx.post(f"{base_url}/slack/events", content=body.encode(), headers=signed_headers(body), timeout=timeout)


def first_ack(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = 30.0) -> float:
    """Poll with signed `/meet` until one is acked with 200; the monotonic time it was."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early ({proc.returncode}):\n{log.read_text()[-2000:]}")
        n += 1
        try:
            if signed_meet(base_url, trigger_id=f"cold.{n}", timeout=1.0).status_code == 200:
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"no 200 ack within {timeout}s:\n{log.read_text()[-2000:]}")


def stop_process(proc: subprocess.Popen | None) -> None:
    """SIGTERM and wait; SIGKILL only if it would not stop within 15 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class Stack:
    """Fakes + meetbot. Use as a context manager: everything it started is stopped on exit, errors or not."""

    def __init__(self, workdir: Path, provider_latency: float, database_url: str | None = None,
                 processes: int = 1) -> None:
        self.workdir = workdir
        self.database_url = database_url  # PostgreSQL (MEETBOT_DATABASE_URL) instead of a fresh SQLite file
        self.processes = processes  # `meetbot serve --workers N`
        self.provider_latency = provider_latency
        self.slack = FakeSlack()
        self.zoom = FakeZoom()
        self.dialpad = FakeDialpad()
        self.proc: subprocess.Popen | None = None
        self.floors: dict[str, subprocess.Popen] = {}
        self.base_url = ""
        self.cold_start = 0.0
        self._logs: list = []

    # -- lifecycle ---------------------------------------------------------------------------------------

    def __enter__(self) -> "Stack":
        try:
            self.slack.start()
            self.zoom.start()
            self.dialpad.start()
            self.set_provider_latency(self.provider_latency)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for proc in [*self.floors.values(), self.proc]:
            stop_process(proc)
        for fake in (self.slack, self.zoom, self.dialpad):
            fake.stop()
        for handle in self._logs:
            handle.close()

    def set_provider_latency(self, seconds: float) -> None:
        self.zoom.delay("create", seconds)
        self.dialpad.delay("create", seconds)

    def _log(self, name: str):
        handle = open(self.workdir / name, "w")
        self._logs.append(handle)
        return handle

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.workdir),
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.slack.base_url,
            "MEETBOT_DB": str(self.workdir / "meetbot.db"),
            "MEETBOT_SECRET_KEY": Fernet.generate_key().decode(),
            "MEETBOT_PUBLIC_URL": PUBLIC,
            "ZOOM_CLIENT_ID": "zoom-client",
            "ZOOM_CLIENT_SECRET": "zoom-secret",
            "ZOOM_API_URL": self.zoom.api_url,
            "ZOOM_OAUTH_URL": self.zoom.oauth_url,
            "DIALPAD_CLIENT_ID": "dialpad-client",
            "DIALPAD_CLIENT_SECRET": "dialpad-secret",
            "DIALPAD_API_URL": self.dialpad.api_url,
            "DIALPAD_OAUTH_URL": self.dialpad.oauth_url,
            "JITSI_BASE_URL": "https://meet.example.test",
            **({"MEETBOT_DATABASE_URL": self.database_url} if self.database_url else {}),
        }

    def start_meetbot(self) -> float:
        """Start `meetbot serve`; returns the cold start: Popen to the first 200 ack of a signed `/meet`."""
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        log = self.workdir / "meetbot.log"
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(self.processes)],
            env=self.env(), cwd=self.workdir, stdout=self._log("meetbot.out"), stderr=self._log("meetbot.log"),
            start_new_session=True,  # Ctrl-C goes to the benchmark, which then stops this with SIGTERM
        )
        self.cold_start = first_ack(self.base_url, self.proc, log) - started
        return self.cold_start

    def start_floor(self, name: str, process_before_response: bool = False) -> str:
        """Start benchmarks/floor_app.py on a free port as floor `name`; its base URL."""
        port = free_port()
        args = [sys.executable, str(REPO / "benchmarks" / "floor_app.py"), "--port", str(port),
                "--slack-url", self.slack.base_url] + (["--process-before-response"] if process_before_response else [])
        proc = subprocess.Popen(args, env={"PATH": os.environ.get("PATH", ""), "HOME": str(self.workdir)},
                                cwd=REPO, stdout=self._log(f"floor-{name}.out"), stderr=self._log(f"floor-{name}.log"),
                                start_new_session=True)
        self.floors[name] = proc
        url = f"http://127.0.0.1:{port}"
        first_ack(url, proc, self.workdir / f"floor-{name}.log")
        return url

    def rss(self) -> float:
        assert self.proc is not None
        return rss_mb(self.proc.pid)

    # -- linking a provider through the real OAuth routes ----------------------------------------------

    def link(self, provider: str, user: str = "U1") -> None:
        """`/meet link <provider>` → Connect URL → confirm page (cookie) → its POST → fake authorize → callback."""
        fake = {"zoom": self.zoom, "dialpad": self.dialpad}[provider]
        name = f"link-{provider}-{user}"
        answer = signed_meet(self.base_url, f"link {provider}", trigger_id=name,
                             response_url=self.slack.response_url(name), timeout=5)
        if answer.status_code != 200:
            raise RuntimeError(f"/meet link {provider}: HTTP {answer.status_code}")

        def replies():  # the Connect button, private to `user` (an ephemeral note, or on the response_url)
            return [c for c in self.slack.private_notes(user) if f"/oauth/{provider}/start" in str(c.body.get("blocks"))]

        if not wait_until(replies, 10):
            raise RuntimeError(f"no reply to /meet link {provider}")
        connect = replies()[-1].body["blocks"][-1]["elements"][0]["url"]
        # Without Sign in with Slack, linking requires the Slack email to be the provider account's (checked once,
        # at the callback): the fakes' accounts are alice@ (Zoom) and bob@ (Dialpad).
        self.slack.set_email(user, {"zoom": ZOOM_ME["email"], "dialpad": DIALPAD_BOB["emails"][0]}[provider])
        with httpx.Client(timeout=5, follow_redirects=False) as http:
            page = http.get(self.base_url + connect[len(PUBLIC):])
            fields = dict(re.findall(r"name='([^']+)' value='([^']*)'", page.text))
            if page.status_code != 200 or "csrf" not in fields:
                raise RuntimeError(f"link {provider}: confirm page HTTP {page.status_code}")
            jar = SimpleCookie()
            jar.load(page.headers["set-cookie"])
            cookie = {"Cookie": f"{COOKIE}={jar[COOKIE].value}"}
            start = http.post(f"{self.base_url}/oauth/{provider}/start", headers=cookie,
                              data={k: html.unescape(v) for k, v in fields.items()})
            if start.status_code != 303:
                raise RuntimeError(f"link {provider}: start HTTP {start.status_code}")
            query = {k: v[0] for k, v in parse_qs(urlparse(start.headers["location"]).query).items()}
            code = fake.authorize(query)
            done = http.get(f"{self.base_url}/oauth/{provider}/callback", params={"code": code, "state": query["state"]},
                            headers=cookie)
            if done.status_code != 200:
                raise RuntimeError(f"link {provider}: callback HTTP {done.status_code}")

    def modal_view(self) -> dict:
        """The real modal meetbot opens for a plain `/meet` (what submissions are built from)."""
        signed_meet(self.base_url, trigger_id="view-template", timeout=5)

        def opened():
            return [c for c in self.slack.calls("views.open") if c.body.get("trigger_id") == "view-template"]

        if not wait_until(opened, 10):
            raise RuntimeError("no views.open for the template /meet")
        return opened()[-1].body["view"]
