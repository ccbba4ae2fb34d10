"""When a meeting's reminders go out: `minutes` before each start in the next week (pure, no I/O).

Slack holds the reminders (`chat.scheduleMessage`), so nothing of ours must be running when they are due.
A repeat gets reminders for the occurrences of the next `HORIZON` only: Slack caps how many messages an app
may schedule per channel and how far ahead, and a meeting repeated for years must not use them all up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

from bot.domain.meeting import MeetingRequest

HORIZON = timedelta(days=7)
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
