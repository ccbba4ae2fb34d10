"""Stage 3 of the pipeline: recognised `Parts` + `now` + a zone → start, end and RRULE. Pure: no clock reads.

Only arithmetic and the calendar live here; whether the answer is acceptable (in the future, a sane duration,
a weekday that agrees with its date) is `validate`'s job.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from bot import messages
from bot.errors import ParseError
from bot.timeparse import rrule
from bot.timeparse.parts import DateSpec, Parts, RecurrenceSpec
from bot.timeparse.vocab import DAY_PARTS, MONTH_NAMES

DEFAULT_DURATION_MINUTES = 30
MAX_YEARS_AHEAD = 5
RECENTLY_PAST_DAYS = 31  # a day and month this recently past are asked about; older ones mean next year ("jan 2" in Nov)
MAX_OVERNIGHT_HOURS = 10  # "11pm-1am" crosses midnight; "1pm-11am" (22 h) is an end typed before the start


def localize(day: date, clock: time, zone: tzinfo) -> datetime:
    """Wall time on `day` in `zone`. A time inside a DST gap moves forward (02:30 → 03:30), as calendars do."""
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise ParseError(messages.too_far(MAX_YEARS_AHEAD))
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_name(month: int) -> str:
    return MONTH_NAMES[month] if 1 <= month <= 12 else "That month"


def resolve_day(spec: DateSpec, today: date, still_ahead: Callable[[date], bool]) -> date:
    """The calendar day a DateSpec means. `still_ahead(day)` says whether the meeting time on `day` is future."""
    if spec.kind == "offset":
        return add_months(today, spec.offset_months) + timedelta(days=spec.offset_days)
    if spec.kind == "weekday":
        if spec.weekday_mode in ("next_week", "next_week_any"):
            return today + timedelta(days=7 - today.weekday() + spec.weekday)
        if spec.weekday_mode == "last":
            return today - timedelta(days=(today.weekday() - spec.weekday) % 7 or 7)
        ahead = (spec.weekday - today.weekday()) % 7
        if spec.weekday_mode in ("next", "after_next"):
            if ahead and today.weekday() + ahead <= 6:  # later this week: this week's, or the one after?
                first = today + timedelta(days=ahead)
                if spec.weekday_mode == "after_next":
                    first += timedelta(days=7)
                raise ParseError(messages.which_next(first, first + timedelta(days=7), spec.weekday_mode == "next"))
            return today + timedelta(days=(ahead or 7) + (7 if spec.weekday_mode == "after_next" else 0))
        if ahead == 0 and not still_ahead(today):
            ahead = 7
        return today + timedelta(days=ahead)
    if spec.kind == "ymd":
        year = spec.year or today.year
        day = _valid_date(year, spec.month, spec.day) if 1 <= year <= 9999 else None
        if day is None:
            raise ParseError(messages.impossible_date(_month_name(spec.month), spec.day, spec.year))
        return day
    if spec.kind == "monthday":
        if not 1 <= spec.month <= 12 or not 1 <= spec.day <= calendar.monthrange(2024, spec.month)[1]:
            raise ParseError(messages.impossible_date(_month_name(spec.month), spec.day))
        this_year = _valid_date(today.year, spec.month, spec.day)
        recently = this_year is not None and timedelta(0) < today - this_year <= timedelta(days=RECENTLY_PAST_DAYS)
        if recently and not spec.either_order and this_year is not None:
            raise ParseError(messages.date_just_passed(this_year))  # "nov 19" on Nov 20: a slip, not next year's
        for year in range(today.year, today.year + 9):  # Feb 29 may be years away
            day = _valid_date(year, spec.month, spec.day)
            if day is not None and day >= today:
                return day
        raise ParseError(messages.impossible_date(MONTH_NAMES[spec.month], spec.day))  # pragma: no cover
    if spec.kind == "month_end":  # "until end of march", "through january": the last day of that month
        first = add_months(today.replace(day=1), spec.offset_months)
        if spec.month:
            first = date(today.year + (spec.month < today.month), spec.month, 1)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    # 'dom': "the 3rd" — this month if still to come, else the next month that has that day.
    if not 1 <= spec.day <= 31:
        raise ParseError(messages.impossible_date("A month", spec.day))
    month_start = add_months(today.replace(day=1), spec.offset_months)  # "the 5th of next month"
    for months in range(0, 13):
        first = add_months(month_start, months)
        day = _valid_date(first.year, first.month, spec.day)
        if day is not None and day >= today:
            return day
    raise ParseError(messages.impossible_date("A month", spec.day))  # pragma: no cover


def clock_time(parts: Parts) -> time | None:
    """The time of day the parts name. A day part only picks am/pm for an hour; alone it asks which hour."""
    part = parts.day_part
    clock = parts.clock
    if clock is not None:
        hint_part = part or (parts.title_day_part if clock.meridiem is None and not clock.twenty_four else None)
        hint = DAY_PARTS[hint_part][1] if hint_part else None
        if hint_part in ("night", "tonight") and 1 <= clock.hour <= 4 and clock.meridiem is None:
            if hint_part == "tonight":
                raise ParseError(messages.which_half(f"{clock.spoken()}am", f"{clock.spoken()}pm"))
            hint = "am"  # "1 at night" is 1am
        if part and clock.meridiem and hint != clock.meridiem:
            raise ParseError(messages.which_half(f"{clock.hour}{clock.minute and f':{clock.minute:02d}' or ''}am", f"{clock.hour}{clock.minute and f':{clock.minute:02d}' or ''}pm"))
        if hint_part and clock.hour == 12 and clock.meridiem is None and not clock.twenty_four and not (
            hint_part == "afternoon" and clock.minute
        ):  # "this afternoon at 12" may be either; "12:15 in the afternoon" is not
            raise ParseError(messages.which_half("noon", "midnight"))
        minutes = clock.minutes_of_day(hint)
        return time(minutes // 60, minutes % 60)
    if part:  # "tomorrow morning" names hours, not a time: other readers pick 6, 8 or 9; ask which
        if parts.recurrence is not None:
            typed = f"every {part}"
        elif parts.date_text not in (None, part):
            typed = f"{parts.date_text} {part}"
        else:
            typed = part if part == "tonight" else f"this {part}"
        hour = DAY_PARTS[part][0]
        raise ParseError(messages.which_time_in_part(typed, f"{hour % 12 or 12}{'am' if hour < 12 else 'pm'}"))
    return None


def iso_week_day(week: int, weekday: int, today: date, still_ahead: Callable[[date], bool]) -> date:
    """`Wednesday in KW 49`: that weekday of ISO week `week`, this year's if still ahead, else next year's."""
    for year in (today.isocalendar().year, today.isocalendar().year + 1):
        try:
            day = date.fromisocalendar(year, week, weekday + 1)
        except ValueError:
            continue
        if day >= today and still_ahead(day):
            return day
    raise ParseError(messages.which_day_of_week(week))


def first_occurrence(rec: RecurrenceSpec, base: date, clock: time, zone: tzinfo, now: datetime) -> datetime:
    day = rrule.first_matching_day(base, rec.freq, rec.by_day, rec.by_set_pos, rec.by_month_day)
    if day is not None and localize(day, clock, zone) <= now:
        day = rrule.first_matching_day(day + timedelta(days=1), rec.freq, rec.by_day, rec.by_set_pos, rec.by_month_day)
    if day is None:
        raise ParseError(messages.impossible_date("A month", rec.by_month_day or 0))
    return localize(day, clock, zone)


def rrule_text(rec: RecurrenceSpec, start: datetime, today: date, zone: tzinfo) -> str:
    """The RRULE; UNTIL is the end of the last day in the meeting's zone, as a UTC date-time (RFC 5545)."""
    until = None
    if rec.until is not None:
        until = resolve_day(rec.until, today, lambda _day: True)
        if until < start.date():  # "every mon until jan 1" with jan 1 before the first monday: not a year later
            raise ParseError(messages.recurrence_ends_before_start())
    if rec.for_units is not None and rec.freq == "MONTHLY" and rec.for_units[1].startswith("month") and rec.count is None:
        # "every last friday for 3 months": three meetings (an end date would catch a fourth when the day drifts)
        rec.count, rec.for_units = max(1, rec.for_units[0] // rec.interval), None
    if rec.for_units is not None:
        amount, unit = rec.for_units
        if unit.startswith("month"):
            end = add_months(start.date(), amount)
        else:
            end = start.date() + timedelta(days=amount * (7 if unit.startswith("week") else 1))
        until = end - timedelta(days=1)
    until_utc = None
    if until is not None:
        until_utc = localize(until, time(23, 59, 59), zone).astimezone(timezone.utc)
    return rrule.build_rrule(rec.freq, rec.interval, rec.by_day, rec.by_set_pos, rec.by_month_day, rec.count, until_utc)


def resolve_start(parts: Parts, zone: tzinfo, now: datetime, original: str) -> tuple[datetime, str | None]:
    """(start, rrule) for the parts. Raises ParseError when they name no time of day."""
    local_now = now.astimezone(zone)
    today = local_now.date()
    if parts.instant:
        if parts.clock or parts.date or parts.relative_minutes is not None or parts.recurrence:
            raise ParseError(messages.two_times())
        return local_now.replace(microsecond=0), None
    if parts.relative_minutes is not None:
        # Elapsed time ("in 2 hours" across a DST change is two real hours), so the sum is made in UTC.
        start = (now.astimezone(timezone.utc) + timedelta(minutes=parts.relative_minutes)).astimezone(zone).replace(microsecond=0)
        today_only = parts.date is not None and parts.date.kind == "offset" and parts.date.offset_days == 0
        if parts.clock or (parts.date and not (today_only and start.date() == today)) or parts.recurrence:
            raise ParseError(messages.two_times())  # "today in one hour" is fine; "friday in 2 hours" is not
        return start, None
    if not (parts.date or parts.clock or parts.day_part or parts.recurrence):
        raise ParseError(messages.nothing_found(original.strip()))
    if parts.iso_week is not None:
        if parts.recurrence is not None or parts.date is None or parts.date.kind != "weekday":
            raise ParseError(messages.which_day_of_week(parts.iso_week))  # "in KW 49": which day, at what time?
    clock = clock_time(parts)
    if clock is None:
        raise ParseError(messages.add_a_time(parts.date_text or "tomorrow"))
    rec = parts.recurrence
    if rec is not None:
        base = today
        if parts.date is not None:
            if rec.freq == "WEEKLY" and not rec.by_day and parts.date.kind == "weekday":
                rec.by_day = [parts.date.weekday]
            base = resolve_day(parts.date, today, lambda day: localize(day, clock, zone) > now)
            if parts.date.kind == "dom" and rec.by_set_pos is not None:  # "the 2nd and 4th saturday of every month"
                raise ParseError(messages.one_week_of_the_month())
            if parts.date.kind in ("ymd", "monthday", "dom") and rec.freq == "WEEKLY" and rec.by_day and base.weekday() not in rec.by_day:
                raise ParseError(messages.start_off_the_repeat(base, rec.by_day))  # "every monday starting dec 8"
        start = first_occurrence(rec, base, clock, zone, now)
        return start, rrule_text(rec, start, today, zone)
    if parts.date is not None and parts.iso_week is not None:
        day = iso_week_day(parts.iso_week, parts.date.weekday, today, lambda d: localize(d, clock, zone) > now)
    elif parts.date is not None:
        day = resolve_day(parts.date, today, lambda d: localize(d, clock, zone) > now)
        check, spec = parts.weekday_check, parts.date
        if check is not None and day.weekday() != check and spec.either_order:  # "Tue 8/12": the 8th of December
            swapped = DateSpec(spec.kind, year=spec.year, month=spec.day, day=spec.month)
            other = resolve_day(swapped, today, lambda d: localize(d, clock, zone) > now)
            day = other if other.weekday() == check else day
        if parts.day_part == "tonight" and clock < time(5):
            day += timedelta(days=1)  # "tonight at 1am": after midnight
        elif parts.midnight_word and parts.date.kind == "offset" and parts.date.offset_days == 0:
            day += timedelta(days=1)  # "today midnight": tonight's, as today ends
        elif parts.midnight_word:
            raise ParseError(messages.which_midnight(day))  # "midnight saturday": as Saturday starts, or ends?
    else:
        day = today if localize(today, clock, zone) > now else today + timedelta(days=1)
    return localize(day, clock, zone), None


def end_of(parts: Parts, start: datetime, zone: tzinfo) -> float:
    """Minutes from a range ("2-3pm"), a duration ("for 45m") or the default."""
    if parts.end_clock is not None:
        if parts.duration_minutes is not None:
            raise ParseError(messages.range_and_duration())
        hint = DAY_PARTS[parts.day_part][1] if parts.day_part else None
        minutes_of_day = parts.end_clock.minutes_of_day(hint if parts.end_clock.meridiem is None else None)
        end_clock = time(minutes_of_day // 60, minutes_of_day % 60)
        end = localize(start.date(), end_clock, zone)
        if end <= start:
            overnight = localize(start.date() + timedelta(days=1), end_clock, zone)
            # Only an evening start may end after midnight, and not a whole day later ("1pm-11am" is a slip).
            if not (start.hour >= 12 and end_clock.hour < 12) or overnight - start > timedelta(hours=MAX_OVERNIGHT_HOURS):
                raise ParseError(messages.ends_before_start(start.strftime("%H:%M"), end_clock.strftime("%H:%M")))
            end = overnight
        return (end - start).total_seconds() / 60
    if parts.duration_minutes is not None:
        return parts.duration_minutes
    return DEFAULT_DURATION_MINUTES


def resolve(parts: Parts, user_zone: tzinfo, now: datetime, cleaned: str) -> tuple[datetime, float, str | None]:
    """Stage 3: (start, minutes, rrule) in the text's zone, or the user's."""
    zone = parts.zone or user_zone
    start, rule = resolve_start(parts, zone, now, parts.title or cleaned if not parts.anything else cleaned)
    return start, end_of(parts, start, zone), rule


__all__ = ["resolve", "resolve_start", "localize", "clock_time"]
