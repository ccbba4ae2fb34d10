"""The app factory: `build_app(settings, store, providers, ...)` wires Bolt to meetbot's parts.

Bolt runs with `process_before_response=True`: a listener acks and hands slow work to `Jobs`, so the HTTP
answer leaves as soon as the listener returns, without Bolt's 10 ms ack-polling loop and without tying a
web-server thread to a provider call. Tests build the app against fake Slack/provider servers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

import httpx
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.providers import zoom_webhook
from bot.slack.directory import UserDirectory
from bot.jobs import Jobs
from bot.linking import Linker, StateSigner
from bot.slack.listeners import Deps, register_all
from bot.providers import ProviderRegistry
from bot.service import MeetingService
from bot.settings import Settings

SLACK_TIMEOUT_SECONDS = 5


def slack_client(settings: Settings) -> WebClient:
    """The Web API client: explicit timeout, and retries that honour Slack's 429 Retry-After."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1), RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def http_client() -> httpx.Client:
    """One pooled HTTP client per process (response_urls, providers): timeouts sized to Slack's windows."""
    return httpx.Client(
        timeout=httpx.Timeout(10.0, connect=3.0),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        follow_redirects=False,
    )


def routes(app: App) -> dict:
    """The HTTP routes besides /slack/events: OAuth linking and the Zoom webhook."""
    deps = app.meetbot  # type: ignore[attr-defined]
    table = dict(deps.linker.routes()) if deps.linker else {}
    secret = deps.settings.zoom_webhook_secret
    if secret is not None and secret.get_secret_value():
        table[("POST", "/zoom/webhook")] = zoom_webhook.wsgi_route(secret.get_secret_value(), deps.store)
    return table


def build_app(
    settings: Settings,
    store,
    providers: ProviderRegistry,
    *,
    client: WebClient | None = None,
    http: httpx.Client | None = None,
    jobs: Jobs | None = None,
    now: Callable[[], datetime] | None = None,
    socket_mode: bool = False,
) -> App:
    client = client or slack_client(settings)
    http = http or http_client()
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = App(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        logger=logging.getLogger("meetbot.bolt"),
        # Socket Mode requests arrive over the authenticated websocket, not signed HTTP: nothing to verify.
        request_verification_enabled=not socket_mode,
        # auth.test once at start-up: a bad token fails fast, and no user's ack pays for the lookup.
        token_verification_enabled=True,
    )
    deps = Deps(
        settings=settings,
        store=store,
        providers=providers,
        client=client,
        directory=UserDirectory(client, default_tz=settings.meetbot_default_tz),
        service=MeetingService(store, providers, client, http),
        jobs=jobs or Jobs(),
        now=now or (lambda: datetime.now(timezone.utc)),
    )
    if settings.meetbot_public_url:
        deps.linker = Linker(settings.meetbot_public_url, store, providers, StateSigner(store.cipher.primary_secret_bytes()), client)
    register_all(app, deps)
    app.meetbot = deps  # type: ignore[attr-defined]  # for the server (shutdown) and tests
    return app
