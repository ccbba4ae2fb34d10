"""The values that travel from the modal to the provider to the post: one request, one created meeting.

`MeetingRequest` is built once by a listener (modal submission or `/meet now`), saved under its idempotency
key, handed to the provider and used for the post; Retry and the lease takeover rebuild it from the store
with `from_json`. Times are aware `datetime`s everywhere; the JSON form exists only for storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.status import MeetingStatus

RESPONSE_URL_TTL_SECONDS = 30 * 60  # Slack: a response_url takes up to 5 posts within 30 minutes


@dataclass(frozen=True)
class MeetingRequest:
    """What the organiser asked for, and where the answer goes. Provider-neutral."""

    title: str
    start: datetime  # aware, in `timezone`
    duration_minutes: int
    timezone: str  # IANA name (or a fixed offset the parser understood)
    rrule: str | None = None
    instant: bool = False
    agenda: str = ""
    invitee_emails: tuple[str, ...] = ()
    key: str = ""  # the idempotency key: one meeting per key, however often it is submitted
    team_id: str = ""
    user_id: str = ""  # the organiser
    provider: str = ""
    channel_id: str = ""  # where the link goes
    origin_channel_id: str = ""  # where /meet was typed (for the organiser's private notes)
    invitee_ids: tuple[str, ...] = ()
    response_url: str = ""  # posts into channel_id when the bot cannot
    origin_response_url: str = ""  # the command's own response_url, for replies to the organiser
    requested_at: float = 0.0  # epoch seconds; both response_urls die RESPONSE_URL_TTL_SECONDS later
    reminder_minutes: int | None = None  # remind the channel this long before (None: no reminder)
    thread_ts: str = ""  # post as a reply in this thread of channel_id (a meeting made from a message)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    def response_urls_live(self, now: float) -> bool:
        """Whether the stored response_urls may still be used (Slack forgets them after 30 minutes)."""
        return now - self.requested_at < RESPONSE_URL_TTL_SECONDS

    def but(self, **changes: Any) -> "MeetingRequest":
        """A copy with some fields changed (e.g. the invitees' emails, looked up after the ack)."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "start": self.start.isoformat(), "duration_minutes": self.duration_minutes,
            "timezone": self.timezone, "rrule": self.rrule, "instant": self.instant, "agenda": self.agenda,
            "invitee_emails": list(self.invitee_emails), "key": self.key, "team_id": self.team_id,
            "user_id": self.user_id, "provider": self.provider, "channel_id": self.channel_id,
            "origin_channel_id": self.origin_channel_id, "invitee_ids": list(self.invitee_ids),
            "response_url": self.response_url, "origin_response_url": self.origin_response_url,
            "requested_at": self.requested_at, "reminder_minutes": self.reminder_minutes, "thread_ts": self.thread_ts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MeetingRequest":
        return cls(
            title=str(data["title"]), start=datetime.fromisoformat(data["start"]),
            duration_minutes=int(data["duration_minutes"]), timezone=str(data["timezone"]), rrule=data.get("rrule"),
            instant=bool(data.get("instant")), agenda=str(data.get("agenda") or ""),
            invitee_emails=tuple(data.get("invitee_emails") or ()), key=str(data.get("key") or ""),
            team_id=str(data.get("team_id") or ""), user_id=str(data.get("user_id") or ""),
            provider=str(data.get("provider") or ""), channel_id=str(data.get("channel_id") or ""),
            origin_channel_id=str(data.get("origin_channel_id") or ""), invitee_ids=tuple(data.get("invitee_ids") or ()),
            response_url=str(data.get("response_url") or ""), origin_response_url=str(data.get("origin_response_url") or ""),
            requested_at=float(data.get("requested_at") or 0.0),
            reminder_minutes=int(data["reminder_minutes"]) if data.get("reminder_minutes") is not None else None,
            thread_ts=str(data.get("thread_ts") or ""),
        )


@dataclass(frozen=True)
class CreatedMeeting:
    """What a provider made. `host_url` (a Zoom start_url) is host-only: never stored, posted or logged."""

    provider: str
    meeting_id: str
    join_url: str
    passcode: str | None = None
    dial_in: str | None = None
    pin: str | None = None
    host_url: str | None = field(default=None, repr=False)

    def without_host_link(self) -> "CreatedMeeting":
        """What may be stored and shown to everyone."""
        return replace(self, host_url=None)


@dataclass(frozen=True)
class MeetingRecord:
    """A saved request and where it is in its lifecycle."""

    request: MeetingRequest
    status: MeetingStatus
    meeting: CreatedMeeting | None = None  # set from `created` on; never carries the host link
    error: str | None = None
    lease_owner: str | None = None
    lease_expires_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def key(self) -> str:
        return self.request.key

    @property
    def join_url(self) -> str | None:
        return self.meeting.join_url if self.meeting else None

    @property
    def provider_meeting_id(self) -> str | None:
        return self.meeting.meeting_id if self.meeting else None


@dataclass(frozen=True)
class StatusChange:
    """One line of a request's history: every transition and takeover, with when and why."""

    key: str
    from_status: MeetingStatus | None  # None when the request was first saved
    to_status: MeetingStatus
    reason: str
    owner: str | None
    at: float


@dataclass(frozen=True)
class PostLocation:
    """The channel message that shows a meeting (the one `chat.update` changes)."""

    channel_id: str
    ts: str


@dataclass(frozen=True)
class ScheduledReminder:
    """A reminder Slack holds for us (`chat.scheduleMessage`), until it is posted or deleted."""

    channel_id: str
    scheduled_message_id: str
    post_at: int


@dataclass(frozen=True)
class LiveState:
    """What the provider's events say about a meeting: started, how many are in the call, ended."""

    started_at: float
    ended_at: float | None
    participants: int
