"""Recognisers for days and moments: pasted timestamps, `in 2 hours`, `now`, `tomorrow`, `tue`, `dec 3`, `12/3`.

Each function is one pass over the working copy (see `claims`); `recognise.PASSES` runs them in order.
"""

from __future__ import annotations

from dataclasses import replace

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse import durations, zones
from bot.timeparse.claims import Claims, check_clock
from bot.timeparse.parts import Clock, DateSpec
from bot.timeparse.patterns import MERIDIEM, MON, NOT_A_CLOCK_AFTER, ORD_SUFFIX, WD, to_int
from bot.timeparse.tokens import Text
from bot.timeparse.vocab import MONTHS, WEEKDAYS, ZONE_ABBREVIATIONS

MAX_RELATIVE_MINUTES = 5 * 366 * 24 * 60
_AFTER_UNTIL = re.compile(r"(?:until|till|til|through|thru|ending(?:\s+on)?|ends?(?:\s+on)?)\s*$")


def stamps(scan: Claims) -> None:
    """Pasted timestamps: `2026-12-03T15:00:00+01:00`, `2026-12-03 15:00`, `03.12.2026 15:00` (dots: day first)."""
    iso = re.compile(
        r"(?<![\d-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(t|\s+)(\d{1,2}):(\d{2})(:\d{2}(?:[.,]\d+)?)?"
        r"(?:\s*(z|[+-]\d{2}(?::?\d{2})?))?(?:\s*(?:-|to|until|till)\s*(\d{1,2}):(\d{2})(?::\d{2})?(?![\d:]))?)?(?![\d-])"
    )

    def handle_iso(m: re.Match[str]):
        sep, hour, minute, seconds, offset, end_hour, end_minute = m[4], m[5], m[6], m[7], m[8], m[9], m[10]
        if not hour and _AFTER_UNTIL.search(scan.work[: m.start()]):
            return False  # the end of a series: the recurrence reads it
        scan.set_date(DateSpec("ymd", year=int(m[1]), month=int(m[2]), day=int(m[3])))
        if hour:
            scan.set_clock(Clock(int(hour), int(minute), twenty_four=True))
        if offset and offset[0] == "-" and sep != "t" and not seconds and not end_hour:
            # "2027-01-04 09:00-10:30": typed, not pasted (no T, no seconds): a range, not UTC-10:30
            end_hour, end_minute, offset = offset[1:3], offset[3:].lstrip(":") or "0", None
        if offset:
            set_offset(scan, offset)
        if end_hour:  # "2014-04-18 13:00 - 16:00"
            end = Clock(int(end_hour), int(end_minute), twenty_four=True)
            check_clock(end)
            scan.parts.end_clock = end

    scan.scan(iso, "date", handle_iso)
    basic = re.compile(r"(?<![\w])(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(?:\d{2})?(z|[+-]\d{4})?(?![\w])")

    def handle_basic(m: re.Match[str]):  # "20261203T150000Z" (iCalendar, basic ISO 8601)
        scan.set_date(DateSpec("ymd", year=int(m[1]), month=int(m[2]), day=int(m[3])))
        scan.set_clock(Clock(int(m[4]), int(m[5]), twenty_four=True))
        if m[6]:
            set_offset(scan, m[6])

    scan.scan(basic, "date", handle_basic)
    dashed = re.compile(rf"(?<![\w-])(?:(\d{{1,2}})-({MON})|({MON})-(\d{{1,2}}))-(\d{{4}}|\d{{2}})(?![\w-])")

    def handle_dashed(m: re.Match[str]):  # "03-Dec-2026", "Dec-03-2026"
        year = int(m[5]) + (2000 if len(m[5]) == 2 else 0)
        month = MONTHS[(m[2] or m[3]).rstrip(".")]
        scan.set_date(DateSpec("ymd", year=year, month=month, day=int(m[1] or m[4])))

    scan.scan(dashed, "date", handle_dashed)
    dotted = re.compile(r"(?<![\w.:/])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\w.:])")

    def handle_dotted(m: re.Match[str]):
        if _AFTER_UNTIL.search(scan.work[: m.start()]):
            return False  # "until 31.03.2027": the end of a series, read by the recurrence
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        scan.set_date(DateSpec("ymd", year=year, month=int(m[2]), day=int(m[1])))

    scan.scan(dotted, "date", handle_dotted)
    unix = re.compile(
        rf"(?<![\w])(?:({WD}),?\s+)?({MON})\s+(\d{{1,2}}),?\s+(\d{{1,2}}):(\d{{2}})(?::\d{{2}})?(?:\s+([a-z]{{3,5}}))?\s+(\d{{4}})(?![\w:])"
    )

    def handle_unix(m: re.Match[str]):  # `Thu Oct 26 11:00:09 EDT 2023` (ctime, `date`)
        if m[6] and m[6] not in ("utc", "gmt") and m[6] not in ZONE_ABBREVIATIONS:
            return False
        scan.set_date(DateSpec("ymd", year=int(m[7]), month=MONTHS[m[2].rstrip(".")], day=int(m[3])))
        scan.set_clock(Clock(int(m[4]), int(m[5]), twenty_four=True))
        if m[1]:
            scan.parts.weekday_check = WEEKDAYS[m[1].rstrip(".")]
        if m[6] in ("utc", "gmt"):
            scan.set_zone(*zones.fixed_offset_zone(m[6], None, None, None))
        elif m[6]:
            scan.set_zone(*zones.zone_and_name(m[6]))
            scan.parts.zone_abbreviation = scan.original(m.start(6), m.end(6))

    scan.scan(unix, "date", handle_unix)


