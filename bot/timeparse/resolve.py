"""Turn what the scanner recognised into concrete datetimes, given `now` and a zone. Pure: no clock reads."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from bot import messages
from bot.errors import ParseError
from bot.timeparse import fallback, rrule
from bot.timeparse.parts import Clock, DateSpec, Parts, RecurrenceSpec
from bot.timeparse.vocab import DAY_PARTS, MONTH_NAMES

DEFAULT_DURATION_MINUTES = 30
MAX_DURATION_MINUTES = 24 * 60
MAX_YEARS_AHEAD = 5


def localize(day: date, clock: time, zone: tzinfo) -> datetime:
    """Wall time on `day` in `zone`. A time inside a DST gap moves forward (02:30 → 03:30), as calendars do."""
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def describe(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y, %H:%M %Z").strip()


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_day(spec: DateSpec, today: date, still_ahead) -> date:
    """The calendar day a DateSpec means. `still_ahead(day)` says whether the meeting time on `day` is future."""
    if spec.kind == "offset":
        return _add_months(today, spec.offset_months) + timedelta(days=spec.offset_days)
    if spec.kind == "weekday":
        if spec.weekday_mode == "next_week":
            return today + timedelta(days=7 - today.weekday() + spec.weekday)
        if spec.weekday_mode == "last":
            return today - timedelta(days=(today.weekday() - spec.weekday) % 7 or 7)
        ahead = (spec.weekday - today.weekday()) % 7
        if spec.weekday_mode == "next":
            return today + timedelta(days=ahead or 7)
        if ahead == 0 and not still_ahead(today):
            ahead = 7
        return today + timedelta(days=ahead)
    if spec.kind == "ymd":
        day = _valid_date(spec.year or today.year, spec.month, spec.day)
        if day is None:
            raise ParseError(messages.impossible_date(MONTH_NAMES[spec.month] if 1 <= spec.month <= 12 else "That month", spec.day, spec.year))
        return day
    if spec.kind == "monthday":
        if not 1 <= spec.month <= 12 or not 1 <= spec.day <= calendar.monthrange(2024, spec.month)[1]:
            raise ParseError(messages.impossible_date(MONTH_NAMES[spec.month] if 1 <= spec.month <= 12 else "That month", spec.day))
        for year in range(today.year, today.year + 9):  # Feb 29 may be years away
            day = _valid_date(year, spec.month, spec.day)
            if day is not None and day >= today:
                return day
        raise ParseError(messages.impossible_date(MONTH_NAMES[spec.month], spec.day))  # pragma: no cover
    # 'dom': "the 3rd" — this month if still to come, else the next month that has that day.
    if not 1 <= spec.day <= 31:
        raise ParseError(messages.impossible_date("A month", spec.day))
    month_start = today.replace(day=1)
    for months in range(0, 13):
        first = _add_months(month_start, months)
        day = _valid_date(first.year, first.month, spec.day)
        if day is not None and day >= today:
            return day
    raise ParseError(messages.impossible_date("A month", spec.day))  # pragma: no cover


def _clock_time(parts: Parts) -> time | None:
    hint = DAY_PARTS[parts.day_part][1] if parts.day_part else None
    if parts.clock is not None:
        return time(parts.clock.hour24(hint) % 24, parts.clock.minute)
    if parts.day_part:
        return time(DAY_PARTS[parts.day_part][0], 0)
    return None


def _first_occurrence(rec: RecurrenceSpec, base: date, clock: time, zone: tzinfo, now: datetime) -> datetime:
    day = rrule.first_matching_day(base, rec.freq, rec.by_day, rec.by_set_pos, rec.by_month_day)
    if day is not None and localize(day, clock, zone) <= now:
        day = rrule.first_matching_day(day + timedelta(days=1), rec.freq, rec.by_day, rec.by_set_pos, rec.by_month_day)
    if day is None:
        raise ParseError(messages.impossible_date("A month", rec.by_month_day or 0))
    return localize(day, clock, zone)


def _rrule_text(rec: RecurrenceSpec, start: datetime, today: date) -> str:
    until = None
    if rec.until is not None:
        until = resolve_day(rec.until, today, lambda _day: True)
        if rec.until.kind == "monthday" and until < start.date():
            until = _valid_date(until.year + 1, until.month, until.day) or until
        if until < start.date():
            raise ParseError(messages.recurrence_ends_before_start())
    if rec.for_units is not None:
        amount, unit = rec.for_units
        if unit.startswith("month"):
            end = _add_months(start.date(), amount)
        else:
            end = start.date() + timedelta(days=amount * (7 if unit.startswith("week") else 1))
        until = end - timedelta(days=1)
    if rec.count is not None and rec.count < 1:
        raise ParseError(messages.bad_count())
    return rrule.build_rrule(rec.freq, rec.interval, rec.by_day, rec.by_set_pos, rec.by_month_day, rec.count, until)


def resolve_start(parts: Parts, zone: tzinfo, now: datetime, original: str) -> tuple[datetime, str | None]:
    """(start, rrule) for the parts; raises ParseError with a hint when they don't make a future time."""
    local_now = now.astimezone(zone)
    today = local_now.date()
    if parts.instant:
        if parts.clock or parts.date or parts.relative_minutes is not None or parts.recurrence:
            raise ParseError(messages.two_times())
        return local_now.replace(microsecond=0), None
    if parts.relative_minutes is not None:
        if parts.clock or parts.date or parts.recurrence:
            raise ParseError(messages.two_times())
        return (now + timedelta(minutes=parts.relative_minutes)).astimezone(zone).replace(microsecond=0), None
    if not (parts.date or parts.clock or parts.day_part or parts.recurrence):
        return _fallback(original, zone, local_now), None
    clock = _clock_time(parts)
    if clock is None:
        raise ParseError(messages.add_a_time(parts.date_text or "tomorrow"))
    rec = parts.recurrence
    if rec is not None:
        base = today
        if parts.date is not None:
            if rec.freq == "WEEKLY" and not rec.by_day and parts.date.kind == "weekday":
                rec.by_day = [parts.date.weekday]
            base = resolve_day(parts.date, today, lambda day: localize(day, clock, zone) > now)
        start = _first_occurrence(rec, base, clock, zone, now)
        return start, _rrule_text(rec, start, today)
    if parts.date is not None:
        day = resolve_day(parts.date, today, lambda d: localize(d, clock, zone) > now)
    else:
        day = today if localize(today, clock, zone) > now else today + timedelta(days=1)
    start = localize(day, clock, zone)
    if start <= now:
        raise ParseError(messages.in_the_past(describe(start)))
    if start.year > local_now.year + MAX_YEARS_AHEAD:
        raise ParseError(messages.too_far(MAX_YEARS_AHEAD))
    return start, None


