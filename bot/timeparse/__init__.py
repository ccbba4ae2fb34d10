"""Free text → meeting time: `parse_when("Design review tomorrow 3pm for 45m", "Europe/London", now)`.

The one function the CLI (`meetbot parse`) and the Slack handlers call. Pure: `now` and the zone come from
the caller, so results are deterministic and testable without freezing clocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from bot import messages
from bot.errors import ParseError
from bot.timeparse import pipeline, resolve, rrule, zones

MAX_TEXT_LENGTH = 500

__all__ = ["ParsedWhen", "ParseError", "parse_when", "format_line", "describe_rrule", "MAX_TEXT_LENGTH", "warm_up"]
describe_rrule = rrule.describe_rrule


@dataclass(frozen=True)
class ParsedWhen:
    """A meeting time as understood: aware `start`/`end` in `timezone`, and the leftover text as `title`."""

    title: str | None
    start: datetime
    end: datetime
    duration_minutes: int
    timezone: str
    rrule: str | None
    instant: bool
    when_text: str = field(default="", compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "duration_minutes": self.duration_minutes,
            "timezone": self.timezone,
            "rrule": self.rrule,
            "instant": self.instant,
        }


def resolve_zone(tz: str | tzinfo) -> tuple[tzinfo, str]:
    """A zone and its IANA name from a name or tzinfo; unknown names raise ParseError."""
    if not isinstance(tz, str):
        return tz, getattr(tz, "key", None) or str(tz)
    zone = zones.zone_by_name(tz)
    if zone is None:
        if tz.strip().upper() in ("UTC", "GMT", "Z"):
            return zones.fixed_offset_zone(tz.strip(), None, None, None)
        raise ParseError(messages.bad_zone(tz))
    return zone, zone.key


def parse_when(text: str, tz: str | tzinfo = "UTC", now: datetime | None = None) -> ParsedWhen:
    """Parse what a person typed after `/meet` (or into the modal's When field).

    `tz` is the user's zone (an explicit zone in the text wins); `now` defaults to the current time and,
    if naive, is read as wall time in `tz`. Raises `ParseError` whose `hint` says what to type instead.
    """
    user_zone, user_zone_name = resolve_zone(tz)
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None:
        now = resolve.localize(now.date(), now.time(), user_zone)
    cleaned = " ".join(text.replace("\u2013", "-").replace("\u2014", "-").split())
    if not cleaned:
        raise ParseError(messages.empty_time())
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ParseError(messages.too_long(MAX_TEXT_LENGTH))
    try:
        job = pipeline.run(cleaned, user_zone, now)
    except ParseError:
        raise
    except (OverflowError, ValueError, ArithmeticError) as exc:  # a number too big for the calendar
        raise ParseError(messages.too_big(cleaned)) from exc
    parts = job.parts
    assert job.start is not None
    zone = parts.zone or user_zone
    start = job.start
    end = (start.astimezone(timezone.utc) + timedelta(minutes=job.duration_minutes)).astimezone(zone)
    return ParsedWhen(
        title=parts.title if parts.anything else None,
        start=start,
        end=end,
        duration_minutes=job.duration_minutes,
        timezone=parts.zone_name or user_zone_name,
        rrule=job.rule,
        instant=parts.instant,
        when_text=_without(cleaned, job.title_pieces) if parts.anything else cleaned,
    )


def _without(text: str, pieces: list[str]) -> str:
    """The time phrase alone: `text` minus the title's pieces (to pre-fill the modal's When field)."""
    for piece in pieces:
        text = text.replace(piece, " ", 1)
    return " ".join(text.split()).strip(" ,;:-|\"'")


WARM_UP_PHRASES = (
    "Design review tomorrow 3pm for 45m", "every 2 weeks on monday at 3pm until dec 21", "friday 9:15-10am PT",
    "the 3rd at 10 Europe/Berlin", "12/3 2pm UTC+2", "first monday of the month 10am, 4 times", "asdf", "now",
    "in 45 minutes", "next week tuesday noon london time", "tomorrow morning", "13pm",
)


def warm_up() -> None:
    """Compile every pattern and load the zone list now, not in some user's 3 s window."""
    for phrase in WARM_UP_PHRASES:
        try:
            parse_when(phrase, "UTC", datetime(2026, 1, 7, 12, tzinfo=timezone.utc))
        except ParseError:
            pass


def format_line(parsed: ParsedWhen) -> str:
    """`Design review · Wed 25 Nov 2026, 15:00–15:45 PST (America/Los_Angeles) · weekly on Monday`."""
    start, end = parsed.start, parsed.end
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %d %b %H:%M")
    when = f"{start:%a %d %b %Y, %H:%M}–{end_text} {start.strftime('%Z')} ({parsed.timezone})"
    if parsed.instant:
        when = "now · " + when
    pieces = [parsed.title] if parsed.title else []
    pieces.append(when)
    if parsed.rrule:
        pieces.append(describe_rrule(parsed.rrule, parsed.start.tzinfo))
    return " · ".join(pieces)
