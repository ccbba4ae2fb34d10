"""The text side of the time parser: find every time-ish phrase, claim its span, record what it means.

Each recogniser is a regex over a lower-cased working copy of the text. A claimed span is blanked with NUL
characters, which no pattern matches and which act as word boundaries, so later recognisers cannot reuse a
character and the title is simply what nobody claimed. Order matters: recurrence before weekdays ("every
monday"), relative starts before durations ("in 45 minutes"), ranges before single times ("2-3pm").
Nothing here knows the current time: `resolve` turns the recorded `Parts` into datetimes.
"""

from __future__ import annotations

from bot.timeparse import cachedre as re
from dataclasses import dataclass, field
from datetime import tzinfo

from bot.errors import ParseError
from bot import messages as hints
from bot.timeparse import durations, zones
from bot.timeparse.vocab import CONNECTORS, DAY_PARTS, MONTHS, NUMBER_WORDS, ORDINAL_WORDS, WEEKDAYS

NUL = "\x00"
WD = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
WD_PLURAL = r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
NUM_WORD = "(?:" + "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True)) + ")"
MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
LIST_SEP = r"(?:\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*|\s+or\s+)"
DAY_LIST = rf"(?:{WD_PLURAL}|{WD})(?:{LIST_SEP}(?:{WD_PLURAL}|{WD}))*"
ORD_SUFFIX = r"(?:st|nd|rd|th)"
# A date on its own, as used after "until": month-day, day-month, m/d, ISO.
DATE_EXPR = (
    rf"(?:{MON}\s+(?:the\s+)?\d{{1,2}}{ORD_SUFFIX}?(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?\d{{1,2}}{ORD_SUFFIX}?\s+(?:of\s+)?{MON}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{4}-\d{1,2}-\d{1,2})"
)
_DAY_WORD_BEFORE = re.compile(rf"(?:today|tomorrow|tonight|{WD}|at|@)\s*$")
TIME_ATOM = rf"(?:\d{{1,2}}(?:[:.]\d{{2}})?(?:\s*{MERIDIEM})?|noon|midday|midnight)"


@dataclass
class Clock:
    """A time of day as typed: `meridiem` is 'am'/'pm' or None (then `resolve` applies the bare-hour rule)."""

    hour: int
    minute: int = 0
    meridiem: str | None = None
    twenty_four: bool = False  # typed as 15:00 or 09:00 (a leading zero): no am/pm guessing

    def hour24(self, part_hint: str | None = None) -> int:
        """The 24-hour value. Bare hours: 1–7 pm, 8–11 am, 12 noon, unless the day part says otherwise."""
        if self.meridiem == "am":
            return 0 if self.hour == 12 else self.hour
        if self.meridiem == "pm":
            return 12 if self.hour == 12 else self.hour + 12
        if self.twenty_four or self.hour == 0 or self.hour > 12:
            return self.hour
        if part_hint == "am":
            return 0 if self.hour == 12 else self.hour
        if part_hint == "pm":
            return self.hour if self.hour == 12 else self.hour + 12
        return self.hour + 12 if 1 <= self.hour <= 7 else self.hour


@dataclass
class DateSpec:
    """A calendar day as typed; `kind` says which fields matter."""

    kind: str  # 'offset' | 'weekday' | 'ymd' | 'monthday' | 'dom'
    offset_days: int = 0
    offset_months: int = 0
    weekday: int = 0
    weekday_mode: str = "plain"  # plain | next | next_week | last
    year: int | None = None
    month: int = 0
    day: int = 0


@dataclass
class RecurrenceSpec:
    freq: str  # DAILY | WEEKLY | MONTHLY | YEARLY
    interval: int = 1
    by_day: list[int] = field(default_factory=list)
    by_set_pos: int | None = None  # with one by_day: the 1st…4th or last (-1) such day of the month
    by_month_day: int | None = None
    count: int | None = None
    until: DateSpec | None = None
    for_units: tuple[int, str] | None = None  # "for 4 weeks": becomes UNTIL once the start is known


