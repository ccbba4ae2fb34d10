"""Stage 4 of the pipeline: is the resolved meeting what the person asked for? If in doubt, ask.

A wrong guess is worse than a question: a day or time word left in the title while the meeting lands at a default
time, a weekday that disagrees with its date, two zones that name different moments, a series whose end was not
understood: each is a `ParseError` whose hint says what to type, never a meeting nobody asked for.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from bot import messages
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.parts import Clock, Parts
from bot.timeparse.tokens import edit_distance
from bot.timeparse.vocab import DAY_NAMES, MONTHS, WEEKDAYS

MAX_DURATION_MINUTES = 24 * 60
MAX_YEARS_AHEAD = 5
MAX_TYPED_YEARS_AHEAD = 50  # a year written out ("05/31/2034 14:15") was meant; one we derived may be a slip
MAX_RULE_CHECK = 400  # occurrences dateutil may enumerate looking for the first one

_DAY_WORDS = frozenset({"tu", "th", "tomorrow", "today", "tonight", "yesterday", "noon", "midnight", "midday", "am", "pm", "a.m.",
                        "p.m.", "o'clock", "ish", "fortnight", "weekday", "weekend"})
_LOOSE_TARGETS = ("tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_TIME_SHAPED = re.compile(
    r"(?:\d{1,2}(?:[:.]\d{2})?(?:[ap]m?|h)|\d{1,2}[:.]\d{2}|\d{1,2}h\d{2}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})"
)
_QUANTITY = re.compile(rf"(?:^|\s)(?:\d[\d.,]*|an?|few|several|some|couple)\s+{_UNITS}(?:\s|$)")
_VAGUE_DAYS = re.compile(
    r"(?:^|\s)(?:(?:next|this|last|coming|end\s+of(?:\s+the)?|start\s+of(?:\s+the)?)\s+(?:week|month|year|weekend|quarter)"
    r"|christmas|xmas|new\s+year'?s?|nye|easter|thanksgiving|halloween|eve|holidays?|hols)(?:\s|$)"
)
_DATE_SHAPED = re.compile(r"(?<![\w.])\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}(?![\w])")
_ARITHMETIC = re.compile(r"(?:^|\s)(?:half|quarter|\d+)\s+(?:past|to|after|before)(?:\s|$)|(?:^|\s)(?:past|to)\s+\d")
_MONTHS_THAT_ARE_WORDS = frozenset({"may", "march", "mar", "jan", "june", "april", "august"})  # also names, verbs
_DAY_SHAPED = re.compile(r"[a-z]{3,}s?days?")
_DAY_SHAPED_WORDS = frozenset({"birthday", "holiday", "payday", "someday", "midday", "everyday", "doomsday", "heyday",
                               "workday", "weekday", "yesterday", "today", "mayday", "gameday", "caturday"})
_END_WORDS = frozenset({"until", "till", "til", "through", "thru", "ending", "ends", "every", "each"})


def suspicious_word(parts: Parts) -> str | None:
    """A word left over that looks like part of a time, which the grammar did not understand; or None."""
    words = parts.leftover
    joined = " ".join(words)
    for index, word in enumerate(words):
        if word.startswith("<dangling>"):
            return word.removeprefix("<dangling>")
        bare = word.strip(".,;:!?()[]'\"")
        if bare in _DAY_WORDS or _TIME_SHAPED.fullmatch(bare):
            return bare
        pieces = re.split(r"[-./]", bare)
        if len(pieces) > 1 and any(p in MONTHS for p in pieces) and any(p.isdigit() for p in pieces):
            return bare  # "3.dec.2026", "dec/3": a date in a shape not understood
        if parts.date is None and bare.rstrip(".") in MONTHS:
            followed_by_number = index + 1 < len(words) and words[index + 1][:1].isdigit()
            if bare.rstrip(".") not in _MONTHS_THAT_ARE_WORDS or followed_by_number:
                return f"{bare} {words[index + 1]}" if followed_by_number else bare
        if parts.recurrence is not None and bare in _END_WORDS:
            return bare
        if parts.recurrence is not None and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", bare):
            return bare  # "every 3 months 1st monday": which day of the month?
        if parts.recurrence is not None and bare in ("except", "excluding", "skip", "skipping", "but"):
            return " ".join(words[index : index + 2])  # "except holidays": an exception not understood
        if bare in ("early", "late") and parts.clock is None and parts.day_part is not None:
            return f"{bare} {parts.day_part}"  # "late tonight": which hour?
        if bare == "every" or (_DAY_SHAPED.fullmatch(bare) and bare.removesuffix("s") not in _DAY_SHAPED_WORDS | set(WEEKDAYS)):
            return bare  # "blursday": shaped like a day name, but none we know
        if len(bare) >= 6 and bare.isalpha() and bare not in WEEKDAYS:
            for target in _LOOSE_TARGETS:
                limit = 2 if len(bare) >= 7 or target.startswith("to") else 1
                if bare[0] == target[0] and abs(len(bare) - len(target)) <= limit and edit_distance(bare, target) <= limit:
                    return bare
    patterns = (_QUANTITY, _ARITHMETIC, _DATE_SHAPED) + ((_VAGUE_DAYS,) if parts.date is None else ())
    for pattern in patterns:
        found = pattern.search(joined)
        if found:
            return found.group(0).strip()
    return None


def validate(parts: Parts, start: datetime, minutes: float, rule: str | None, now: datetime, zone: tzinfo) -> int:
    """Raise ParseError unless the meeting is what was asked for; return the duration in whole minutes."""
    word = suspicious_word(parts)
    if word is not None:
        if parts.recurrence is not None and word in _END_WORDS:
            raise ParseError(messages.recurrence_end_unclear(" ".join(parts.leftover)))
        raise ParseError(messages.unclear_word(word))
    if parts.weekday_check is not None and start.weekday() != parts.weekday_check:
        day = f"{start:%b} {start.day}"
        raise ParseError(messages.weekday_mismatch(day, DAY_NAMES[start.weekday()], DAY_NAMES[parts.weekday_check]))
    for other in parts.other_zone_clocks:
        _check_other_zone(parts, other, start)
    if parts.zone_abbreviation is not None:
        _check_season(parts.zone_abbreviation, start)
    if not parts.instant and start <= now:
        raise ParseError(messages.in_the_past(start.strftime("%a %d %b %Y, %H:%M %Z").strip()))
    typed_year = parts.date is not None and parts.date.kind == "ymd" and parts.date.year is not None
    if start.year > now.astimezone(zone).year + (MAX_TYPED_YEARS_AHEAD if typed_year else MAX_YEARS_AHEAD):
        raise ParseError(messages.too_far(MAX_YEARS_AHEAD))
    if not 1 <= round(minutes) <= MAX_DURATION_MINUTES:
        raise ParseError(messages.bad_duration(parts.duration_text or f"{round(minutes)} minutes"))
    if rule is not None:
        check_rrule(rule, start)
    return round(minutes)


def _check_other_zone(parts: Parts, other: tuple[Clock, tzinfo, str, str], start: datetime) -> None:
    """`10am PT / 1pm ET`: both must be the same instant on that date; else say which hours would agree."""
    assert parts.clock is not None
    clock, zone, second_word, first_word = other
    there = start.astimezone(zone)
    if there.hour * 60 + there.minute == clock.minutes_of_day():
        return
    minutes = clock.minutes_of_day()
    second_start = datetime.combine(there.date(), time(minutes // 60, minutes % 60), zone).astimezone(start.tzinfo)
    first = f"{parts.clock.spoken()} {first_word}"
    raise ParseError(
        messages.zones_disagree(
            f"{first} / {clock.spoken()} {second_word}",
            f"{first} is {_spoken(there)} {second_word}",
            f"{clock.spoken()} {second_word} is {_spoken(second_start)} {first_word}",
        )
    )


# Abbreviations that name one half of the year: "EDT" on a December date is either New York time or UTC-4.
# (CET, EET and WET are used as the names of the European zones all year: wall clock. Their summer forms are not.)
_DAYLIGHT_ABBREVIATIONS = frozenset({"pdt", "mdt", "cdt", "edt", "akdt", "adt", "ndt", "bst", "acdt", "aedt", "nzdt",
                                     "cest", "eest", "west"})
_STANDARD_ABBREVIATIONS = frozenset({"pst", "mst", "cst", "est", "akst", "ast", "nst", "acst", "aest", "nzst"})


def _check_season(typed: str, start: datetime) -> None:
    """`9am PST` on a July date: the region is on PDT then, so 9am PST names no wall clock there. Ask which."""
    word = typed.lower()
    summer = bool(start.dst())
    if (word in _DAYLIGHT_ABBREVIATIONS and not summer) or (word in _STANDARD_ABBREVIATIONS and summer):
        offset = start.utcoffset() or timedelta(0)
        literal = offset + timedelta(hours=1) if word in _DAYLIGHT_ABBREVIATIONS else offset - (start.dst() or timedelta(0))
        sign = "+" if literal >= timedelta(0) else "-"
        hours, rest = divmod(abs(int(literal.total_seconds())) // 60, 60)
        literal_text = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
        raise ParseError(
            messages.zone_out_of_season(typed, f"{start:%b} {start.day}", start.tzname() or "", _spoken(start), literal_text)
        )


def _spoken(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}{moment.strftime(':%M') if moment.minute else ''}{'am' if moment.hour < 12 else 'pm'}"


def check_rrule(rule: str, start: datetime) -> None:
    """Every RRULE we emit must be one dateutil (and so calendars) accept with the aware start, with a first date."""
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

    try:
        recurrence = rrulestr(rule, dtstart=start)
        first = next(iter(recurrence), None)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(messages.nothing_found(rule)) from exc
    if first is None or first - start > timedelta(days=MAX_RULE_CHECK):
        raise ParseError(messages.recurrence_ends_before_start())
