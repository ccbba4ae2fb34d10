"""The one interface every meeting provider implements.

A provider module (Jitsi, Zoom, Dialpad, later Google Meet or Teams) implements `MeetingProvider` and is
registered in `bot.providers`. Provider quirks (units, auth, response shapes) stay in its module; everything
else sees the domain's `MeetingRequest` in and `CreatedMeeting` out, and typed `bot.errors.Provider*` on
failure (no user wording: that is `bot.messages.provider_problem`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.domain.meeting import CreatedMeeting, MeetingRequest


class LinkedAccountLike(Protocol):
    """What a provider reads from a linked account (`bot.stores.LinkedAccount`)."""

    @property
    def team_id(self) -> str: ...

    @property
    def user_id(self) -> str: ...

    @property
    def provider(self) -> str: ...

    @property
    def provider_user_id(self) -> str | None: ...

    @property
    def access_token(self) -> str | None: ...

    @property
    def status(self) -> str: ...


@runtime_checkable
class MeetingProvider(Protocol):
    """A place meetings are created. `needs_account` is False only for providers like Jitsi."""

    name: str
    label: str
    needs_account: bool

    def create_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting:
        """Create the meeting; raise `bot.errors.ProviderError` subclasses on failure."""
        ...

    def find_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting | None:
        """After a create whose answer was lost: the meeting it made, or None when none is found or the
        provider offers no way to look."""
        ...


__all__ = ["CreatedMeeting", "LinkedAccountLike", "MeetingProvider", "MeetingRequest"]