def _fallback(original: str, zone: tzinfo, local_now: datetime) -> datetime:
    naive, has_time = fallback.parse_with_dateparser(original, local_now.replace(tzinfo=None, microsecond=0))
    if naive is None:
        raise ParseError(messages.nothing_found(original.strip()))
    if not has_time:
        raise ParseError(messages.add_a_time())
    if not local_now.year <= naive.year <= local_now.year + MAX_YEARS_AHEAD:
        raise ParseError(messages.nothing_found(original.strip()))  # "0800" read as the year 800
    start = localize(naive.date(), naive.time(), zone)
    if start <= local_now:
        raise ParseError(messages.in_the_past(describe(start)))
    return start


def resolve_duration(parts: Parts, start: datetime, zone: tzinfo) -> int:
    """Minutes from a range ("2-3pm"), a duration ("for 45m") or the default; 1 min to 24 h."""
    if parts.end_clock is not None:
        if parts.duration_minutes is not None:
            raise ParseError(messages.range_and_duration())
        end_clock = time(parts.end_clock.hour24() % 24, parts.end_clock.minute)
        end = localize(start.date(), end_clock, zone)
        if end <= start:
            end = localize(start.date() + timedelta(days=1), end_clock, zone)
        minutes = (end - start).total_seconds() / 60
    elif parts.duration_minutes is not None:
        minutes = parts.duration_minutes
    else:
        return DEFAULT_DURATION_MINUTES
    if not 1 <= round(minutes) <= MAX_DURATION_MINUTES:
        raise ParseError(messages.bad_duration(parts.duration_text or f"{round(minutes)} minutes"))
    return round(minutes)


__all__ = ["Clock", "resolve_start", "resolve_duration", "localize", "describe"]
