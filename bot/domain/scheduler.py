"""Create each requested meeting exactly once, and get its link to someone, whatever crashes in between.

The order is the point. A request is saved under its idempotency key (`requested`, leased to this process)
before anything else; it moves to `creating` before the provider is called, so a takeover knows the call
may have left; the created meeting is saved (`created`) before anything is posted; `posted` comes last.
A worker that dies leaves its lease to expire; `resume` (run by the takeover loop in bot/domain/leases.py)
then carries the request on from its state:

    requested → create it            creating → ask the provider whether it exists; adopt it, else `unknown`
    created   → post it (without repeating a post that may have happened) and send the host details

Outcomes the organiser must hear about go to the `Publisher` as data; nothing here knows about Slack.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from bot import logcontext, metrics
from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest
from bot.domain.ports import MeetingStore, Outcome, OutcomeKind, Providers, Publisher
from bot.domain.status import IN_FLIGHT, SETTLED, MeetingStatus
from bot.errors import ProviderAuthError, ProviderError, ProviderOutcomeUnknown, ProviderRateLimited, StoreError

log = logging.getLogger("meetbot.scheduler")
S = MeetingStatus
DEFAULT_LEASE_SECONDS = 30.0


class Lanes(Protocol):
    """Runs work on the lane of one provider; False when that lane is full (nothing was queued)."""

    def run(self, lane: str, work: Callable[[], object]) -> bool: ...


class Resumable(Protocol):
    def resume(self, record: MeetingRecord) -> None: ...


class InlineLanes:
    """Runs the work at once on the caller's thread (unit tests, and callers already on a lane)."""

    def run(self, lane: str, work: Callable[[], object]) -> bool:
        work()
        return True


