"""Provider registry: name → provider. Adding one (Google Meet, Teams) is one module plus a line here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from bot.providers.base import CreatedMeeting, MeetingProvider, MeetingRequest
from bot.providers.jitsi import JitsiProvider
from bot.settings import Settings

DEFAULT_PROVIDER = "jitsi"
PROVIDER_ORDER = ("zoom", "dialpad", "jitsi")

__all__ = ["CreatedMeeting", "MeetingProvider", "MeetingRequest", "ProviderRegistry", "build_registry", "DEFAULT_PROVIDER"]


class ProviderRegistry:
    """The providers this deployment offers, in display order."""

    def __init__(self, providers: Iterable[MeetingProvider]) -> None:
        self._providers = {provider.name: provider for provider in providers}

    def get(self, name: str) -> MeetingProvider | None:
        return self._providers.get(name)

    def names(self) -> list[str]:
        return sorted(self._providers, key=lambda n: PROVIDER_ORDER.index(n) if n in PROVIDER_ORDER else 99)

    def label(self, name: str) -> str:
        provider = self._providers.get(name)
        return provider.label if provider else name.title()

    def usable(self, linked: Iterable[str]) -> list[str]:
        """Providers a user can pick: those needing no account, plus the ones they linked."""
        linked = set(linked)
        return [n for n in self.names() if not self._providers[n].needs_account or n in linked]


def build_registry(settings: Settings, http: httpx.Client, store: Any) -> ProviderRegistry:
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
    ])
