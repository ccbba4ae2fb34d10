"""Assemble the running app from settings: store, providers, Bolt app; then serve HTTP or Socket Mode."""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import messages
from bot.app import build_app, http_client, routes, shutdown_app
from bot.errors import StartupError
from bot.crypto import load_cipher
from bot.logsafe import configure_logging
from bot.providers import build_registry
from bot.server import create_server, make_wsgi_app, stop_server
from bot.settings import Settings
from bot.store import Store
from bot import timeparse

log = logging.getLogger("meetbot")


def assemble(settings: Settings, socket_mode: bool = False):
    """(app, store): the same wiring for both transports. Warms the parser so no user pays its first call."""
    secret = settings.meetbot_secret_key.get_secret_value() if settings.meetbot_secret_key else None
    store = Store(settings.meetbot_db, load_cipher(secret, settings.meetbot_db))
    http = http_client()
    try:
        app = build_app(settings, store, build_registry(settings, http, store), http=http, socket_mode=socket_mode)
    except (SlackApiError, BoltError) as exc:
        answer = exc.response if isinstance(exc, SlackApiError) else None
        raise StartupError(messages.slack_token_rejected(str(answer and answer.get("error") or exc))) from exc
    except (SlackClientError, OSError) as exc:
        raise StartupError(messages.slack_unreachable(settings.slack_api_url, type(exc).__name__)) from exc
    threading.Thread(target=timeparse.warm_up, name="warm-parser", daemon=True).start()
    return app, store


def serve_http(settings: Settings, host: str, port: int, threads: int) -> None:
    configure_logging()
    app, _store = assemble(settings)
    server = create_server(make_wsgi_app(app, routes(app)), host=host, port=port, threads=threads)
    log.info("meetbot serving HTTP on %s:%s (POST /slack/events, GET /healthz)", host, server.effective_port)
    signal.signal(signal.SIGTERM, lambda *_: stop_server(server))
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        shutdown_app(app)


def run_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    configure_logging()
    app, _store = assemble(settings, socket_mode=True)
    log.info("meetbot connecting over Socket Mode")
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[union-attr]