class Scheduler:
    """The request lifecycle. `owner` names this process in leases; `lease_seconds` is how long a crashed
    worker's request waits before another worker (or this process restarted) takes it over."""

    def __init__(self, store: MeetingStore, providers: Providers, publisher: Publisher, owner: str,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS, lanes: Lanes | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.providers = providers
        self.publisher = publisher
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.lanes: Lanes = lanes or InlineLanes()
        self.clock = clock
        self.changes: Resumable | None = None  # edits and cancels (bot/domain/changes.py), resumed from here too

    def _lease_until(self) -> float:
        return self.clock() + self.lease_seconds

    def _transition(self, key: str, from_status: MeetingStatus, to_status: MeetingStatus, **fields) -> MeetingRecord | None:
        """`store.transition`, logged, and counting the requests that settle (by provider and state) for /metrics."""
        record = self.store.transition(key, from_status, to_status, **fields)
        if record is not None:
            log.info("request %s: %s → %s (%s)", key, from_status.value, to_status.value, fields.get("reason", ""))
        if record is not None and to_status in SETTLED:
            metrics.meetings.labels(record.request.provider, to_status.value).inc()
        return record

    # -- entry points -----------------------------------------------------------------------------

    def submit(self, request: MeetingRequest) -> None:
        """A submission: saved once under its key and queued on its provider's lane; a repeated key is
        answered (in progress, already posted, or failed with Retry), never silently dropped."""
        request = request.but(requested_at=request.requested_at or self.clock())
        logcontext.bind(request_key=request.key, provider=request.provider)
        try:
            record, is_new = self.store.add_request(request, self.owner, self._lease_until())
        except StoreError as exc:  # nothing saved, nothing created: the organiser must hear it and try again
            log.error("could not save request %s: %s", request.key, exc)
            self.publisher.report(request, Outcome(OutcomeKind.NOT_SAVED))
            return
        if not is_new:
            self._duplicate(record)
            return
        self._dispatch(record)

    def retry(self, key: str, user_id: str) -> None:
        """The Retry button: replay a failed or unknown request once, however often it is clicked."""
        record = self.store.get_meeting(key)
        if record is None or record.request.user_id != user_id:
            return
        if record.status not in (S.FAILED, S.UNKNOWN):
            self._duplicate(record)
            return
        again = self._transition(key, record.status, S.REQUESTED, reason="Retry pressed", owner=self.owner,
                                      lease_until=self._lease_until())
        if again is None:  # another click (or instance) got there first
            current = self.store.get_meeting(key)
            if current is not None:
                self._duplicate(current)
            return
        self._dispatch(again)

    def resume(self, record: MeetingRecord) -> None:
        """Carry on a request whose lease this process holds, from the state it is in."""
        logcontext.bind(team=record.request.team_id, user=record.request.user_id, request_key=record.key,
                        provider=record.request.provider)
        if record.status is S.REQUESTED:
            self._create(record)
        elif record.status is S.CREATING:
            self._find_out(record, "taken over while the create call was in flight")
        elif record.status is S.CREATED:
            self._publish(record, host_url=None, resumed=True)
        elif self.changes is not None:  # editing or cancelling
            self.changes.resume(record)

    # -- the steps --------------------------------------------------------------------------------

    def _dispatch(self, record: MeetingRecord) -> None:
        if not self.lanes.run(record.request.provider, lambda: self.resume(record)):
            busy = self._transition(record.key, S.REQUESTED, S.FAILED, reason="lane full", owner=self.owner,
                                         error="busy")
            if busy is not None:
                self.publisher.report(record.request, Outcome(OutcomeKind.BUSY))

    def _duplicate(self, record: MeetingRecord) -> None:
        if record.status not in IN_FLIGHT and record.status not in (S.FAILED, S.UNKNOWN):  # posted, maybe changed since
            outcome = Outcome(OutcomeKind.ALREADY_POSTED, join_url=record.join_url)
        elif record.status in IN_FLIGHT:
            outcome = Outcome(OutcomeKind.IN_PROGRESS)
        else:
            outcome = Outcome(OutcomeKind.UNKNOWN if record.status is S.UNKNOWN else OutcomeKind.FAILED)
        log.info("duplicate submission %s (%s)", record.key, record.status.value)
        self.publisher.report(record.request, outcome)

    def _create(self, record: MeetingRecord) -> None:
        try:  # a token refresh while still `requested`: a crash here is retaken and created, never `unknown`
            self.providers.prepare(record.request)
        except ProviderError as exc:
            self._fail(record, self._outcome(exc), from_status=S.REQUESTED)
            return
        except Exception:  # noqa: BLE001 - a bug must still leave the organiser a way forward
            log.exception("preparing %s meeting %s failed", record.request.provider, record.key)
            self._fail(record, Outcome(OutcomeKind.INTERNAL), from_status=S.REQUESTED)
            return
        creating = self._transition(record.key, S.REQUESTED, S.CREATING, reason="calling the provider",
                                         owner=self.owner, lease_until=self._lease_until())
        if creating is None:
            log.info("request %s moved on elsewhere; leaving it", record.key)
            return
        try:
            meeting = self.providers.create(creating.request)
        except ProviderOutcomeUnknown as exc:
            self._find_out(creating, f"create outcome unknown: {type(exc).__name__}")
            return
        except ProviderError as exc:
            self._fail(creating, self._outcome(exc))
            return
        except Exception:  # noqa: BLE001 - a bug must still leave the organiser a way forward
            log.exception("creating %s meeting %s failed", creating.request.provider, creating.key)
            self._fail(creating, Outcome(OutcomeKind.INTERNAL))
            return
        self._created(creating, meeting, "the provider made it")

    def _find_out(self, record: MeetingRecord, why: str) -> None:
        """The create call may have worked: look before acting again; adopt what is found, else `unknown`."""
        try:
            found = self.providers.find(record.request)
        except ProviderError as exc:
            log.info("looking up %s after an unknown outcome failed: %s", record.key, type(exc).__name__)
            found = None
        if found is not None:
            self._created(record, found, f"{why}; found at the provider and adopted", resumed=True)
            return
        unknown = self._transition(record.key, S.CREATING, S.UNKNOWN, reason=f"{why}; not found",
                                        owner=self.owner, error="outcome unknown")
        if unknown is not None:
            self.publisher.report(record.request, Outcome(OutcomeKind.UNKNOWN))

    def _created(self, record: MeetingRecord, meeting: CreatedMeeting, reason: str, resumed: bool = False) -> None:
        created = self._transition(record.key, S.CREATING, S.CREATED, reason=reason, owner=self.owner,
                                        lease_until=self._lease_until(), meeting=meeting.without_host_link())
        if created is not None:
            self._publish(created, meeting.host_url, resumed)

    def _publish(self, record: MeetingRecord, host_url: str | None, resumed: bool) -> None:
        if self.publisher.publish(record, host_url, resumed):
            self._transition(record.key, S.CREATED, S.POSTED, reason="the link reached Slack", owner=self.owner)
        else:  # Slack took nothing: keep it in flight and let the takeover try again after a lease
            self.store.release_lease(record.key, self.owner, self._lease_until())

    @staticmethod
    def _outcome(exc: ProviderError) -> Outcome:
        """What a provider's refusal means for the organiser (nothing was made)."""
        if isinstance(exc, ProviderAuthError):
            return Outcome(OutcomeKind.NOT_LINKED, exc)
        if isinstance(exc, ProviderRateLimited):
            return Outcome(OutcomeKind.RATE_LIMITED, exc)
        return Outcome(OutcomeKind.FAILED, exc)

    def _fail(self, record: MeetingRecord, outcome: Outcome, from_status: MeetingStatus = S.CREATING) -> None:
        error = str(outcome.error) if outcome.error is not None else "internal error"
        failed = self._transition(record.key, from_status, S.FAILED, reason=outcome.kind.value,
                                  owner=self.owner, error=error)
        if failed is not None:
            self.publisher.report(record.request, outcome)
