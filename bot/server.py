"""The HTTP server: a small WSGI router in front of Bolt, served by waitress (threads, production-grade).

Routes (public contract): `POST /slack/events` (HTTP mode only), `GET /healthz`, `GET /metrics`, Slack's install
flow (`GET /slack/install`, `GET /slack/oauth_redirect`) in a distributable app, and the provider OAuth and
webhook routes given as `extra_routes` (in both modes: Socket Mode serves them without `/slack/events`).
The Slack signature is checked here over the raw bytes BEFORE anything parses the body (Bolt parses
first and verifies later, so an unsigned `[[[[…` used to reach its JSON parser); a signed body Bolt could
not parse is a 400, never a 500.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body

from bot import metrics

log = logging.getLogger("meetbot.server")
MAX_BODY_BYTES = 1024 * 1024
MAX_SKEW_SECONDS = 300  # Slack's replay window
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _text(start_response: Callable, status: str, body: str, content_type: str = "text/plain; charset=utf-8") -> list[bytes]:
    data = body.encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


def signature_ok(secret: str, timestamp: str, body: bytes, signature: str, now: float | None = None) -> bool:
    """Slack's v0 signature over the raw bytes (any bytes: slack_sdk's verifier fails on non-UTF-8), fresh."""
    if not secret or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    expected = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={expected}", signature)


def _reject_before_bolt(environ: dict[str, Any], secret: str) -> str | None:
    """A status line for a request that must not reach Bolt, else None.

    Order matters: size and headers, then the signature over the exact raw bytes, and only then a parse
    (the one Bolt will do, so a body that passes here cannot make Bolt fail). The body is put back for Bolt.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "400 Bad Request"
    if length > MAX_BODY_BYTES or length < 0:
        return "413 Payload Too Large" if length > 0 else "400 Bad Request"
    timestamp, signature = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""), environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not timestamp or not signature:
        return "401 Unauthorized"
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/x-www-form-urlencoded", "application/json"):
        return "415 Unsupported Media Type"
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    if not signature_ok(secret, timestamp, body, signature):
        return "401 Unauthorized"
    try:
        parsed = parse_body(body.decode("utf-8"), content_type)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return "400 Bad Request"
    return None if _slack_shaped(parsed) else "400 Bad Request"


_NONE = type(None)
# What Slack sends under these keys (top level and inside `event`); Bolt's middleware reads them unchecked.
_SHAPES: dict[str, tuple[type, ...]] = {
    "event": (dict,), "view": (dict,), "container": (dict,), "message": (dict,), "state": (dict,),
    "team": (dict, str, _NONE), "enterprise": (dict, str, _NONE), "user": (dict, str), "channel": (dict, str),
    "actions": (list,), "authorizations": (list,), "response_urls": (list,),
}


def _slack_shaped(parsed: Any) -> bool:
    """The nesting Bolt's middleware reads without checking (`body["event"].get(...)`): objects where Slack
    sends objects, lists of objects where it sends lists. Anything else is not from Slack."""
    if not isinstance(parsed, dict):
        return False
    for scope in (parsed, parsed.get("event") or {}):
        for key, kinds in _SHAPES.items():
            value = scope.get(key, _NONE)
            if value is _NONE:
                continue
            if not isinstance(value, kinds) or (isinstance(value, list) and not all(isinstance(i, dict) for i in value)):
                return False
    return True


