"""Recurrence as RFC 5545 RRULE strings, the first occurrence, and the rule in words. Pure functions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

from bot.timeparse import cachedre as re

from bot.timeparse.vocab import DAY_NAMES, RRULE_DAYS

_MONTH_DAYS_GUARD = 400  # a rule with no match within this many days is impossible (e.g. the 31st of Feb)


def build_rrule(
    freq: str,
    interval: int = 1,
    by_day: list[int] | None = None,
    by_set_pos: int | None = None,
    by_month_day: int | None = None,
    count: int | None = None,
    until: date | datetime | None = None,
) -> str:
    """`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=4` in the conventional part order.

    An aware `until` is written as a UTC date-time (`UNTIL=20270331T225959Z`), which RFC 5545 requires when the
    start has a time zone; a plain date stays a DATE (for callers that have no zone).
    """
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if by_day:
        prefix = str(by_set_pos) if by_set_pos else ""
        parts.append("BYDAY=" + ",".join(prefix + RRULE_DAYS[d] for d in sorted(by_day)))
    if by_month_day:
        parts.append(f"BYMONTHDAY={by_month_day}")
    if count:
        parts.append(f"COUNT={count}")
    if isinstance(until, datetime):
        parts.append(f"UNTIL={until.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}")
    elif until:
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


def parse_rrule(rrule: str) -> dict[str, str]:
    """`FREQ=WEEKLY;BYDAY=MO` → {'FREQ': 'WEEKLY', 'BYDAY': 'MO'} (providers map from this)."""
    return dict(part.split("=", 1) for part in rrule.split(";") if "=" in part)


def matches(day: date, freq: str, by_day: list[int], by_set_pos: int | None, by_month_day: int | None) -> bool:
    """Whether `day` is a day the rule can fall on (interval aside: the first occurrence starts the count)."""
    if by_month_day == -1:  # the last day of the month
        if (day + timedelta(days=1)).month == day.month:
            return False
    elif by_month_day is not None and day.day != by_month_day:
        return False
    if by_day and day.weekday() not in by_day:
        return False
    if by_set_pos:
        if by_set_pos > 0:
            return (day.day - 1) // 7 + 1 == by_set_pos
        return (day + timedelta(days=7)).month != day.month
    return True


def first_matching_day(
    start: date, freq: str, by_day: list[int], by_set_pos: int | None, by_month_day: int | None
) -> date | None:
    """The first day on or after `start` that the rule allows, or None if none within a year."""
    for offset in range(_MONTH_DAYS_GUARD):
        day = start + timedelta(days=offset)
        if matches(day, freq, by_day, by_set_pos, by_month_day):
            return day
    return None


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def until_day(value: str, zone: tzinfo | None = None) -> date:
    """The last meeting day an UNTIL names: a DATE as is; a UTC date-time as the day it is in `zone`.

    Without a zone, the UTC time tells the side of the date line: the parser writes the end of the local day,
    which is before 10:00 UTC only for zones behind UTC (the Americas, Hawaii), whose local day is the UTC day before.
    """
    day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    if len(value) < 15:
        return day
    moment = datetime(day.year, day.month, day.day, int(value[9:11]), int(value[11:13]), tzinfo=timezone.utc)
    if zone is not None:
        return moment.astimezone(zone).date()
    return day - timedelta(days=1) if moment.hour < 10 else day


def describe_rrule(rrule: str | None, zone: tzinfo | None = None) -> str:
    """`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO` → "every 2 weeks on Monday". Empty string for None."""
    if not rrule:
        return ""
    rule = parse_rrule(rrule)
    interval = int(rule.get("INTERVAL", "1"))
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(rule.get("FREQ", ""), "time")
    adverb = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}.get(unit, "repeating")
    head = adverb if interval == 1 else ("every other " + unit if interval == 2 else f"every {interval} {unit}s")
    days = []
    set_pos = None
    for token in filter(None, rule.get("BYDAY", "").split(",")):
        m = re.fullmatch(r"(-?\d)?([A-Z]{2})", token)
        if m:
            set_pos = int(m[1]) if m[1] else None
            days.append(RRULE_DAYS.index(m[2]))
    text = head
    if sorted(days) == [0, 1, 2, 3, 4] and unit == "week" and interval == 1:
        text = "every weekday"
    elif days and set_pos:
        text = f"{head} on the {_ordinal(set_pos)} {DAY_NAMES[days[0]]}"
    elif days:
        text = f"{head} on " + _join([DAY_NAMES[d] for d in sorted(days)])
    if "BYMONTHDAY" in rule:
        text = f"{head} on the {_ordinal(int(rule['BYMONTHDAY']))}" + (" day" if rule["BYMONTHDAY"] == "-1" else "")
    if "COUNT" in rule:
        text += f", {rule['COUNT']} times"
    if "UNTIL" in rule:
        text += f", until {until_day(rule['UNTIL'], zone):%a %d %b %Y}"
    return text
