"""Explicit time zones in text: IANA names, UTC/GMT (with offsets), abbreviations and "<city> time".

An abbreviation means that region's wall clock on the date in question (see `vocab.ZONE_ABBREVIATIONS`),
so DST is always right: zoneinfo does the arithmetic.
"""

from __future__ import annotations

import functools
from bot.timeparse import cachedre as re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.timeparse.vocab import ZONE_ABBREVIATIONS, ZONE_REGIONS

IANA_RE = re.compile(r"(?<![\w/])([A-Za-z]+(?:[_-][A-Za-z]+)*/[A-Za-z]+(?:[_-][A-Za-z0-9+-]+)*(?:/[A-Za-z_]+)?)(?![\w/])")
OFFSET_RE = re.compile(r"(?<![\w])(utc|gmt|z)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?(?![\w])", re.IGNORECASE)
ABBREVIATION_RE = re.compile(
    r"(?<![\w/])(" + "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w/])", re.IGNORECASE
)
REGION_RE = re.compile(
    r"(?<![\w])(?:in\s+)?("
    + "|".join(sorted((re.escape(r) for r in ZONE_REGIONS), key=len, reverse=True))
    + r")(?:\s+time)?(?![\w])"
)


@functools.lru_cache(maxsize=None)
def _iana_lookup() -> dict[str, str]:
    """Lower-case IANA key → canonical key, so `europe/berlin` works as well as `Europe/Berlin`."""
    return {key.lower(): key for key in available_timezones()}


def zone_by_name(name: str) -> ZoneInfo | None:
    """A ZoneInfo for an IANA name in any letter case, or None when it is not a zone."""
    key = _iana_lookup().get(name.lower())
    if key is None:
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        return None


def fixed_offset_zone(label: str, sign: str | None, hours: str | None, minutes: str | None) -> tuple[tzinfo, str]:
    """`UTC`, `GMT+2`, `UTC-05:30` → (tzinfo, name). Whole hours map to IANA `Etc/GMT∓N`."""
    base = "UTC" if label.lower() in ("utc", "z") else "GMT"
    if not sign:
        return ZoneInfo(base), base
    h, m = int(hours or 0), int(minutes or 0)
    if h > 14 or m >= 60:
        raise ValueError("offset out of range")
    if m == 0:
        if h == 0:
            return ZoneInfo(base), base
        # IANA's Etc/GMT zones have the sign inverted: Etc/GMT-2 is two hours *ahead* of UTC.
        name = f"Etc/GMT{'-' if sign == '+' else '+'}{h}"
        return ZoneInfo(name), name
    delta = timedelta(hours=h, minutes=m) * (1 if sign == "+" else -1)
    name = f"UTC{sign}{h:02d}:{m:02d}"
    return timezone(delta, name), name


def zone_for_abbreviation(word: str) -> ZoneInfo:
    return ZoneInfo(ZONE_ABBREVIATIONS[word.lower()])


def zone_for_region(word: str) -> ZoneInfo:
    return ZoneInfo(ZONE_REGIONS[word.lower()])
