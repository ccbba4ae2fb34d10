"""OAuth for providers users link: the token values, the extra Protocol, and single-flight refresh.

Zoom and Dialpad rotate refresh tokens: a refresh invalidates the old one, so two workers refreshing the same
account at once would log the user out. `TokenManager.fresh` therefore takes a short *lease* on the account row
(owner + expiry, claimed by compare-and-swap in its own short transaction), calls the token endpoint holding no
lock and no transaction, and stores the new pair with a compare-and-swap on `version` before anyone uses it.
Everyone else, in this process or another, waits on the lease (woken by a condition here, polling the row
with a deadline across processes), never on the database. A token request is sent once: after it may have
reached the provider it is never repeated (the provider may have rotated), so a timeout leaves the account
linked and the organiser is asked to try again; only a real `invalid_grant` disconnects.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import httpx

from bot import metrics
from bot.errors import ProviderAuthError, ProviderError, ProviderRateLimited, ProviderRejected, ProviderUnavailable
from bot.providers.base import MeetingProvider
from bot.providers.http import ProviderHTTP, json_body
from bot.stores import FAILED_LEASE

if TYPE_CHECKING:
    from bot.stores import AccountStore

log = logging.getLogger("meetbot.providers.oauth")
REFRESH_MARGIN_SECONDS = 300
LEASE_SECONDS = 60.0  # outlasts one token request (provider timeout, connect retries); frees a crashed owner's lease
WAIT_SECONDS = 30.0  # how long a request waits for someone else's refresh before asking the organiser to retry
FAILED_HOLD_SECONDS = 1.0  # after a failed refresh, requests already waiting give up rather than resend it
POLL_SECONDS = 0.1  # how often a waiter re-reads the row (another process's refresh wakes nobody here)
T = TypeVar("T")


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str | None
    expires_at: float | None
    scope: str | None = None

    def __repr__(self) -> str:  # never print tokens
        return f"TokenSet(expires_at={self.expires_at!r}, scope={self.scope!r})"


@dataclass(frozen=True)
class Identity:
    id: str
    email: str | None = None
    name: str | None = None


class InvalidGrant(ProviderAuthError):
    """The refresh token was rejected: the user must reconnect."""


class OAuthProvider(MeetingProvider, Protocol):
    """A provider linked per user with OAuth (authorization code + PKCE, rotating refresh tokens)."""

    def configured(self) -> bool: ...

    def authorize_url(self, redirect_uri: str, state: str, code_challenge: str) -> str: ...

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenSet: ...

    def refresh(self, refresh_token: str) -> TokenSet: ...

    def identity(self, access_token: str) -> Identity: ...

    def revoke(self, account: Any) -> None: ...


class CodeGrantClient:
    """The authorization-code + rotating-refresh plumbing Zoom and Dialpad share. A subclass sets `name` and
    `label` and says how its token endpoint wants client credentials (`_client_auth`)."""

    name = ""
    label = ""

    def prepare(self, account: Any | None) -> None:
        """Refresh the account's access token now if it is due (the scheduler calls this before a create)."""
        if account is not None and account.access_token:
            self.tokens.fresh(account, self)  # type: ignore[arg-type]

    def __init__(self, api_url: str, oauth_url: str, client_id: str | None, client_secret: Any,
                 http: httpx.Client, tokens: "TokenManager") -> None:
        self.api_url = api_url.rstrip("/")
        self.oauth_url = oauth_url.rstrip("/")
        self.client_id = client_id or ""
        self._client_secret = client_secret.get_secret_value() if client_secret else ""
        self.http = ProviderHTTP(http, self.label)
        self.tokens = tokens

    def _client_auth(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """(form, headers) carrying the client credentials: in the body by default."""
        return {**form, "client_id": self.client_id, "client_secret": self._client_secret}, {}

    def _token(self, form: dict[str, str]) -> TokenSet:
        form, headers = self._client_auth(form)
        try:
            response = self.http.send("POST", f"{self.oauth_url}/token", idempotent=False, once=True, data=form,
                                      headers=headers)
        except ProviderRejected as exc:
            if exc.code == "invalid_grant":  # a refresh token (or code) that is dead for good
                raise InvalidGrant(self.name, cause="disconnected") from exc
            raise
        return token_set(json_body(response, self.label), time.time())

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        return self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                            "code_verifier": code_verifier})

    def refresh(self, refresh_token: str) -> TokenSet:
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})


