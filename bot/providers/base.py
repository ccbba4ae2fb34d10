"""The one interface every meeting provider implements, and the values that cross it.

A provider module (Jitsi, Zoom, Dialpad, later Google Meet or Teams) implements `MeetingProvider` and is
registered in `bot.providers.registry`. Provider quirks (units, auth, response shapes) stay in its module;
everything else sees `MeetingRequest` in and `CreatedMeeting` out, and `bot.errors.Provider*` on failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class MeetingRequest:
    """What the organiser asked for, provider-neutral."""

    title: str
    start: datetime  # aware, in `timezone`
    duration_minutes: int
    timezone: str  # IANA name
    rrule: str | None = None
    instant: bool = False
    agenda: str = ""
    invitee_emails: tuple[str, ...] = ()
    idempotency_key: str = ""


@dataclass(frozen=True)
class CreatedMeeting:
    """What a provider made. `host_url` (a Zoom start_url) is host-only: never posted to a channel or logged."""

    provider: str
    meeting_id: str
    join_url: str
    passcode: str | None = None
    host_url: str | None = field(default=None, repr=False)
    dial_in: str | None = None
    pin: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def public_extra(self) -> dict[str, Any]:
        """What may be stored and shown to everyone (no host link)."""
        data = {"passcode": self.passcode, "dial_in": self.dial_in, "pin": self.pin, **self.extra}
        return {key: value for key, value in data.items() if value}


@runtime_checkable
class MeetingProvider(Protocol):
    """A place meetings are created. `needs_account` is False only for providers like Jitsi."""

    name: str
    label: str
    needs_account: bool

    def create_meeting(self, request: MeetingRequest, account: Any | None) -> CreatedMeeting:
        """Create the meeting; raise `bot.errors.ProviderError` subclasses on failure."""
        ...