def set_offset(scan: Claims, text: str) -> None:
    """`Z`, `+01:00`, `-0530`, `+01` as the zone of a pasted timestamp."""
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", text)
    try:
        if m is None:
            scan.set_zone(*zones.fixed_offset_zone("utc", None, None, None))
        else:
            scan.set_zone(*zones.fixed_offset_zone("utc", m[1], m[2], m[3]))
    except ValueError:
        raise ParseError(hints.bad_zone(text)) from None


def relative_starts(scan: Claims) -> None:
    """`in 45 minutes`, `in 2 and a half hours`, `half an hour from now`, `now + 15m`, `in 3 days`, `in 2 weeks`."""
    expr = durations.DURATION_EXPR
    pattern = re.compile(
        rf"(?<![\w])(?:(?:in|within|after)\s+(?:(?:about|around|approx\.?|roughly)\s+)*({expr})(?:\s+from\s+now|(?:['’]s?)?\s+time(?![\w]))?|({expr})\s+(?:from\s+(?:right\s+now|now|today)|later|out)"
        rf"|(?:now\s*)?(?:\+|plus)\s*({expr}))(?![\w])"
    )

    def handle(m: re.Match[str]):
        typed = m[1] or m[2] or m[3]
        minutes = durations.duration_minutes(typed)
        if minutes > MAX_RELATIVE_MINUTES:
            raise ParseError(hints.too_big(scan.original(m.start(), m.end())))
        if minutes <= 0:
            raise ParseError(hints.bad_duration(scan.original(m.start(), m.end())))
        if ("day" in typed or "week" in typed) and minutes % (24 * 60) == 0:
            return scan.add_days(int(minutes // (24 * 60)))
        scan.parts.relative_minutes = minutes

    scan.scan(pattern, "relative", handle)
    bare_minutes = re.compile(rf"(?<![\w])in\s+(\d{{1,2}})(?![\w:./'])(?!\s*(?:{NOT_A_CLOCK_AFTER}|-|to\b|and\b|or\b))")

    def handle_bare_minutes(m: re.Match[str]):
        if not 5 <= int(m[1]) <= 60:
            return False  # "in 2" could be hours, days or people: leave it to the question
        scan.parts.relative_minutes = float(m[1])  # "call in 15": minutes, as in chat

    scan.scan(bare_minutes, "relative", handle_bare_minutes)
    days = re.compile(
        r"(?<![\w])(?:in\s+(\d+|a|an)\s+(weeks?|months?|years?)(?:['’]s?\s+time|\s+time)?|(\d+|a|an)\s+(weeks?|months?|days?)\s+from\s+(now|today|tomorrow))(?![\w])"
    )

    def handle_days(m: re.Match[str]):
        amount, unit = to_int(m[1] or m[3]), (m[2] or m[4])
        if m[5] == "tomorrow" or unit.startswith("day"):
            return scan.add_days(amount * (7 if unit.startswith("week") else 1) + (m[5] == "tomorrow"))
        if amount > 5 * 53:
            raise ParseError(hints.too_big(scan.original(m.start(), m.end())))
        if unit.startswith("month"):
            scan.set_date(DateSpec("offset", offset_months=amount))
        elif unit.startswith("year"):  # "in 3 years at 7": readers disagree (that date? that month's 1st?): ask
            raise ParseError(hints.unclear_word(scan.original(m.start(), m.end())))
        else:
            scan.add_days(amount * 7)

    scan.scan(days, "date", handle_days)


def instants(scan: Claims) -> None:
    pattern = re.compile(r"(?<![\w])(?:right\s+now|right\s+away|straight\s+away|now|asap|immediately)(?![\w])")
    scan.scan(pattern, "instant", lambda m: setattr(scan.parts, "instant", True))


def day_words(scan: Claims) -> None:
    """`today`, `tonight`, `tomorrow`, `the day after tomorrow`, `next week tuesday`, `tue`, `this friday`."""
    words = re.compile(
        r"(?<![\w])(?:(?:the\s+)?(day\s+after\s+tomorrow)|(today|tonight|tomorrow|yesterday))(?![\w])"
    )

    def handle_words(m: re.Match[str]):
        word = m[1] or m[2]
        offsets = {"today": 0, "tonight": 0, "yesterday": -1}
        scan.add_days(2 if m[1] else offsets.get(word, 1))
        if word == "tonight":
            scan.parts.day_part = "tonight"

    scan.scan(words, "date", handle_words)
    next_week_day = re.compile(
        rf"(?<![\w])(?:next\s+week(?:'s)?\s+(?:on\s+)?({WD})|({WD})\s+(?:of\s+)?next\s+week|(next\s+week))(?![\w])"
    )

    def handle_next_week(m: re.Match[str]):
        day = m[1] or m[2]
        mode = "next_week" if day else "next_week_any"  # bare "next week": a weekday may still follow
        scan.set_date(DateSpec("weekday", weekday=WEEKDAYS[day.rstrip(".")] if day else 0, weekday_mode=mode))

    scan.scan(next_week_day, "date", handle_next_week)
    after_next = re.compile(rf"(?<![\w])(?:the\s+)?({WD})\s+after\s+next(?![\w])")  # "mon after next"
    scan.scan(after_next, "date", lambda m: scan.set_date(
        DateSpec("weekday", weekday=WEEKDAYS[m[1].rstrip(".")], weekday_mode="after_next")))
    weekday = re.compile(
        rf"(?<![\w])(?:(next|this|coming|this\s+coming|(?:the\s+)?following|last|past|previous)\s+)?({WD})(?![\w])(\s+week(?![\w]))?"
    )

    def handle_weekday(m: re.Match[str]):
        if m[3]:  # British "tuesday week": the tuesday after next, or a slip for "next week"? Ask.
            raise ParseError(hints.unclear_word(scan.original(m.start(), m.end()).strip()))
        mode = {"next": "next", "last": "last", "past": "last", "previous": "last"}.get(m[1] or "", "plain")
        if m[1] and m[1].endswith("following"):
            mode = "next"
        scan.set_date(DateSpec("weekday", weekday=WEEKDAYS[m[2].rstrip(".")], weekday_mode=mode))

    scan.scan(weekday, "date", handle_weekday)


def calendar_dates(scan: Claims) -> None:
    """`dec 3`, `3 december 2026`, `the 3rd of dec`, `12/3`, `12/03/2026`, `on the 30th`."""
    month_day = re.compile(
        rf"(?<![\w])(?:({MON})\s+(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}?(?![\d:.])(?!\s*{MERIDIEM})(?!\s*(?:h|hrs?|hours?|mins?|minutes?)(?![a-z]))"
        rf"|(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}?\s+(?:of\s+)?({MON}))(?:,?\s+(\d{{4}}))?(?![\w])"
    )

    def handle_month_day(m: re.Match[str]):
        month = MONTHS[(m[1] or m[4]).rstrip(".")]
        year = int(m[5]) if m[5] else None
        scan.set_date(DateSpec("ymd" if year else "monthday", year=year, month=month, day=int(m[2] or m[3])))

    scan.scan(month_day, "date", handle_month_day)
    numeric = re.compile(r"(?<![\w/.:-])(\d{1,2})(?:/(\d{1,2})(?:/(\d{4}|\d{2}))?|-(\d{1,2})-(\d{4}))(?![\w/-])")

    def handle_numeric(m: re.Match[str]):
        if m.group(0) == "24/7":
            return False  # the idiom, not the 24th of July
        first, second, typed_year = int(m[1]), int(m[2] or m[4]), m[3] or m[5]
        month, day = (second, first) if first > 12 else (first, second)
        year = int(typed_year) + (2000 if len(typed_year) == 2 else 0) if typed_year else None
        either = first <= 12 and second <= 12 and first != second
        scan.set_date(DateSpec("ymd" if year else "monthday", year=year, month=month, day=day, either_order=either))

    scan.scan(numeric, "date", handle_numeric)
    # "3.12.", "24.11." (dots: day first, as in Europe); "3.12" without the last dot only where it can't be a
    # time or a version: after "on" or a weekday, or right before a time ("on 3.12 14:00", "3.12 9:30").
    dotted = re.compile(r"(?<![\w.:/$€£-])(?:(on\s+)?)(\d{1,2})\.(\d{1,2})(\.)?(?![\w:/]|\.\d)")

    def handle_dotted(m: re.Match[str]):
        day, month = int(m[2]), int(m[3])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return False
        if not m[4] and not m[1] and scan.kind_before(m.start()) != "date" and not re.match(
            rf"\s*(?:at\s+|@\s*)?\d{{1,2}}(?:[:.]\d{{2}}|\s*(?:{MERIDIEM}|h(?![a-z])|uhr))", scan.work[m.end() :]
        ):
            return False
        scan.set_date(DateSpec("monthday", month=month, day=day))

    scan.scan(dotted, "date", handle_dotted)
    day_dot_month = re.compile(rf"(?<![\w.])(\d{{1,2}})\.\s+({MON})(?:,?\s+(\d{{4}}))?(?![\w])")  # "3. December"
    scan.scan(day_dot_month, "date", lambda m: scan.set_date(DateSpec(
        "ymd" if m[3] else "monthday", year=int(m[3]) if m[3] else None, month=MONTHS[m[2].rstrip(".")], day=int(m[1]))))
    ordinal = re.compile(
        rf"(?<![\w])(?:on\s+(?:the\s+)?|the\s+)(\d{{1,2}}){ORD_SUFFIX}(?:\s+of\s+(?:the\s+|this\s+)?(month|next\s+month))?(?![\w])"
    )
    scan.scan(ordinal, "date", lambda m: scan.set_date(DateSpec("dom", day=int(m[1]), offset_months=int(bool(m[2] and "next" in m[2])))))
    after_weekday = re.compile(rf"(?<![\w])(\d{{1,2}}){ORD_SUFFIX}(?![\w])")

    def handle_after_weekday(m: re.Match[str]):
        current = scan.parts.date
        if current is None or current.kind != "weekday" or scan.kind_before(m.start()) != "date":
            return False  # "mon 23rd": a bare ordinal is a day of the month only right after a weekday
        scan.set_date(DateSpec("dom", day=int(m[1])))

    scan.scan(after_weekday, "date", handle_after_weekday)


def week_numbers(scan: Claims) -> None:
    """`KW 49`, `CW49`, `in week 49`, `calendar week 49`: an ISO week number (a weekday beside it picks the day)."""
    pattern = re.compile(r"(?<![\w])(?:in\s+|of\s+)?(?:the\s+)?(?:kw|cw|calendar\s+week|week|wk)\s*#?(\d{1,2})(?![\w.:/-])(?!\s*[-–]\s*\d)")

    def handle(m: re.Match[str]):
        if not 1 <= int(m[1]) <= 53 or re.search(r"(?:sprint|every|each|\d)\s*$", scan.work[: m.start()]):
            return False
        scan.parts.iso_week = int(m[1])

    scan.scan(pattern, "date", handle)


def trailing_year(scan: Claims) -> None:
    """`Thu Oct 26, 10:00 - 11:00 2027`: a year typed after the time (as calendar invites print it) still
    belongs to the date; never left in the title while the meeting lands in another year."""
    current = scan.parts.date
    if current is None or current.kind != "monthday":
        return

    def handle(m: re.Match[str]):
        if scan.kind_before(m.start()) not in ("date", "time") or scan.parts.date is not current:
            return False
        scan.parts.date = replace(current, kind="ymd", year=int(m[1]))

    scan.scan(re.compile(r"(?<![\w:./-])(20\d\d)(?![\w:./-])"), "date", handle)


def until_date(text: str) -> DateSpec:
    """A DateSpec from the words after `until` (a DATE_EXPR match or a weekday)."""
    scan = Claims(Text(text))
    stamps(scan)
    day_words(scan)
    calendar_dates(scan)
    if scan.parts.date is None:  # pragma: no cover - DATE_EXPR and the recognisers agree
        raise ParseError(hints.nothing_found(text))
    return scan.parts.date
