"""A meeting as an RFC 5545 `.ics` file (built with `icalendar`).

The `.ics` is served at `GET /ics/{token}.ics`. The token is the meeting's key signed with a key derived
from the server secret for this purpose only (so it is unguessable and cannot stand in for an OAuth state);
anyone holding it sees what the channel post already shows, nothing host-only. A cancelled meeting's file
says `STATUS:CANCELLED`, so calendars that re-fetch it drop the event.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot.domain.meeting import MeetingRecord
from bot.domain.ports import MeetingStore
from bot.domain.status import MeetingStatus
from bot.linking import BadState, StateSigner

log = logging.getLogger("meetbot.calendar")
ICS_PREFIX = "/ics/"
TOKEN_LIFETIME = 10 * 365 * 86400.0  # a calendar subscribed to the file keeps re-reading it


def ics_signer(server_key: bytes) -> StateSigner:
    """A signer for .ics tokens only: its key is derived from the server key for this one purpose."""
    return StateSigner(StateSigner(server_key).derive("ics-token").encode())


def ics_url(public_url: str, signer: StateSigner, key: str, now: float | None = None) -> str:
    token = signer.sign({"k": key, "e": int((now or time.time()) + TOKEN_LIFETIME)})
    return f"{public_url.rstrip('/')}{ICS_PREFIX}{token}.ics"


def ics_bytes(record: MeetingRecord, now: datetime | None = None) -> bytes:
    """The meeting as one VEVENT: UID, DTSTART/DTEND with TZID and its VTIMEZONE, RRULE, the join link as URL
    and in the description; STATUS:CANCELLED once cancelled."""
    request = record.request
    try:
        zone = ZoneInfo(request.timezone)
        start = request.start.astimezone(zone)
    except (KeyError, ValueError):  # a fixed offset: UTC times (no TZID to give)
        start = request.start.astimezone(timezone.utc)
    end = start + (request.end - request.start)
    join = record.join_url or ""
    event = Event()
    event.add("uid", hashlib.sha256(request.key.encode()).hexdigest()[:32] + "@meetbot")
    event.add("dtstamp", (now or datetime.now(timezone.utc)).astimezone(timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", request.title)
    if request.rrule:
        event.add("rrule", vRecur.from_ical(request.rrule))
    if join:
        event.add("url", join)
        event.add("description", f"Join: {join}")
    event.add("status", "CANCELLED" if record.status is MeetingStatus.CANCELLED else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", "-//meetbot//meetbot//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def wsgi_route(store: MeetingStore, signer: StateSigner,
               clock: Callable[[], float] = time.time) -> Callable[[dict[str, Any], Callable], list[bytes]]:
    """`GET /ics/{token}.ics`: the file, or 404 for any token that does not verify (never says why)."""

    def app(environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        name = str(environ.get("PATH_INFO", ""))[len(ICS_PREFIX):]
        record = None
        if name.endswith(".ics"):
            try:
                record = store.get_meeting(str(signer.verify(name[:-4]).get("k", "")))
            except BadState:
                log.info("an .ics token did not verify")
        if record is None or record.meeting is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        body = ics_bytes(record)
        start_response("200 OK", [("Content-Type", "text/calendar; charset=utf-8"), ("Content-Length", str(len(body))),
                                  ("Content-Disposition", 'attachment; filename="meeting.ics"'),
                                  ("Cache-Control", "no-store")])
        return [body]

    return app
