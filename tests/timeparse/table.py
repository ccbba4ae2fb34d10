"""The shared shape of the parser's table tests: a row per phrase, typed at a fixed `now` in a zone.

Contexts cover both hemispheres' DST changes (New York and Berlin in the north, Sydney and Auckland in the
south), zones far from UTC late in the evening (Tokyo), half-hour offsets (Kolkata) and a zone without DST.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil.rrule import rrulestr

from bot.errors import ParseError
from bot.timeparse import parse_when

LONDON = ("Europe/London", "2026-11-18T14:00:00")  # a Wednesday afternoon
NY_SPRING = ("America/New_York", "2026-03-07T12:00:00")  # Saturday; clocks go forward Sun 8 Mar 02:00
SYDNEY_OCT = ("Australia/Sydney", "2026-10-03T12:00:00")  # Saturday; clocks go forward Sun 4 Oct 02:00
SYDNEY_APR = ("Australia/Sydney", "2026-04-04T12:00:00")  # Saturday; clocks go back Sun 5 Apr 03:00
TOKYO_LATE = ("Asia/Tokyo", "2026-11-18T23:50:00")  # ten minutes before tomorrow
KOLKATA = ("Asia/Kolkata", "2026-11-18T09:00:00")  # UTC+05:30
LA_SUMMER = ("America/Los_Angeles", "2026-07-01T08:00:00")  # PDT: "PST" then asks (UTC-8 or Pacific time?)
BERLIN_FALL = ("Europe/Berlin", "2026-10-24T12:00:00")  # Saturday; clocks go back Sun 25 Oct 03:00
AUCKLAND_SEP = ("Pacific/Auckland", "2026-09-26T12:00:00")  # Saturday; clocks go forward Sun 27 Sep 02:00
SAO_PAULO = ("America/Sao_Paulo", "2026-11-18T10:00:00")  # no DST any more


def row(text: str, context: tuple[str, str], expected: str, minutes: int = 30, **extra: str | None):
    """`expected` is the start as ISO-8601 with offset, or (not starting with a digit) a fragment of the hint."""
    return pytest.param((text, context, expected, minutes, extra), id=f"{context[0]}|{text}")


def check(case) -> None:
    text, (zone, now), expected, minutes, extra = case
    if not expected[:4].isdigit():
        with pytest.raises(ParseError) as caught:
            parse_when(text, zone, datetime.fromisoformat(now))
        assert expected in caught.value.hint
        return
    parsed = parse_when(text, zone, datetime.fromisoformat(now))
    assert parsed.start.isoformat() == expected
    assert parsed.duration_minutes == minutes
    assert parsed.title == extra.get("title")
    assert parsed.rrule == extra.get("rrule")
    assert parsed.timezone == extra.get("timezone", zone)
    if parsed.rrule:  # every rule must be one calendars accept with the aware start
        assert next(iter(rrulestr(parsed.rrule, dtstart=parsed.start))) == parsed.start