@dataclass
class Parts:
    """Everything the scanner recognised, before any clock is consulted."""

    instant: bool = False
    relative_minutes: float | None = None
    date: DateSpec | None = None
    clock: Clock | None = None
    end_clock: Clock | None = None
    day_part: str | None = None
    duration_minutes: float | None = None
    duration_text: str = ""
    recurrence: RecurrenceSpec | None = None
    zone: tzinfo | None = None
    zone_name: str | None = None
    title: str | None = None
    date_text: str | None = None

    @property
    def anything(self) -> bool:
        return bool(
            self.instant
            or self.relative_minutes is not None
            or self.date
            or self.clock
            or self.day_part
            or self.recurrence
        )


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
        rec = _recurrence(self)
        if rec is None:
            return
        self.parts.recurrence = rec
        # COUNT: ", 4 times"; UNTIL: "until dec 21"; "for 4 weeks".
        count = re.compile(rf",?\s*(?:for\s+)?(\d+|{NUM_WORD})\s+(?:times|occurrences|sessions|meetings)(?![a-z])")
        self.scan(count, "recurrence", lambda m: setattr(rec, "count", _int(m[1])))
        until = re.compile(rf",?\s*(?:until|till|til|through|thru|ending(?:\s+on)?|ends(?:\s+on)?)\s+({DATE_EXPR})")
        self.scan(until, "recurrence", lambda m: setattr(rec, "until", _date_only(m[1])))
        span = re.compile(rf",?\s*for\s+(?:the\s+next\s+)?(\d+|{NUM_WORD})\s+(days|weeks|months)(?![a-z])")
        self.scan(span, "recurrence", lambda m: setattr(rec, "for_units", (_int(m[1]), m[2])))

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
            amount, unit = _int(m[1] or m[3]), (m[2] or m[4])
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
            if not (marked or m[1] or _DAY_WORD_BEFORE.search(self.work[: m.start()])):
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


