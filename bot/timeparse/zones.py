"""Explicit time zones in text: IANA names, UTC/GMT (with offsets), abbreviations and "<city> time".

An abbreviation means that region's wall clock on the date in question (see `vocab.ZONE_ABBREVIATIONS`),
so DST is always right: zoneinfo does the arithmetic.
"""

from __future__ import annotations

import functools
from bot.timeparse import cachedre as re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse.claims import Claims
from bot.timeparse.clocks import parse_clock
from bot.timeparse.patterns import MERIDIEM
from bot.timeparse.vocab import CITY_ZONES, ZONE_ABBREVIATIONS, ZONE_REGIONS

IANA_RE = re.compile(r"(?<![\w/])([A-Za-z]+(?:[_-][A-Za-z]+)*/[A-Za-z]+(?:[_-][A-Za-z0-9+-]+)*(?:/[A-Za-z_]+)?)(?![\w/])")
OFFSET_RE = re.compile(r"(?<![\w])(utc|gmt|z)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?(?![\w])", re.IGNORECASE)
ABBREVIATION_RE = re.compile(
    r"(?<![\w/])(" + "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w/])", re.IGNORECASE
)
CITY_TIME_RE = re.compile(
    r"(?<![\w])(?:in\s+)?(" + "|".join(sorted((re.escape(c) for c in CITY_ZONES), key=len, reverse=True)) + r")\s+time(?![\w])"
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


def zone_and_name(abbreviation: str) -> tuple[tzinfo, str]:
    zone = zone_for_abbreviation(abbreviation)
    return zone, zone.key


def zone_for_region(word: str) -> ZoneInfo:
    return ZoneInfo(ZONE_REGIONS[word.lower()])


# -- recognisers (passes over the working copy; see `claims` and `recognise.PASSES`) -------------------------

_ZONE_WORD = (
    r"(?:utc|gmt|" + "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True)) + "|"
    + "|".join(sorted((re.escape(r) for r in ZONE_REGIONS), key=len, reverse=True)) + r")(?:\s+time)?"
)


def _zone_of(word: str) -> tuple[tzinfo, str]:
    word = word.lower().removesuffix(" time").strip()
    if word in ("utc", "gmt"):
        return fixed_offset_zone(word, None, None, None)
    zone = ZoneInfo(ZONE_ABBREVIATIONS[word]) if word in ZONE_ABBREVIATIONS else ZoneInfo(ZONE_REGIONS[word])
    return zone, zone.key


def pairs(scan: Claims) -> None:
    """`10am PT / 1pm ET`, `3pm CET (9am ET)`: one time in two zones; the second is checked once the date is known."""
    atom = rf"(?:\d{{1,2}}h(?:\d{{2}})?|\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:{MERIDIEM})?|noon|midnight)"
    pattern = re.compile(
        rf"(?<![\w:.])({atom})\s*({_ZONE_WORD})\s*(?:/|\||\bor\b|=|,|\(|-|\band\b)\s*({atom})\s*({_ZONE_WORD})\s*\)?"
        rf"(?:\s*(?:/|\|)\s*({atom})\s*({_ZONE_WORD}))?(?![\w])"
    )

    def handle(m: re.Match[str]):
        dashed = re.fullmatch(r"\s*(?:-|–)\s*", scan.work[m.end(2) : m.start(3)])
        if dashed and _zone_of(m[2])[1] == _zone_of(m[4])[1] and not m[5]:
            scan.set_clock(parse_clock(m[1]))  # "15:00 GMT - 18:00 GMT": one zone, a start and an end
            scan.parts.end_clock = parse_clock(m[3])
            scan.set_zone(*_zone_of(m[2]))
            return None
        scan.set_clock(parse_clock(m[1]))
        scan.set_zone(*_zone_of(m[2]))
        if m[2].lower() in ZONE_ABBREVIATIONS:
            scan.parts.zone_abbreviation = scan.original(m.start(2), m.end(2))
        first_word = scan.original(m.start(2), m.end(2))
        for clock_group, zone_group in ((3, 4), (5, 6)):  # "9am PT / 12pm ET / 5pm GMT": each one is checked
            if m[clock_group]:
                other = (parse_clock(m[clock_group]), _zone_of(m[zone_group])[0], scan.original(m.start(zone_group), m.end(zone_group)))
                scan.parts.other_zone_clocks.append((*other, first_word))

    scan.scan(pattern, "time", handle)


def explicit(scan: Claims) -> None:
    """IANA names (`Europe/Berlin`, any case), `UTC`, `GMT+2`, `UTC-05:30`, and `+0100` right after a time."""
    for m in list(IANA_RE.finditer(scan.work)):
        zone = zone_by_name(m[1])
        if zone is not None and "\x00" not in scan.work[m.start() : m.end()]:
            scan.set_zone(zone, zone.key)
            scan.claim(m.start(), m.end(), "zone")

    def offset(m: re.Match[str]):
        if m[1] == "z" and not m[2]:
            return False
        try:
            scan.set_zone(*fixed_offset_zone(m[1], m[2], m[3], m[4]))
        except ValueError:
            raise ParseError(hints.bad_zone(m.group(0))) from None

    scan.scan(OFFSET_RE, "zone", offset)
    own = re.compile(r"(?<![\w])(?:\(\s*)?(?:in\s+)?(?:my|local|our)\s+time(?:\s*\))?(?![\w])")
    scan.scan(own, "zone", lambda m: None)  # "3pm (my time)", "3pm local time": the user's own zone


def numeric_offsets(scan: Claims) -> None:
    """`15:00:00 +0100`, `3pm -05:00`: a numeric offset right after a time or a date (pasted timestamps)."""
    numeric = re.compile(r"(?<![\w+-])([+-])(\d{2}):?(\d{2})(?![\w:])")

    def handle_numeric(m: re.Match[str]):
        if scan.kind_before(m.start()) not in ("time", "date"):
            return False
        try:
            scan.set_zone(*fixed_offset_zone("utc", m[1], m[2], m[3]))
        except ValueError:
            raise ParseError(hints.bad_zone(m.group(0))) from None

    scan.scan(numeric, "zone", handle_numeric)


def abbreviations(scan: Claims) -> None:
    """Abbreviations in capitals anywhere, in lower case only right after a time (`3pm pst`); `London time`."""
    for m in list(ABBREVIATION_RE.finditer(scan.work)):
        word = scan.original(m.start(), m.end())
        if "\x00" in scan.work[m.start() : m.end()]:
            continue
        if not (word.isupper() or scan.kind_before(m.start()) == "time"):
            continue
        labelled = scan.work[m.start() - 1 : m.start()] == "(" and scan.work[m.end() : m.end() + 1] == ")"
        if labelled and scan.parts.zone is not None:  # "GMT+0900 (JST)": the offset rules, the name is a label
            scan.claim(m.start(), m.end(), "zone")
            continue
        scan.set_zone(zone_for_abbreviation(word), zone_for_abbreviation(word).key)
        scan.parts.zone_abbreviation = word
        scan.claim(m.start(), m.end(), "zone")

    def region(m: re.Match[str]):
        if not (m.group(0).endswith(" time") or scan.kind_before(m.start()) == "time"):
            return False
        zone = zone_for_region(m[1])
        scan.set_zone(zone, zone.key)

    scan.scan(REGION_RE, "zone", region)
    if scan.parts.zone is None and " time" in scan.work:
        scan.scan(CITY_TIME_RE, "zone", lambda m: scan.set_zone(ZoneInfo(CITY_ZONES[m[1]]), CITY_ZONES[m[1]]))
