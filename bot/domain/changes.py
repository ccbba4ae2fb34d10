"""After the post: the organiser edits or cancels the meeting, exactly once, whatever crashes in between.

Each change is claimed with one compare-and-swap (`posted/edited → editing` with the new values saved, or
`→ cancelling`), so a double click or a second instance changes nothing twice. The provider call that
follows is safe to repeat (Zoom's PATCH and DELETE), so a process killed in the middle leaves a leased,
in-flight request that the lease keeper hands back to `resume` here, which simply does it again:

    editing    → update it at the provider, then the post and its reminders → edited
    cancelling → delete it at the provider, then the post and its reminders → cancelled

A provider that cannot move a meeting (Dialpad: no documented update call) gets a new one at the new time,
posted as a new message while the old post is marked replaced (before the state leaves `editing`, so a
takeover finishes it without posting twice); one that cannot delete (Dialpad again) leaves it in place. The
organiser is told both times. Jitsi's rooms are just links, so only Slack changes.
"""

from __future__ import annotations

import logging
import dataclasses
from typing import Protocol

from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest
from bot.domain.ports import MeetingStore, Outcome, OutcomeKind, Providers
from bot.domain.status import CHANGEABLE, MeetingStatus
from bot.errors import ProviderError, ProviderOutcomeUnknown, ProviderRateLimited, ProviderUnavailable

log = logging.getLogger("meetbot.changes")
S = MeetingStatus
RETRYABLE = (ProviderUnavailable, ProviderRateLimited, ProviderOutcomeUnknown)  # tried again after a lease


class ChangePublisher(Protocol):
    """The Slack side of a change."""

    def refresh(self, record: MeetingRecord) -> None:
        """Make the meeting's post (and its reminders) show the record as it is now."""
        ...

    def report(self, request: MeetingRequest, outcome: Outcome) -> None: ...

    def replace(self, record: MeetingRecord, resumed: bool) -> None:
        """Post the remade meeting anew and mark the old post replaced (at most once, also after a takeover)."""
        ...


class Leases(Protocol):
    """What a change borrows from the scheduler: who this process is, and how long its leases last."""

    owner: str

    def _lease_until(self) -> float: ...


class MeetingChanges:
    def __init__(self, store: MeetingStore, providers: Providers, publisher: ChangePublisher, leases: Leases) -> None:
        self.store = store
        self.providers = providers
        self.publisher = publisher
        self.leases = leases

    def edit(self, key: str, user_id: str, changed: MeetingRequest) -> None:
        """The organiser's new title, time, length or repeat (`changed`); everything else stays as it was."""
        record = self._changeable(key, user_id)
        if record is None:
            return
        old = record.request
        new = old.but(title=changed.title, start=changed.start, duration_minutes=changed.duration_minutes,
                      timezone=changed.timezone, rrule=changed.rrule, instant=False,
                      reminder_minutes=changed.reminder_minutes)
        editing = self.store.transition(key, record.status, S.EDITING, reason="edited by the organiser",
                                        owner=self.leases.owner, lease_until=self.leases._lease_until(), request=new)
        if editing is not None:
            self._apply_edit(editing, previous=old)

    def cancel(self, key: str, user_id: str) -> None:
        record = self._changeable(key, user_id)
        if record is None:
            return
        cancelling = self.store.transition(key, record.status, S.CANCELLING, reason="cancelled by the organiser",
                                           owner=self.leases.owner, lease_until=self.leases._lease_until())
        if cancelling is not None:
            self._apply_cancel(cancelling)

    def resume(self, record: MeetingRecord) -> None:
        """Carry on a change whose worker died (the lease keeper calls this via the scheduler)."""
        if record.status is S.EDITING:
            self._apply_edit(record, previous=None)
        elif record.status is S.CANCELLING:
            self._apply_cancel(record)

    def _changeable(self, key: str, user_id: str) -> MeetingRecord | None:
        record = self.store.get_meeting(key)
        if record is None or record.request.user_id != user_id:
            return None  # the listener answered someone else already; nothing to do for a stranger
        if record.status not in CHANGEABLE:  # a double click, or a change still running
            log.info("change of %s ignored: it is %s", key, record.status.value)
            return None
        return record

    def _apply_edit(self, record: MeetingRecord, previous: MeetingRequest | None) -> None:
        owner, remade = self.leases.owner, None
        try:
            if not self.providers.update(record.request, record.provider_meeting_id or ""):
                remade = self._remake(record, resumed=previous is None)
        except RETRYABLE as exc:
            log.info("updating %s failed (%s); retried after the lease", record.key, type(exc).__name__)
            self.store.release_lease(record.key, owner, self.leases._lease_until())
            return
        except ProviderError as exc:
            kept = self.store.transition(record.key, S.EDITING, S.EDITED, owner=owner, error=str(exc), request=previous,
                                         reason=f"the provider refused the change: {type(exc).__name__}")
            if kept is not None:
                self.publisher.refresh(kept)
                self.publisher.report(record.request, Outcome(OutcomeKind.CHANGE_FAILED, exc))
            return
        if remade is not None:
            self.publisher.replace(dataclasses.replace(record, status=S.EDITED, meeting=remade.without_host_link()),
                                   resumed=previous is None)
        reason = "made again at the provider (it cannot move one)" if remade else "changed at the provider"
        edited = self.store.transition(record.key, S.EDITING, S.EDITED, reason=reason, owner=owner,
                                       meeting=remade.without_host_link() if remade else None)
        if edited is not None:
            if remade is None:
                self.publisher.refresh(edited)
            else:
                self.publisher.report(record.request, Outcome(OutcomeKind.REMADE))

    def _remake(self, record: MeetingRecord, resumed: bool) -> CreatedMeeting:
        """A provider that cannot move a meeting (Dialpad) gets a new one at the new time; after a takeover,
        one the dead worker may already have made is looked for first, so none is made twice."""
        found = self.providers.find(record.request) if resumed else None
        return found or self.providers.create(record.request)

    def _apply_cancel(self, record: MeetingRecord) -> None:
        owner, problem = self.leases.owner, None
        try:
            deleted = self.providers.delete(record.request, record.provider_meeting_id or "")
        except RETRYABLE as exc:
            log.info("deleting %s failed (%s); retried after the lease", record.key, type(exc).__name__)
            self.store.release_lease(record.key, owner, self.leases._lease_until())
            return
        except ProviderError as exc:  # e.g. the account was disconnected: Slack still shows it cancelled
            deleted, problem = False, exc
        reason = "deleted at the provider" if deleted else "left at the provider"
        cancelled = self.store.transition(record.key, S.CANCELLING, S.CANCELLED, reason=reason, owner=owner)
        if cancelled is None:
            return
        self.publisher.refresh(cancelled)
        if not deleted:
            self.publisher.report(record.request, Outcome(OutcomeKind.LEFT_AT_PROVIDER, problem))
