"""Provider registry: name → provider. Adding one (Google Meet, Teams) is one module plus a line here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, cast

import httpx

from bot.errors import ProviderAuthError, ProviderNotLinked
from bot.providers.base import CreatedMeeting, LinkedAccountLike, MeetingProvider, MeetingRequest
from bot.providers.jitsi import JitsiProvider
from bot.providers.oauth import CodeGrantClient, OAuthProvider
from bot.settings import Settings
from bot.stores import AccountStore

DEFAULT_PROVIDER = "jitsi"
PROVIDER_ORDER = ("zoom", "dialpad", "jitsi")

__all__ = ["CreatedMeeting", "MeetingProvider", "MeetingRequest", "ProviderRegistry", "build_registry", "DEFAULT_PROVIDER"]


class AccountLookup(Protocol):
    def get_account(self, team_id: str, user_id: str, provider: str) -> LinkedAccountLike | None: ...


class ProviderRegistry:
    """The providers this deployment offers, in display order; the scheduler's `Providers` port (it finds
    the organiser's linked account for providers that need one)."""

    def __init__(self, providers: Iterable[MeetingProvider], accounts: AccountLookup | None = None) -> None:
        self._providers = {provider.name: provider for provider in providers}
        self._accounts = accounts

    def create(self, request: MeetingRequest) -> CreatedMeeting:
        provider, account = self._resolve(request)
        return provider.create_meeting(request, account)

    def prepare(self, request: MeetingRequest) -> None:
        provider, account = self._resolve(request)
        if isinstance(provider, CodeGrantClient):
            provider.prepare(account)

    def find(self, request: MeetingRequest) -> CreatedMeeting | None:
        provider, account = self._resolve(request)
        return provider.find_meeting(request, account)

    def update(self, request: MeetingRequest, meeting_id: str) -> bool:
        provider, account = self._resolve(request)
        change = getattr(provider, "update_meeting", None)
        if change is None:  # Jitsi: the room is just a link, nothing to change; Dialpad: no documented call
            return not provider.needs_account
        change(meeting_id, request, account)
        return True

    def delete(self, request: MeetingRequest, meeting_id: str) -> bool:
        provider, account = self._resolve(request)
        remove = getattr(provider, "delete_meeting", None)
        if remove is None:
            return not provider.needs_account
        remove(meeting_id, account)
        return True

    def host_url(self, request: MeetingRequest, meeting_id: str) -> str | None:
        provider, account = self._resolve(request)
        fetch = getattr(provider, "host_url", None)
        return fetch(meeting_id, account) if fetch is not None else None

    def _resolve(self, request: MeetingRequest) -> tuple[MeetingProvider, LinkedAccountLike | None]:
        provider = self._providers.get(request.provider)
        if provider is None:
            raise ProviderNotLinked(request.provider)
        if not provider.needs_account:
            return provider, None
        account = self._accounts.get_account(request.team_id, request.user_id, request.provider) if self._accounts else None
        if account is None:
            raise ProviderNotLinked(request.provider)
        if account.status != "active":  # revoked, refused, or its tokens unreadable (a lost key)
            raise ProviderAuthError(request.provider, "account disconnected", cause="disconnected")
        return provider, account

    def get(self, name: str) -> MeetingProvider | None:
        return self._providers.get(name)

    def linkable(self, name: str) -> OAuthProvider | None:
        """The provider `name` if users link an account to it (OAuth or company mode), else None."""
        provider = self._providers.get(name)
        return cast(OAuthProvider, provider) if isinstance(provider, CodeGrantClient) else None

    def names(self) -> list[str]:
        return sorted(self._providers, key=lambda n: PROVIDER_ORDER.index(n) if n in PROVIDER_ORDER else 99)

    def label(self, name: str) -> str:
        provider = self._providers.get(name)
        return provider.label if provider else name.title()

    def usable(self, linked: Iterable[str]) -> list[str]:
        """Providers a user can pick: those needing no account, plus the ones they linked."""
        linked = set(linked)
        return [n for n in self.names() if not self._providers[n].needs_account or n in linked]


def build_registry(settings: Settings, http: httpx.Client, store: AccountStore) -> ProviderRegistry:
    """Every provider this code knows. Zoom and Dialpad are listed even when unconfigured, so `/meet link`
    can say what an admin must set; users only see the ones they linked."""
    from bot.providers.dialpad import DialpadProvider
    from bot.providers.oauth import TokenManager
    from bot.providers.zoom import ZoomProvider

    tokens = TokenManager(store)
    return ProviderRegistry([
        ZoomProvider(settings, http, tokens),
        DialpadProvider(settings, http, tokens),
        JitsiProvider(settings.jitsi_base_url),
    ], accounts=store)