def make_wsgi_app(app: App, extra_routes: dict[tuple[str, str], WSGIApp] | None = None, *,
                  slack_events: bool = True, signing_secret: str | None = None) -> WSGIApp:
    """A WSGI callable: Slack events to Bolt (unless `slack_events` is False, as in Socket Mode), health
    checks, and any extra (method, path) routes. `signing_secret` defaults to the one Bolt was built with."""
    bolt = SlackRequestHandler(app, path="/slack/events")
    secret = app._signing_secret if signing_secret is None else signing_secret
    routes = dict(extra_routes or {})
    if app.oauth_flow is not None:  # a distributable app: Slack's install flow, handled by Bolt (both modes)
        routes[("GET", app.oauth_flow.install_path)] = bolt
        routes[("GET", app.oauth_flow.redirect_uri_path)] = bolt

    def wsgi(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _text(start_response, "200 OK", "ok")
        if path == "/metrics" and method in ("GET", "HEAD"):
            body, content_type = metrics.exposition()
            return _text(start_response, "200 OK", body.decode(), content_type)
        if path == "/slack/events" and slack_events:
            if method != "POST":
                return _text(start_response, "405 Method Not Allowed", "POST only")
            problem = _reject_before_bolt(environ, secret)
            if problem:
                return _text(start_response, problem, problem.split(" ", 1)[1].lower())
            return bolt(environ, start_response)
        # A route ending in "/" serves every name under it (e.g. /ics/{token}.ics).
        handler = routes.get((method, path)) or routes.get((method, path[: path.rfind("/") + 1]))
        if handler is not None:
            return handler(environ, start_response)
        return _text(start_response, "404 Not Found", "not found")

    return wsgi


def create_server(wsgi: WSGIApp, host: str = "0.0.0.0", port: int = 3000, threads: int = 16,
                  sock: socket.socket | None = None) -> HttpServer:
    """A waitress server (not started): `.run()` serves until `.stop()`, `.effective_port` is the port.
    With `sock` (a listening socket shared by pre-forked workers) it accepts there instead of binding."""
    from waitress.server import create_server as waitress_server

    where: dict[str, Any] = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    return HttpServer(waitress_server(
        wsgi, **where, threads=threads, max_request_body_size=MAX_BODY_BYTES, ident="meetbot", clear_untrusted_proxy_headers=True
    ))


class HttpServer:
    """Waitress's loop, run and stopped by us so that stopping never races a wake-up.

    Waitress wakes its loop by writing to a pipe (the "trigger") from any thread: ours when we stop, and its
    worker threads after each response. Its own `close()` closes that pipe while other threads may still write
    to it, which raised `EBADF` at random in whichever thread wrote last (or, worse, wrote into a reused fd).
    Here every write to the pipe and its closing go through one lock, the loop thread alone closes sockets,
    and requests already being answered get `drain_seconds` to finish before their connections are closed.
    """

    def __init__(self, server: Any, drain_seconds: float = 5.0) -> None:
        self._server = server
        self.effective_port = server.effective_port
        self._drain_seconds = drain_seconds
        self._stopping = threading.Event()
        self._pipe_lock = threading.Lock()
        self._pipe_closed = False
        trigger = server.trigger
        write_to_pipe = trigger._physical_pull

        def guarded_pull() -> None:
            with self._pipe_lock:
                if not self._pipe_closed:
                    write_to_pipe()

        trigger._physical_pull = guarded_pull

    def _poll_once(self, timeout: float) -> None:
        server = self._server
        server.asyncore.loop(timeout=timeout, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)

    def run(self) -> None:
        """Serve until `stop()`; then stop accepting, let answers in progress finish, and close everything."""
        from waitress import wasyncore

        server = self._server
        try:
            while not self._stopping.is_set():
                self._poll_once(server.adj.asyncore_loop_timeout)
            wasyncore.dispatcher.close(server)  # the listening socket: no new connections
            deadline = time.monotonic() + self._drain_seconds
            while time.monotonic() < deadline and any(
                getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0)
                for channel in list(server._map.values())
            ):
                self._poll_once(0.05)
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=self._drain_seconds)
        finally:
            with self._pipe_lock:
                self._pipe_closed = True
                wasyncore.close_all(server._map, ignore_all=True)

    def stop(self) -> None:
        """Ask the loop (in whatever thread runs `run()`) to stop; returns at once."""
        self._stopping.set()
        self._server.pull_trigger()

    def close(self) -> None:
        """Release the sockets of a server that was never run."""
        from waitress import wasyncore

        with self._pipe_lock:
            self._pipe_closed = True
            wasyncore.close_all(self._server._map, ignore_all=True)


def stop_server(server: HttpServer) -> None:
    """Stop a running server from another thread (returns at once; join the thread that runs it)."""
    server.stop()