def token_set(data: dict[str, Any], now: float) -> TokenSet:
    """A TokenSet from an RFC 6749 token response."""
    expires_in = data.get("expires_in")
    return TokenSet(
        access_token=str(data["access_token"]),
        refresh_token=data.get("refresh_token"),
        expires_at=now + float(expires_in) if expires_in else None,
        scope=data.get("scope"),
    )


class TokenManager:
    """Hands out a usable access token for a linked account, refreshing at most once per expiry."""

    def __init__(self, store: AccountStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._changed = threading.Condition()  # notified whenever a refresh here ends

    def _usable(self, account: Any) -> bool:
        return bool(account.access_token) and (
            account.expires_at is None or account.expires_at - self.clock() > REFRESH_MARGIN_SECONDS
        )

    def fresh(self, account: Any, provider: OAuthProvider, force: bool = False) -> Any:
        """The account with a usable access token. `force` after a 401: refresh unless someone just did."""
        if not force and self._usable(account):
            return account
        key = (account.team_id, account.user_id, account.provider)
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            current = self.store.get_account(*key)
            if current is None or current.status != "active":
                raise ProviderAuthError(account.provider, cause="disconnected")
            if self._usable(current) and (not force or current.version != account.version):
                return current  # still good, or another worker or process refreshed while we waited
            if self.store.claim_refresh_lease(*key, current.version, owner, self.clock(), LEASE_SECONDS):
                break
            if self.store.refresh_lease_owner(*key, self.clock()) == FAILED_LEASE:
                raise ProviderUnavailable(provider.name, cause="refresh_failed")
            if time.monotonic() > deadline:
                raise ProviderUnavailable(provider.name, cause="refresh_busy")
            with self._changed:
                self._changed.wait(POLL_SECONDS)
        try:
            refreshed = self._refresh(current, provider)
        except ProviderError as exc:  # waiters give up too: the same refresh token is not sent twice
            self.store.end_refresh_lease(*key, owner, failed_until=self.clock() + FAILED_HOLD_SECONDS)
            outcome = "rejected" if isinstance(exc, InvalidGrant) else "rate_limited" if isinstance(
                exc, ProviderRateLimited) else "error"
            metrics.token_refreshes.labels(provider.name, outcome).inc()
            raise
        finally:
            with self._changed:
                self._changed.notify_all()
        self.store.end_refresh_lease(*key, owner)  # already free unless a relink won the compare-and-swap
        metrics.token_refreshes.labels(provider.name, "refreshed").inc()
        return refreshed

    def _refresh(self, current: Any, provider: OAuthProvider) -> Any:
        """One token request (no lock or transaction open); the new pair saved by compare-and-swap on `version`."""
        key = (current.team_id, current.user_id, current.provider)
        try:
            if not current.refresh_token:
                raise InvalidGrant(provider.name, cause="disconnected")
            tokens = provider.refresh(current.refresh_token)
        except InvalidGrant:
            if self.store.mark_disconnected(*key, expected_version=current.version):
                log.warning("%s refresh token rejected for %s: marked disconnected", provider.name, current.user_id)
            raise
        except ProviderRateLimited:
            raise
        except ProviderError as exc:  # a timeout, a 5xx, a refusal that isn't invalid_grant: the link stays
            log.info("%s refresh for %s failed (%s); the account stays linked", provider.name, current.user_id,
                     type(exc).__name__)
            raise ProviderUnavailable(provider.name, cause="refresh_failed") from exc
        updated = self.store.update_tokens_if_version(*key, current.version, tokens.access_token,
                                                      tokens.refresh_token, tokens.expires_at)
        return updated or self.store.get_account(*key)

    def call(self, account: Any, provider: OAuthProvider, fn: Callable[[str], T]) -> T:
        """`fn(access_token)`, refreshing first when due and once more on a 401 (Zoom code 124)."""
        current = self.fresh(account, provider)
        try:
            return fn(current.access_token)
        except InvalidGrant:
            raise
        except ProviderAuthError:
            current = self.fresh(current, provider, force=True)
            return fn(current.access_token)
