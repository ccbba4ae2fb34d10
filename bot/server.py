"""HTTP mode: a small WSGI router in front of Bolt, served by waitress (threads, production-grade).

Routes (public contract): `POST /slack/events` (Bolt verifies the signature), `GET /healthz`. Provider
OAuth and webhook routes are added by later features through `extra_routes`.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger("meetbot.server")
MAX_BODY_BYTES = 1024 * 1024
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _text(start_response: Callable, status: str, body: str, content_type: str = "text/plain; charset=utf-8") -> list[bytes]:
    data = body.encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


def _reject_before_bolt(environ: dict[str, Any]) -> str | None:
    """A status line for requests Bolt would choke on (it answers 500 to these), else None.

    Reads the body once and puts it back, so Bolt still verifies the signature over the exact raw bytes.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "400 Bad Request"
    if length > MAX_BODY_BYTES:
        return "413 Payload Too Large"
    if not environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "").isdigit() or not environ.get("HTTP_X_SLACK_SIGNATURE"):
        return "401 Unauthorized"
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/x-www-form-urlencoded", "application/json"):
        return "415 Unsupported Media Type"
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    if content_type == "application/json":
        try:
            json.loads(body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return "400 Bad Request"
    return None


def make_wsgi_app(app: App, extra_routes: dict[tuple[str, str], WSGIApp] | None = None) -> WSGIApp:
    """A WSGI callable: Slack events to Bolt, health checks, and any extra (method, path) routes."""
    bolt = SlackRequestHandler(app, path="/slack/events")
    routes = dict(extra_routes or {})

    def wsgi(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _text(start_response, "200 OK", "ok")
        if path == "/slack/events":
            if method != "POST":
                return _text(start_response, "405 Method Not Allowed", "POST only")
            problem = _reject_before_bolt(environ)
            if problem:
                return _text(start_response, problem, problem.split(" ", 1)[1].lower())
            return bolt(environ, start_response)
        handler = routes.get((method, path))
        if handler is not None:
            return handler(environ, start_response)
        return _text(start_response, "404 Not Found", "not found")

    return wsgi


def create_server(wsgi: WSGIApp, host: str = "0.0.0.0", port: int = 3000, threads: int = 16):
    """A waitress server (not started): `.run()` serves, `.close()` stops, `.effective_port` is the port."""
    from waitress.server import create_server as waitress_server

    return waitress_server(
        wsgi, host=host, port=port, threads=threads, max_request_body_size=MAX_BODY_BYTES, ident="meetbot", clear_untrusted_proxy_headers=True
    )


def stop_server(server) -> None:
    """Stop a running waitress server from another thread.

    `close()` must run on the server's own loop thread (closing sockets under a running poll() raises EBADF),
    so it is handed over through waitress's trigger; the loop then ends once its socket map is empty.
    """
    server.trigger.pull_trigger(server.close)
