"""Who a Slack user is, for scheduling: their time zone and email, from `users.info`, cached a few minutes.

Times are parsed in the user's own zone. Slack's `tz` can be missing (bots, some guests): then the default.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.slack.api import SLACK_ERRORS

log = logging.getLogger("meetbot.directory")


@dataclass(frozen=True)
class SlackUser:
    id: str
    tz: str
    email: str | None
    name: str
    is_admin: bool = False  # a workspace admin or owner (may change the workspace policy)


class UserDirectory:
    """A small TTL cache over `users.info` per workspace (asked with that workspace's client), thread-safe."""

    def __init__(self, client_for: Callable[[str], WebClient], default_tz: str = "UTC", ttl: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client_for = client_for
        self._default_tz = default_tz
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, SlackUser]] = {}
        self._lock = threading.Lock()
        self._team_names: dict[str, str] = {}

    def cached(self, team_id: str, user_id: str) -> SlackUser | None:
        with self._lock:
            hit = self._cache.get((team_id, user_id))
        if hit and self._clock() - hit[0] < self._ttl:
            return hit[1]
        return None

    def get(self, team_id: str, user_id: str, fresh: bool = False) -> SlackUser:
        """The user, from the cache unless `fresh` (linking checks the email Slack has now)."""
        hit = None if fresh else self.cached(team_id, user_id)
        if hit is not None:
            return hit
        try:
            data = self._client_for(team_id).users_info(user=user_id).get("user") or {}
        except SLACK_ERRORS as exc:
            log.warning("users.info failed for %s: %s; using %s", user_id, type(exc).__name__, self._default_tz)
            return SlackUser(user_id, self._default_tz, None, user_id)
        profile = data.get("profile") or {}
        user = SlackUser(
            id=user_id,
            tz=data.get("tz") or self._default_tz,
            email=profile.get("email"),
            name=profile.get("display_name") or data.get("real_name") or data.get("name") or user_id,
            is_admin=bool(data.get("is_admin") or data.get("is_owner")),
        )
        with self._lock:
            self._cache[(team_id, user_id)] = (self._clock(), user)
        return user

    def team_name(self, team_id: str) -> str:
        """The workspace's name (auth.test, once), for pages that must say which workspace they link to."""
        with self._lock:
            known = self._team_names.get(team_id)
        if known is None:
            try:
                known = str(self._client_for(team_id).auth_test().get("team") or "")
            except SLACK_ERRORS:
                return ""
            with self._lock:
                self._team_names[team_id] = known
        return known

    def tz(self, team_id: str, user_id: str) -> str:
        return self.get(team_id, user_id).tz
