"""Assemble the running app from settings and run it as a service, the same way in both Slack modes.

`Service` is the one assembled runtime that `meetbot run`/`serve` start (and the end-to-end tests drive):
the HTTP routes a browser or Zoom must reach (OAuth start/callback, `/zoom/webhook`, `/healthz`) are served
in BOTH modes; Slack's own requests come in on `POST /slack/events` (HTTP mode) or over the Socket Mode
websocket. Every start-up mistake is a `StartupError` (one line, exit 2); SIGTERM/SIGINT stop taking work,
let in-flight jobs finish within a grace period, then the process exits 0.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from typing import Any

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import messages, metrics
from bot.app import build_app, http_client, routes, shutdown_app
from bot.errors import ParseError, StartupError
from bot.logsafe import configure_logging
from bot.providers import build_registry
from bot.server import create_server, make_wsgi_app, stop_server
from bot.settings import Settings
from bot.stores import open_store
from bot import timeparse

log = logging.getLogger("meetbot")
DEFAULT_GRACE_SECONDS = 8.0


def _slack_error(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("error") if response is not None else exc)


def assemble(settings: Settings, socket_mode: bool = False):
    """(app, store): the same wiring for both transports. Warms the parser so no user pays its first call."""
    store = open_store(settings)
    http = http_client()
    try:
        app = build_app(settings, store, build_registry(settings, http, store), http=http, socket_mode=socket_mode)
    except (SlackApiError, BoltError) as exc:
        raise StartupError(messages.slack_token_rejected(_slack_error(exc))) from exc
    except (SlackClientError, OSError) as exc:
        raise StartupError(messages.slack_unreachable(settings.slack_api_url, type(exc).__name__)) from exc
    threading.Thread(target=timeparse.warm_up, name="warm-parser", daemon=True).start()
    return app, store


def check_settings(settings: Settings, port: int) -> None:
    """The mistakes found without the network, before anything starts."""
    if not 0 <= port <= 65535:  # 0: any free port (tests)
        raise StartupError(messages.port_out_of_range(port))
    try:
        timeparse.resolve_zone(settings.meetbot_default_tz)
    except ParseError as exc:
        raise StartupError(messages.bad_default_tz(settings.meetbot_default_tz)) from exc


class Service:
    """The assembled app, its HTTP server and (in Socket Mode) its websocket; `start`, then `stop(grace)`."""

    def __init__(self, settings: Settings, *, host: str = "0.0.0.0", port: int = 3000, threads: int = 16,
                 socket_mode: bool = False, sock: socket.socket | None = None) -> None:
        check_settings(settings, port)
        metrics.configure(settings.meetbot_metrics_dir)
        self.settings, self.socket_mode = settings, socket_mode
        self.app, self.store = assemble(settings, socket_mode=socket_mode)
        wsgi = make_wsgi_app(self.app, routes(self.app), slack_events=not socket_mode)
        try:
            self.server = create_server(wsgi, host=host, port=port, threads=threads, sock=sock)
        except OSError as exc:
            raise StartupError(messages.port_unavailable(host, port, exc.strerror or type(exc).__name__)) from exc
        self.host, self.port = host, int(self.server.effective_port)
        self._thread = threading.Thread(target=self.server.run, name="meetbot-http", daemon=True)
        self._socket: Any = None

    @property
    def jobs(self):
        return self.app.meetbot.jobs

    def start(self) -> None:
        """Serve HTTP, then (Socket Mode) open the websocket; a rejected app token is a StartupError."""
        self._thread.start()
        if self.socket_mode:
            self._connect_socket()
        routes_served = "POST /slack/events, " if not self.socket_mode else ""
        log.info("meetbot %s; HTTP on %s:%s (%sGET /healthz, OAuth, /zoom/webhook)",
                 "connected over Socket Mode" if self.socket_mode else "serving Slack over HTTP",
                 self.host, self.port, routes_served)

    def _connect_socket(self) -> None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        token = self.settings.slack_app_token.get_secret_value() if self.settings.slack_app_token else ""
        # The client logs its own failure before raising; ours is the one line the operator needs.
        quiet = logging.getLogger("meetbot.socket")
        quiet.setLevel(logging.CRITICAL)
        self._socket = SocketModeHandler(self.app, token, logger=quiet)
        try:
            self._socket.connect()
        except SlackApiError as exc:
            self.stop(0)
            raise StartupError(messages.slack_app_token_rejected(_slack_error(exc))) from exc
        except (SlackClientError, OSError) as exc:
            self.stop(0)
            raise StartupError(messages.slack_unreachable(self.settings.slack_api_url, type(exc).__name__)) from exc
        quiet.setLevel(logging.NOTSET)

    def stop(self, grace: float = DEFAULT_GRACE_SECONDS) -> bool:
        """Stop taking work (websocket closed, HTTP listener closed), then let in-flight jobs finish for up
        to `grace` seconds. True if none was left running."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._thread.is_alive():
            stop_server(self.server)
            self._thread.join(timeout=5)
        else:
            self.server.close()
        finished = shutdown_app(self.app, grace)  # no more takeovers; what is left keeps its lease
        if finished:
            self.store.close()
        return finished


def run_service(settings: Settings, *, host: str, port: int, threads: int = 16, socket_mode: bool = False,
                grace: float = DEFAULT_GRACE_SECONDS, sock: socket.socket | None = None) -> bool:
    """`meetbot run`/`serve`: start, wait for SIGTERM or SIGINT (Ctrl-C), stop gracefully.

    True when every in-flight job finished within `grace`; False means some were still running (the caller
    exits without waiting for them; they are left for the next start to pick up).
    """
    configure_logging(log_format=settings.meetbot_log_format)
    stopping = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        service = Service(settings, host=host, port=port, threads=threads, socket_mode=socket_mode, sock=sock)
        service.start()
        stopping.wait()
        log.info("meetbot stopping: no new work; waiting up to %.0f s for %d running jobs", grace, service.jobs.pending())
        finished = service.stop(grace)
        if not finished:
            log.warning("meetbot stopped with %d jobs still running after %.0f s", service.jobs.pending(), grace)
        return finished
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
