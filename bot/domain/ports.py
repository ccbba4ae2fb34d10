"""What the scheduler needs from the outside world, as Protocols: the store, the providers, the Slack side.

The stores (bot/stores/), the provider registry (bot/providers) and the Slack notifier
(bot/slack/notifier.py) implement these; unit tests pass in-process fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain.meeting import (CreatedMeeting, LiveState, MeetingRecord, MeetingRequest, PostLocation,
                                ScheduledReminder, StatusChange)
from bot.domain.status import MeetingStatus
from bot.errors import ProviderError


class MeetingStore(Protocol):
    """Meeting requests, their leases and their history. Every status change goes through `transition`."""

    def add_request(self, request: MeetingRequest, owner: str, lease_until: float) -> tuple[MeetingRecord, bool]:
        """Save a new request as `requested`, leased to `owner`: (record, True) the first time a key is
        seen, (the existing record, False) after."""
        ...

    def get_meeting(self, key: str) -> MeetingRecord | None: ...

    def transition(self, key: str, from_status: MeetingStatus, to_status: MeetingStatus, *, reason: str,
                   owner: str | None = None, lease_until: float | None = None,
                   meeting: CreatedMeeting | None = None, error: str | None = None,
                   request: MeetingRequest | None = None) -> MeetingRecord | None:
        """Compare-and-swap `from_status → to_status` (and, when `from_status` is in flight, that `owner` holds
        the lease); the new record, or None if someone else moved it first. Recorded in the history.
        `request`: the organiser's edited values, saved with the move."""
        ...

    def renew_leases(self, owner: str, until: float) -> int:
        """Extend every in-flight lease `owner` holds to `until`; how many."""
        ...

    def release_lease(self, key: str, owner: str, retry_at: float) -> bool:
        """Give up the lease on an in-flight request so the takeover picks it up again at `retry_at`."""
        ...

    def take_over_expired(self, owner: str, now: float, lease_until: float, limit: int = 50) -> list[MeetingRecord]:
        """Lease to `owner` the in-flight requests whose lease expired before `now` (oldest first)."""
        ...

    def history(self, key: str) -> list[StatusChange]: ...

    def forget_response_urls(self, issued_before: float) -> int:
        """Blank the stored response_urls of requests made before `issued_before` (Slack has expired them)."""
        ...

    def upcoming_meetings(self, team_id: str, user_id: str, now_iso: str, limit: int = 10) -> list[MeetingRecord]: ...


class PostStore(Protocol):
    """Where each meeting's post is (for `chat.update`) and the reminders scheduled in its thread."""

    def save_post(self, key: str, channel_id: str, ts: str, at: float) -> None: ...

    def get_post(self, key: str) -> PostLocation | None: ...

    def add_reminder(self, key: str, reminder: ScheduledReminder) -> None: ...

    def reminders(self, key: str) -> list[ScheduledReminder]: ...

    def drop_reminder(self, key: str, scheduled_message_id: str) -> None: ...

    def claim_task(self, name: str, owner: str, now: float, until: float) -> bool:
        """Hold a periodic task's lease (one instance runs it per round); False if another holds it."""
        ...

    def meetings_to_remind(self, statuses: list[str], starting_after: float, limit: int = 500) -> list[str]:
        """Meetings that repeat or are still to start: the reminder top-up's round."""
        ...

    def key_for_provider_meeting(self, provider: str, meeting_id: str) -> str | None: ...

    def record_live_event(self, key: str, kind: str, at: float, participant: str = "") -> None:
        """Apply a provider event (started, ended, joined, left); replays change nothing."""
        ...

    def live_state(self, key: str) -> LiveState | None: ...


class Providers(Protocol):
    """Where meetings are made. Raises `bot.errors.Provider*` (typed, no user wording)."""

    def prepare(self, request: MeetingRequest) -> None:
        """Make the organiser's credentials usable (a due token refresh) before anything is sent to create the
        meeting: a crash here leaves nothing at the provider, so the request can simply be created again."""
        ...

    def create(self, request: MeetingRequest) -> CreatedMeeting:
        """Create the meeting on the organiser's provider (with their linked account where one is needed)."""
        ...

    def find(self, request: MeetingRequest) -> CreatedMeeting | None:
        """After a create whose outcome is unknown: the meeting it made, if the provider can tell; None if it
        cannot be found (or the provider offers no way to look)."""
        ...

    def update(self, request: MeetingRequest, meeting_id: str) -> bool:
        """Move the meeting to `request`'s values; False when the provider offers no way to change it."""
        ...

    def delete(self, request: MeetingRequest, meeting_id: str) -> bool:
        """Delete the meeting (already gone counts as done); False when the provider offers no way to."""
        ...

    def host_url(self, request: MeetingRequest, meeting_id: str) -> str | None:
        """A fresh host-only start link, or None when the provider has none."""
        ...


class OutcomeKind(StrEnum):
    """What the organiser must hear about; the value is how the history records it."""

    NOT_LINKED = "not linked"  # the organiser must (re)link their account
    RATE_LIMITED = "rate limited"
    FAILED = "refused or unreachable"  # before anything was made
    UNKNOWN = "outcome unknown"  # may exist: the organiser checks before Retry
    INTERNAL = "internal error"  # a bug on our side; Retry is offered
    IN_PROGRESS = "in progress"  # a duplicate submission while the first is still being handled
    ALREADY_POSTED = "already posted"  # a duplicate submission of a posted meeting
    BUSY = "lane full"  # the provider's lane is full: nothing started; Retry is offered
    NOT_SAVED = "not saved"  # the database refused the request: nothing was created; type it again
    CHANGE_FAILED = "change refused"  # the provider refused an edit: the meeting keeps its old values
    LEFT_AT_PROVIDER = "left at the provider"  # cancelled in Slack; the provider's meeting could not be deleted
    REMADE = "made again"  # an edit the provider can't make: a new meeting replaced it, the old one stays there


@dataclass(frozen=True)
class Outcome:
    """What happened to a request that the organiser must hear about, as data (the Slack side words it)."""

    kind: OutcomeKind
    error: ProviderError | None = None
    join_url: str | None = None  # for ALREADY_POSTED


class Publisher(Protocol):
    """The Slack side, as the scheduler sees it."""

    def publish(self, record: MeetingRecord, host_url: str | None, resumed: bool) -> bool:
        """Post the created meeting and give the organiser the host details; True once the link reached
        someone. `resumed`: a takeover after a crash, so the post may already exist and must not be repeated."""
        ...

    def report(self, request: MeetingRequest, outcome: Outcome) -> None:
        """Tell the organiser about an outcome (failure, duplicate, busy), with Retry where it helps."""
        ...