def _int(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


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


def _recurrence(scanner: Scanner) -> RecurrenceSpec | None:
    """Claim the main recurrence phrase ("every other thursday", "monthly on the 15th") if there is one."""
    found: list[RecurrenceSpec] = []

    def days_of(text: str) -> list[int]:
        names = re.findall(rf"{WD_PLURAL}|{WD}", text)
        return sorted({WEEKDAYS[n.rstrip(".").removesuffix("s") if n.endswith("days") else n.rstrip(".")] for n in names})

    def add(spec: RecurrenceSpec):
        if found:
            raise ParseError(hints.two_recurrences())
        found.append(spec)

    def interval_of(other: str | None, n: str | None) -> int:
        if other:
            return 2
        return _int(n) if n else 1

    nth_weekday = re.compile(
        rf"(?<![\w])(?:every\s+|each\s+|on\s+)?(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+({WD})\s+(?:of\s+)?(?:the|every|each)\s+month(?![\w])"
    )
    scanner.scan(
        nth_weekday,
        "recurrence",
        lambda m: add(RecurrenceSpec("MONTHLY", by_day=[WEEKDAYS[m[2].rstrip(".")]], by_set_pos=ORDINAL_WORDS[m[1]])),
    )
    day_of_month = re.compile(
        rf"(?<![\w])(?:on\s+)?the\s+(\d{{1,2}}){ORD_SUFFIX}?\s+of\s+(?:every|each)\s+month(?![\w])"
    )
    scanner.scan(day_of_month, "recurrence", lambda m: add(RecurrenceSpec("MONTHLY", by_month_day=int(m[1]))))
    every_days = re.compile(
        rf"(?<![\w])(?:every|each)\s+(?:(other|second)\s+|(\d+|{NUM_WORD})(?:{ORD_SUFFIX})?\s+)?(?:weeks?\s+(?:on\s+)?)?({DAY_LIST})(?![\w])"
    )
    scanner.scan(
        every_days,
        "recurrence",
        lambda m: add(RecurrenceSpec("WEEKLY", interval=interval_of(m[1], m[2]), by_day=days_of(m[3]))),
    )
    units = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
    every_unit = re.compile(
        rf"(?<![\w])(?:every|each)\s+(?:(other)\s+|(\d+|{NUM_WORD})\s+)?(weekdays?|workdays?|business\s+days?|weekends?|days?|weeks?|months?|years?)"
        rf"(?:\s+on\s+(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}|\s+on\s+({DAY_LIST}))?(?![\w])"
    )

    def handle_unit(m: re.Match[str]):
        unit = m[3]
        if unit.startswith(("weekday", "workday", "business")):
            return add(RecurrenceSpec("WEEKLY", by_day=[0, 1, 2, 3, 4]))
        if unit.startswith("weekend"):
            return add(RecurrenceSpec("WEEKLY", interval=interval_of(m[1], m[2]), by_day=[5, 6]))
        spec = RecurrenceSpec(units[unit.rstrip("s")], interval=interval_of(m[1], m[2]))
        if m[4]:
            spec.freq, spec.by_month_day = "MONTHLY", int(m[4])
        if m[5]:
            spec.by_day = days_of(m[5])
        add(spec)

    scanner.scan(every_unit, "recurrence", handle_unit)
    adjective = re.compile(
        rf"(?<![\w])(daily|weekly|bi-?weekly|fortnightly|monthly|quarterly|yearly|annually)"
        rf"(?:\s+on\s+(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}|\s+on\s+({DAY_LIST}))?(?![\w])"
    )

    def handle_adjective(m: re.Match[str]):
        if found:
            return False
        rest = scanner.work[m.end() :].lstrip()
        next_word = re.match(r"[a-z]+", rest)
        if not m[2] and not m[3] and next_word and not _is_time_word(next_word.group(0)):
            return False  # "Weekly sync", "Daily standup": part of the title
        freq, interval = {
            "daily": ("DAILY", 1),
            "weekly": ("WEEKLY", 1),
            "biweekly": ("WEEKLY", 2),
            "bi-weekly": ("WEEKLY", 2),
            "fortnightly": ("WEEKLY", 2),
            "monthly": ("MONTHLY", 1),
            "quarterly": ("MONTHLY", 3),
            "yearly": ("YEARLY", 1),
            "annually": ("YEARLY", 1),
        }[m[1]]
        spec = RecurrenceSpec(freq, interval=interval)
        if m[2]:
            spec.freq, spec.by_month_day = "MONTHLY", int(m[2])
        if m[3]:
            spec.by_day = days_of(m[3])
        add(spec)

    scanner.scan(adjective, "recurrence", handle_adjective)
    plural = re.compile(rf"(?<![\w])(?:on\s+)?((?:{WD_PLURAL}|weekdays)(?:{LIST_SEP}(?:{WD_PLURAL}))*)(?![\w])")

    def handle_plural(m: re.Match[str]):
        if found:
            return False
        days = [0, 1, 2, 3, 4] if "weekdays" in m[1] else days_of(m[1])
        add(RecurrenceSpec("WEEKLY", by_day=days))

    scanner.scan(plural, "recurrence", handle_plural)
    return found[0] if found else None


_TIME_WORDS = frozenset(
    {"at", "on", "from", "every", "each", "starting", "beginning", "until", "till", "for", "in", "next", "this",
     "today", "tonight", "tomorrow", "noon", "midnight", "morning", "afternoon", "evening", "the"}
    | set(WEEKDAYS) | set(MONTHS) | set(DAY_PARTS)
)


def _is_time_word(word: str) -> bool:
    return word in _TIME_WORDS


def _reject_impossible_clock(work: str) -> None:
    """`13pm`, `0am`, `25:00`, `10:75`: say so instead of silently reading something else."""
    for m in re.finditer(rf"(?<![\w:.])(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({MERIDIEM})", work):
        if not 1 <= int(m[1]) <= 12 or (m[2] and int(m[2]) > 59):
            raise ParseError(hints.bad_clock(m.group(0).strip()))
    for m in re.finditer(r"(?<![\w:./-])(\d{1,2}):(\d{2})(?![\d:])", work):
        if int(m[1]) > 24 or int(m[2]) > 59 or (int(m[1]) == 24 and int(m[2]) > 0):
            raise ParseError(hints.bad_clock(m.group(0)))
