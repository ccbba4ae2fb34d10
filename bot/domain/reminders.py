"""When a meeting's reminders go out: `minutes` before each start in the next week (pure, no I/O).

Slack holds the reminders (`chat.scheduleMessage`), so nothing of ours must be running when they are due.
A repeat gets reminders for the occurrences of the next `HORIZON` only: Slack caps how many messages an app
may schedule per channel and how far ahead, and a meeting repeated for years must not use them all up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

from bot.domain.meeting import MeetingRecord, MeetingRequest
from bot.domain.ports import MeetingStore, PostStore
from bot.domain.status import CHANGEABLE

log = logging.getLogger("meetbot.reminders")
HORIZON = timedelta(days=7)
TOP_UP_EVERY = 3600.0  # seconds: a repeat's reminders always reach at least six days ahead
MIN_LEAD = timedelta(seconds=60)  # Slack refuses a post_at in the past; leave room for the call itself
MAX_PER_MEETING = 10  # a daily meeting within the horizon needs 7 at most


def reminder_times(request: MeetingRequest, now: datetime) -> list[datetime]:
    """The moments to remind the channel, soonest first (none when the request asks for none)."""
    if request.reminder_minutes is None or request.instant:
        return []
    lead = timedelta(minutes=request.reminder_minutes)
    starts = [request.start]
    if request.rrule:
        local = request.start.replace(tzinfo=None)  # the rule runs on wall time in the meeting's zone
        rule = rrulestr(request.rrule, dtstart=local, ignoretz=True)
        until = (now + HORIZON + lead).astimezone(request.start.tzinfo).replace(tzinfo=None)
        starts = [moment.replace(tzinfo=request.start.tzinfo) for moment in rule.between(local, until, inc=True)]
    times = [start - lead for start in starts if now + MIN_LEAD <= start - lead <= now + HORIZON]
    return times[:MAX_PER_MEETING]


class ReminderStore(MeetingStore, PostStore, Protocol):
    pass


class ReminderPublisher(Protocol):
    def sync_reminders(self, record: MeetingRecord, redo: bool = False) -> None: ...


class ReminderTopUp:
    """Keeps repeating meetings' reminders scheduled for their next week (and schedules any a crash right
    after a post left out). Called every lease round; runs at most every `every` seconds and on one instance
    at a time (a lease on the task in the database)."""

    NAME = "reminder-top-up"

    def __init__(self, store: ReminderStore, publisher: ReminderPublisher, owner: str, every: float = TOP_UP_EVERY,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.publisher = publisher
        self.owner = owner
        self.every = every
        self.clock = clock

    def __call__(self) -> int:
        """One round if it is due and ours: how many meetings were looked at."""
        now = self.clock()
        if not self.store.claim_task(self.NAME, self.owner, now, now + self.every):
            return 0
        keys = self.store.meetings_to_remind(sorted(status.value for status in CHANGEABLE), now)
        for key in keys:
            record = self.store.get_meeting(key)
            if record is not None:
                self.publisher.sync_reminders(record)
        return len(keys)
