"""The app factory: `build_app(settings, store, providers, ...)` wires Bolt to meetbot's parts.

Bolt runs with `process_before_response=True`: a listener acks and hands slow work to `Jobs`, so the HTTP
answer leaves as soon as the listener returns, without Bolt's 10 ms ack-polling loop and without tying a
web-server thread to a provider call. Tests build the app against fake Slack/provider servers.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timezone

import httpx
from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot import calendar_file, messages
from bot.calendar_file import ICS_PREFIX
from bot.domain.changes import MeetingChanges
from bot.domain.leases import LeaseKeeper
from bot.domain.reminders import ReminderTopUp
from bot.domain.scheduler import Scheduler
from bot.errors import StoreError
from bot.jobs import Jobs
from bot.linking import Linker, StateSigner
from bot.maintenance import Pruner
from bot.providers import ProviderRegistry, zoom_webhook
from bot.settings import Settings
from bot.slack.clients import SlackClients
from bot.slack.directory import UserDirectory
from bot.slack.install import SignedStateStore, StoredBotAuthorize, install_settings
from bot.slack.listeners import Deps, register_all
from bot.slack.live import LiveUpdates
from bot.slack.notifier import SlackNotifier
from bot.slack.observe import ObservedApp
from bot.slack_signin import SlackSignIn
from bot.stores import MeetbotStore
from bot.stores.installations import SlackInstallations

log = logging.getLogger("meetbot.app")


class _ClientGivenOnPurpose(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that the `client` we pass wins over
    it, at every start. We pass the client on purpose (timeouts, retries, base URL), so that line is noise."""

    _text = warning_client_prioritized_and_token_skipped()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self._text


BOLT_LOGGER = logging.getLogger("meetbot.bolt")
BOLT_LOGGER.addFilter(_ClientGivenOnPurpose())


def http_client() -> httpx.Client:
    """One pooled HTTP client per process (response_urls, providers): timeouts sized to Slack's windows."""
    return httpx.Client(
        timeout=httpx.Timeout(10.0, connect=3.0),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        follow_redirects=False,
    )


def slack_signin(settings: Settings, client: WebClient) -> SlackSignIn | None:
    """Sign in with Slack for linking, when the app's client id and secret are set."""
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    if not (settings.slack_client_id and secret):
        return None
    return SlackSignIn(settings.slack_client_id, secret, settings.slack_oauth_url, client)


def routes(app: App) -> dict:
    """The HTTP routes besides /slack/events: OAuth linking and the Zoom webhook."""
    deps = app.meetbot  # type: ignore[attr-defined]
    table = dict(deps.linker.routes()) if deps.linker else {}
    secret = deps.settings.zoom_webhook_secret
    if secret is not None and secret.get_secret_value():
        table[("POST", "/zoom/webhook")] = zoom_webhook.wsgi_route(secret.get_secret_value(), deps.store, deps.live.event)
    if deps.ics_signer is not None:
        table[("GET", ICS_PREFIX)] = calendar_file.wsgi_route(deps.store, deps.ics_signer)
    table[("GET", "/readyz")] = readiness_route(deps.store)
    return table


def readiness_route(store: MeetbotStore):
    """`GET /readyz`: 200 only when the database answers and its schema is current (a load balancer sends
    traffic only then; `/healthz` stays a liveness check that never touches the database)."""

    def readyz(environ: dict, start_response):
        try:
            ready = store.schema_is_current()
        except StoreError as exc:
            log.warning("not ready: %s", exc)
            ready = False
        body = b"ready" if ready else b"not ready: the database is unreachable or its schema is not current"
        start_response("200 OK" if ready else "503 Service Unavailable",
                       [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]

    return readyz


def lease_owner() -> str:
    """This process's name in leases: host, pid and a random tag (a restarted process is a new owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def build_app(
    settings: Settings,
    store: MeetbotStore,
    providers: ProviderRegistry,
    *,
    clients: SlackClients | None = None,
    http: httpx.Client | None = None,
    jobs: Jobs | None = None,
    now: Callable[[], datetime] | None = None,
    socket_mode: bool = False,
) -> App:
    """The Bolt app with meetbot's listeners, and its background parts started (the lease keeper).

    With a bot token it serves that one workspace; with the app's client id and secret instead it is
    distributable: `/slack/install` adds workspaces, each served with its own stored token."""
    clients = clients or SlackClients(settings, SlackInstallations(store))
    http = http or http_client()
    jobs = jobs or Jobs()
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    installs: dict = {}
    if clients.installations is not None:
        states = SignedStateStore(StateSigner(store.cipher.primary_secret_bytes()), store)
        installs = {"oauth_settings": install_settings(settings, clients.installations, states),
                    "authorize": StoredBotAuthorize(clients.installations),
                    "user_facing_authorize_error_message": messages.not_installed(settings.meetbot_public_url or "")}
    app = ObservedApp(
        client=clients.base,
        signing_secret=signing_secret,
        process_before_response=True,
        logger=BOLT_LOGGER,
        # Socket Mode requests arrive over the authenticated websocket, not signed HTTP: nothing to verify.
        request_verification_enabled=not socket_mode,
        # auth.test once at start-up: a bad token fails fast, and no user's ack pays for the lookup.
        token_verification_enabled=not installs,
        **installs,
    )
    now = now or (lambda: datetime.now(timezone.utc))
    public_url = settings.meetbot_public_url or ""
    signer = calendar_file.ics_signer(store.cipher.primary_secret_bytes()) if public_url else None
    notifier = SlackNotifier(clients.for_team, http, providers, posts=store, now=now,
                             ics_link=(lambda key: calendar_file.ics_url(public_url, signer, key)) if signer else None,
                             defer=jobs.submit)
    scheduler = Scheduler(store, providers, notifier, lease_owner(), settings.meetbot_lease_seconds, lanes=jobs)
    pruner = Pruner(store, settings.meetbot_retention_days, scheduler.owner)
    scheduler.changes = MeetingChanges(store, providers, notifier, scheduler)
    deps = Deps(
        settings=settings,
        store=store,
        providers=providers,
        clients=clients,
        directory=UserDirectory(clients.for_team, default_tz=settings.meetbot_default_tz),
        notifier=notifier,
        scheduler=scheduler,
        keeper=LeaseKeeper(store, scheduler, chores=(pruner.tick,)),
        jobs=jobs,
        now=now,
        changes=scheduler.changes,
        ics_signer=signer,
        live=LiveUpdates(store, store, notifier),
    )
    if settings.meetbot_public_url:
        deps.linker = Linker(settings.meetbot_public_url, store, providers, StateSigner(store.cipher.primary_secret_bytes()),
                             notifier, deps.directory, slack_signin(settings, clients.base))
    deps.keeper.chores.append(ReminderTopUp(store, notifier, scheduler.owner))
    register_all(app, deps)
    app.meetbot = deps  # type: ignore[attr-defined]  # for the server (shutdown) and tests
    deps.keeper.start()
    return app


def shutdown_app(app: App, grace: float | None = None) -> bool:
    """Stop the background parts: no more takeovers, running jobs get `grace` seconds, queued ones are left
    to the lease takeover of the next process. True if everything finished in time."""
    deps: Deps = app.meetbot  # type: ignore[attr-defined]
    deps.keeper.stop()
    deps.live.flush_now()
    return deps.jobs.shutdown(grace)
