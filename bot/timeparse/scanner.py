"""The text side of the time parser: find every time-ish phrase, claim its span, record what it means.

Each recogniser is a regex over a lower-cased working copy of the text. A claimed span is blanked with NUL
characters, which no pattern matches and which act as word boundaries, so later recognisers cannot reuse a
character and the title is simply what nobody claimed. Order matters: recurrence before weekdays ("every
monday"), relative starts before durations ("in 45 minutes"), ranges before single times ("2-3pm").
Nothing here knows the current time: `resolve` turns the recorded `Parts` into datetimes.
"""

from __future__ import annotations

from datetime import tzinfo

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse import durations, zones
from bot.timeparse.parts import Clock, DateSpec, Parts, RecurrenceSpec
from bot.timeparse.patterns import (
    DATE_EXPR, DAY_WORD_BEFORE, MERIDIEM, MON, NUL, NUM_WORD, ORD_SUFFIX, TIME_ATOM, WD, to_int,
)
from bot.timeparse.repeats import scan_recurrence
from bot.timeparse.vocab import CONNECTORS, MONTHS, WEEKDAYS

__all__ = ["Clock", "DateSpec", "Parts", "RecurrenceSpec", "Scanner"]


class Scanner:
    """Claims spans of `text` and fills `parts`. One instance per parse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.work = text.lower()
        self.spans: list[tuple[int, int, str]] = []
        self.parts = Parts()
        self.title_pieces: list[str] = []

    # -- span bookkeeping ----------------------------------------------------------------------------

    def claim(self, start: int, end: int, kind: str) -> None:
        self.work = self.work[:start] + NUL * (end - start) + self.work[end:]
        self.spans.append((start, end, kind))
        if kind == "date" and self.parts.date_text is None:
            self.parts.date_text = self.text[start:end].strip()

    def kind_before(self, pos: int) -> str | None:
        """The kind of the claimed span that ends right before `pos` (only spaces between), if any."""
        i = pos
        while i > 0 and self.work[i - 1] == " ":
            i -= 1
        for start, end, kind in self.spans:
            if end == i and i > 0:
                return kind
        return None

    def scan(self, pattern: re.Pattern[str], kind: str, handler) -> None:
        """Run `handler(match)` on each match; claim the span unless the handler returns False."""
        for match in list(pattern.finditer(self.work)):
            if NUL in self.work[match.start() : match.end()]:
                continue  # overlaps something claimed by an earlier match of this pass
            if handler(match) is not False:
                self.claim(match.start(), match.end(), kind)

    # -- the passes, in order ------------------------------------------------------------------------

    def run(self) -> Parts:
        _reject_impossible_clock(self.work)
        self.iso_datetimes()
        self.recurrences()
        self.relative_starts()
        self.instants()
        self.ranges()
        self.durations()
        self.explicit_zones()
        self.clocks()
        self.dates()
        self.after_date_words()
        self.day_parts()
        self.zone_abbreviations()
        self.parts.title = self.title()
        return self.parts

    def set_clock(self, clock: Clock) -> None:
        if self.parts.clock is not None:
            raise ParseError(hints.two_times())
        if clock.minute > 59 or (clock.meridiem and not 1 <= clock.hour <= 12) or clock.hour > 23:
            raise ParseError(hints.bad_clock(f"{clock.hour}:{clock.minute:02d}"))
        self.parts.clock = clock

    def set_date(self, spec: DateSpec) -> None:
        if self.parts.date is not None:
            raise ParseError(hints.two_dates())
        self.parts.date = spec

    def iso_datetimes(self) -> None:
        pattern = re.compile(
            r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:t|\s+)(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(z)?(?![\d-])"
        )

        def handle(m: re.Match[str]):
            self.set_date(DateSpec("ymd", year=int(m[1]), month=int(m[2]), day=int(m[3])))
            if m[4]:
                self.set_clock(Clock(int(m[4]), int(m[5]), twenty_four=True))
            if m[6]:
                self.set_zone(*zones.fixed_offset_zone("utc", None, None, None))

        self.scan(pattern, "date", handle)

    def recurrences(self) -> None:
        rec = scan_recurrence(self)
        if rec is None:
            return
        self.parts.recurrence = rec
        # COUNT: ", 4 times"; UNTIL: "until dec 21"; "for 4 weeks".
        count = re.compile(rf",?\s*(?:for\s+)?(\d+|{NUM_WORD})\s+(?:times|occurrences|sessions|meetings)(?![a-z])")
        self.scan(count, "recurrence", lambda m: setattr(rec, "count", to_int(m[1])))
        until = re.compile(rf",?\s*(?:until|till|til|through|thru|ending(?:\s+on)?|ends(?:\s+on)?)\s+({DATE_EXPR})")
        self.scan(until, "recurrence", lambda m: setattr(rec, "until", _date_only(m[1])))
        span = re.compile(rf",?\s*for\s+(?:the\s+next\s+)?(\d+|{NUM_WORD})\s+(days|weeks|months)(?![a-z])")
        self.scan(span, "recurrence", lambda m: setattr(rec, "for_units", (to_int(m[1]), m[2])))

    def relative_starts(self) -> None:
        expr = durations.DURATION_EXPR
        pattern = re.compile(rf"(?:(?:in|within)\s+({expr})(?:\s+from\s+now)?|({expr})\s+from\s+now)(?![\w])")

        def handle(m: re.Match[str]):
            minutes = durations.duration_minutes(m[1] or m[2])
            if minutes >= 24 * 60 and minutes % (24 * 60) == 0:
                return self.add_days(int(minutes // (24 * 60)))
            self.parts.relative_minutes = minutes

        self.scan(pattern, "relative", handle)
        days = re.compile(rf"(?:in\s+(\d+|a|an|{NUM_WORD})\s+(weeks?|months?)|(\d+|a|{NUM_WORD})\s+(weeks?)\s+from\s+(?:now|today))(?![a-z])")

        def handle_days(m: re.Match[str]):
            amount, unit = to_int(m[1] or m[3]), (m[2] or m[4])
            if unit.startswith("month"):
                self.set_date(DateSpec("offset", offset_months=amount))
            else:
                self.add_days(amount * 7)

        self.scan(days, "date", handle_days)

    def add_days(self, days: int) -> None:
        self.set_date(DateSpec("offset", offset_days=days))

    def instants(self) -> None:
        pattern = re.compile(r"(?<![\w])(?:right\s+now|right\s+away|straight\s+away|now|asap|immediately)(?![\w])")
        self.scan(pattern, "instant", lambda m: setattr(self.parts, "instant", True))

    def ranges(self) -> None:
        pattern = re.compile(
            rf"(?<![\w:./-])(?:(from|between)\s+)?({TIME_ATOM})\s*(?:-|–|—|to|until|till|til|and)\s*({TIME_ATOM})(?![\w:])"
        )

        def handle(m: re.Match[str]):
            joiner = m.group(0)[len(m[1] or "") :]
            a, b = _clock(m[2]), _clock(m[3])
            marked = any(re.search(r"[:.apn]", s) for s in (m[2], m[3]))
            if " and " in joiner and m[1] != "between":
                return False
            if not (marked or m[1] or DAY_WORD_BEFORE.search(self.work[: m.start()])):
                return False  # "1-2" alone could be anything: leave it
            if a.meridiem is None and b.meridiem is not None and not a.twenty_four and a.hour <= 12:
                a.meridiem = b.meridiem
                if a.hour24() > b.hour24():
                    a.meridiem = "am" if b.meridiem == "pm" else "pm"
            elif b.meridiem is None and not b.twenty_four and a.meridiem is not None and b.hour <= 12:
                b.meridiem = a.meridiem
                if b.hour24() <= a.hour24():
                    b.meridiem = "pm" if a.meridiem == "am" else "am"
            self.set_clock(a)
            self.parts.end_clock = b

        self.scan(pattern, "time", handle)

    def durations(self) -> None:
        pattern = re.compile(
            rf"(?<![\w.:])(?:(for|lasting|duration(?:\s+of)?|length)\s+(?:about\s+|around\s+)?)?(-\s*)?({durations.DURATION_EXPR})"
            r"(?:\s+long)?(?![\w])"
        )

        def handle(m: re.Match[str]):
            if not m[1] and not re.search(r"\d|hour", m[3]):
                return False
            if self.parts.duration_minutes is not None:
                raise ParseError(hints.two_durations())
            minutes = durations.duration_minutes(m[3])
            self.parts.duration_minutes = -minutes if m[2] else minutes
            self.parts.duration_text = m.group(0).strip()

        self.scan(pattern, "duration", handle)

    def set_zone(self, zone: tzinfo, name: str) -> None:
        if self.parts.zone is not None and self.parts.zone_name != name:
            raise ParseError(hints.two_zones())
        self.parts.zone, self.parts.zone_name = zone, name

    def explicit_zones(self) -> None:
        for m in list(zones.IANA_RE.finditer(self.text)):
            zone = zones.zone_by_name(m[1])
            if zone is not None and NUL not in self.work[m.start() : m.end()]:
                self.set_zone(zone, zone.key)
                self.claim(m.start(), m.end(), "zone")

        def offset(m: re.Match[str]):
            if m[1] == "z" and not m[2]:
                return False
            try:
                self.set_zone(*zones.fixed_offset_zone(m[1], m[2], m[3], m[4]))
            except ValueError:
                raise ParseError(hints.bad_zone(m.group(0))) from None

        self.scan(zones.OFFSET_RE, "zone", offset)

    def zone_abbreviations(self) -> None:
        """Abbreviations in capitals anywhere, in lower case only right after a time ("3pm pst")."""
        for m in list(zones.ABBREVIATION_RE.finditer(self.work)):
            word = self.text[m.start() : m.end()]
            if not (word.isupper() or self.kind_before(m.start()) == "time"):
                continue
            self.set_zone(zones.zone_for_abbreviation(word), zones.zone_for_abbreviation(word).key)
            self.claim(m.start(), m.end(), "zone")

        def region(m: re.Match[str]):
            if not (m.group(0).endswith(" time") or self.kind_before(m.start()) == "time"):
                return False
            zone = zones.zone_for_region(m[1])
            self.set_zone(zone, zone.key)

        self.scan(zones.REGION_RE, "zone", region)

    def clocks(self) -> None:
        at = r"(?:(?:at|@|around|by)\s*)?"
        with_meridiem = re.compile(rf"(?<![\w:.]){at}(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({MERIDIEM})")
        self.scan(with_meridiem, "time", lambda m: self.set_clock(_clock(m.group(0))))
        hh_mm = re.compile(rf"(?<![\w:./]){at}(\d{{1,2}}):(\d{{2}})(?![\d:])(?:\s*h(?:rs)?(?![a-z]))?")
        self.scan(hh_mm, "time", lambda m: self.set_clock(_clock(m.group(0))))
        words = re.compile(rf"(?<![\w]){at}(noon|midday|midnight|end\s+of\s+(?:the\s+)?day|eod)(?![\w])")
        self.scan(words, "time", lambda m: self.set_clock(_clock(m[1])))
        oclock = re.compile(rf"(?<![\w]){at}(\d{{1,2}})\s*o['’]?\s*clock(?![\w])")
        self.scan(oclock, "time", lambda m: self.set_clock(Clock(int(m[1]))))
        bare_at = re.compile(
            r"(?<![\w])(?:at|@)\s*(\d{1,2})(?![\d:./])(?!\s*(?:%|st|nd|rd|th|h|hours?|hrs?|m|mins?|minutes?|people|ppl|pm|am)(?![a-z]))"
        )
        self.scan(bare_at, "time", lambda m: self.set_clock(Clock(int(m[1]), twenty_four=m[1].startswith("0"))))
        military = re.compile(r"(?<![\w])(?:at|@)\s*([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs|hours))?(?![\w])")
        self.scan(military, "time", lambda m: self.set_clock(Clock(int(m[1]), int(m[2]), twenty_four=True)))

    def dates(self) -> None:
        words = re.compile(
            r"(?<![\w])(?:(?:the\s+)?(day\s+after\s+tomorrow|day\s+after\s+tmrw)|(today|tonight|tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow|2moro|yesterday))(?![\w])"
        )

        def handle_words(m: re.Match[str]):
            word = m[1] or m[2]
            offsets = {"today": 0, "tonight": 0, "yesterday": -1}
            self.add_days(2 if m[1] else offsets.get(word, 1))
            if word == "tonight":
                self.parts.day_part = "tonight"

        self.scan(words, "date", handle_words)
        next_week_day = re.compile(
            rf"(?<![\w])(?:next\s+week(?:'s)?\s+(?:on\s+)?({WD})|({WD})\s+(?:of\s+)?next\s+week|(next\s+week))(?![\w])"
        )

        def handle_next_week(m: re.Match[str]):
            day = m[1] or m[2]
            self.set_date(DateSpec("weekday", weekday=WEEKDAYS[day.rstrip(".")] if day else 0, weekday_mode="next_week"))

        self.scan(next_week_day, "date", handle_next_week)
        weekday = re.compile(rf"(?<![\w])(?:(next|this|coming|this\s+coming|last|past|previous)\s+)?({WD})(?![\w])")

        def handle_weekday(m: re.Match[str]):
            mode = {"next": "next", "last": "last", "past": "last", "previous": "last"}.get(m[1] or "", "plain")
            self.set_date(DateSpec("weekday", weekday=WEEKDAYS[m[2].rstrip(".")], weekday_mode=mode))

        self.scan(weekday, "date", handle_weekday)
        month_day = re.compile(
            rf"(?<![\w])(?:({MON})\s+(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}?(?![\d:.])(?!\s*{MERIDIEM})|(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}?\s+(?:of\s+)?({MON}))(?:,?\s+(\d{{4}}))?(?![\w])"
        )

        def handle_month_day(m: re.Match[str]):
            month = MONTHS[(m[1] or m[4]).rstrip(".")]
            year = int(m[5]) if m[5] else None
            self.set_date(DateSpec("ymd" if year else "monthday", year=year, month=month, day=int(m[2] or m[3])))

        self.scan(month_day, "date", handle_month_day)
        numeric = re.compile(r"(?<![\w/.:-])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\w/])")

        def handle_numeric(m: re.Match[str]):
            first, second = int(m[1]), int(m[2])
            month, day = (second, first) if first > 12 else (first, second)
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0) if m[3] else None
            self.set_date(DateSpec("ymd" if year else "monthday", year=year, month=month, day=day))

        self.scan(numeric, "date", handle_numeric)
        ordinal = re.compile(rf"(?<![\w])(?:on\s+(?:the\s+)?|the\s+)(\d{{1,2}}){ORD_SUFFIX}(?:\s+of\s+(?:the|this)\s+month)?(?![\w])")
        self.scan(ordinal, "date", lambda m: self.set_date(DateSpec("dom", day=int(m[1]))))

    def after_date_words(self) -> None:
        """A bare hour or a day part right after a day: "friday 10", "tomorrow morning"."""
        pattern = re.compile(
            r"(?<=[\x00 ])(?:at\s+|@\s*)?(?:([01]\d|2[0-3])([0-5]\d)(?![\w])|(\d{1,2})(?![\d:./])(?!\s*(?:%|st|nd|rd|th|h|hours?|hrs?|m|mins?|minutes?|people|ppl)(?![a-z]))|(?:in\s+the\s+)?(morning|afternoon|evening))(?![\w])"
        )

        def handle(m: re.Match[str]):
            if self.kind_before(m.start()) != "date":
                return False
            if m[1] or m[3]:
                if self.parts.clock is not None:
                    return False
                if m[1]:
                    self.set_clock(Clock(int(m[1]), int(m[2]), twenty_four=True))
                else:
                    self.set_clock(Clock(int(m[3]), twenty_four=m[3].startswith("0")))
            else:
                self.parts.day_part = m[4]

        self.scan(pattern, "time", handle)

    def day_parts(self) -> None:
        pattern = re.compile(r"(?<![\w])(?:(?:in\s+the|this)\s+(morning|afternoon|evening)|at\s+(night))(?![\w])")
        self.scan(pattern, "time", lambda m: setattr(self.parts, "day_part", m[1] or "tonight"))

    # -- the title -----------------------------------------------------------------------------------

    def title(self) -> str | None:
        """What nobody claimed, minus connector words that only glued it to a claimed phrase."""
        segments: list[str] = []
        current: list[str] = []
        for ch_original, ch_work in zip(self.text, self.work):
            if ch_work == NUL:
                if current:
                    segments.append("".join(current))
                    current = []
                segments.append(NUL)
            else:
                current.append(ch_original)
        if current:
            segments.append("".join(current))
        pieces: list[str] = []
        for i, segment in enumerate(segments):
            if segment == NUL:
                continue
            words = segment.split()
            if i + 1 < len(segments):  # a claimed span follows: drop trailing glue ("on", "at", ",")
                while words and words[-1].lower().strip(",") in CONNECTORS | {""}:
                    words.pop()
            if i > 0:  # a claimed span precedes: drop leading glue
                while words and words[0].lower().strip(",") in CONNECTORS | {""}:
                    words.pop(0)
            if words:
                pieces.append(" ".join(words))
        self.title_pieces = pieces
        title = re.sub(r"\(\s*\)|\[\s*\]", " ", " ".join(pieces))
        title = " ".join(title.split()).strip(" ,;:-–—|")
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'“”":
            title = title[1:-1].strip()
        return title or None


def _clock(text: str) -> Clock:
    """A Clock from one TIME_ATOM-like string, e.g. `at 3:30 pm`, `15:00`, `noon`."""
    text = re.sub(r"^(?:at|@|around|by)\s*", "", text.strip())
    if text in ("noon", "midday"):
        return Clock(12, 0, "pm")
    if text == "midnight":
        return Clock(0, 0, twenty_four=True)
    if text in ("eod",) or text.startswith("end"):
        return Clock(17, 0, twenty_four=True)
    m = re.match(rf"(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({MERIDIEM})?", text)
    assert m is not None
    meridiem = m[3][0] + "m" if m[3] else None
    hour = int(m[1])
    return Clock(hour, int(m[2] or 0), meridiem, twenty_four=bool(m[2]) and (hour > 12 or m[1].startswith("0")))


def _date_only(text: str) -> DateSpec:
    """A DateSpec from a DATE_EXPR match (used for UNTIL)."""
    scanner = Scanner(text)
    scanner.iso_datetimes()
    scanner.dates()
    if scanner.parts.date is None:  # pragma: no cover - DATE_EXPR and dates() agree
        raise ParseError(hints.nothing_found(text))
    return scanner.parts.date


def _reject_impossible_clock(work: str) -> None:
    """`13pm`, `0am`, `25:00`, `10:75`: say so instead of silently reading something else."""
    for m in re.finditer(rf"(?<![\w:.])(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({MERIDIEM})", work):
        if not 1 <= int(m[1]) <= 12 or (m[2] and int(m[2]) > 59):
            raise ParseError(hints.bad_clock(m.group(0).strip()))
    for m in re.finditer(r"(?<![\w:./-])(\d{1,2}):(\d{2})(?![\d:])", work):
        if int(m[1]) > 24 or int(m[2]) > 59 or (int(m[1]) == 24 and int(m[2]) > 0):
            raise ParseError(hints.bad_clock(m.group(0)))
