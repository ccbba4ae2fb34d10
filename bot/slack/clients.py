"""The Web API client of each workspace: one fixed bot token, or the token its installation stored.

Single-workspace mode (`SLACK_BOT_TOKEN` set) always answers with the one client, as before. A distributable
app (installed through `/slack/install`) keeps a bot token per workspace (or per Enterprise Grid org): every
call made for a request, a background job or a reminder asks for the client of that request's workspace, so
one workspace's token never touches another's data. Tokens are read from the store and kept for a short time
(`ttl`): an uninstall seen here forgets them at once; one seen by another instance within `ttl`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.settings import Settings
from bot.slack.api import slack_client
from bot.stores.installations import SlackInstallations

CLIENT_TTL_SECONDS = 60.0


class NotInstalled(SlackClientError):
    """The workspace has no installation of meetbot (never installed, or uninstalled since). A Slack client
    error, so every caller's existing handling of an unreachable Slack covers it."""

    def __init__(self, team_id: str) -> None:
        super().__init__(f"meetbot is not installed in workspace {team_id}")
        self.team_id = team_id


def distributable(settings: Settings) -> bool:
    """Many workspaces through Slack's install flow: the app's client id and secret, and no fixed bot token."""
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    return bool(settings.slack_client_id and secret and not token)


class SlackClients:
    """`for_team(team_id)`: the client that speaks for that workspace. `base`: the token-less client (OAuth
    exchanges, Sign in with Slack) in a distributable app, or the one client otherwise."""

    def __init__(self, settings: Settings, installations: SlackInstallations | None = None, *,
                 base: WebClient | None = None, ttl: float = CLIENT_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.base = base or slack_client(settings)
        self._settings = settings
        self._installations = installations if distributable(settings) else None
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._by_team: dict[str, tuple[float, WebClient]] = {}

    @property
    def distributable(self) -> bool:
        return self._installations is not None

    @property
    def installations(self) -> SlackInstallations | None:
        return self._installations

    def for_team(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        """The workspace's client; `NotInstalled` when it has no installation."""
        if self._installations is None:
            return self.base
        now = self._clock()
        with self._lock:
            hit = self._by_team.get(team_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        token = self._installations.bot_token_for(team_id, enterprise_id)
        if not token:
            raise NotInstalled(team_id)
        client = slack_client(self._settings, token=token)
        with self._lock:
            self._by_team[team_id] = (now, client)
        return client

    def forget(self, team_id: str = "") -> None:
        """Drop cached clients (of one workspace, or all when `team_id` is empty), e.g. after an uninstall."""
        with self._lock:
            if team_id:
                self._by_team.pop(team_id, None)
            else:
                self._by_team.clear()
