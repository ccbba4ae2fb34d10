"""Recognisers for times of day: `3pm`, `15:00`, `14h30`, `at 0930`, `quarter past 4`, `7 tonight`, `2-3:30pm`.

Each function is one pass over the working copy (see `claims`); `recognise.PASSES` runs them in order.
"""

from __future__ import annotations

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.claims import Claims, check_clock
from bot.timeparse.parts import Clock
from bot.timeparse.patterns import AT, DAY_WORD_BEFORE, MERIDIEM, MON, NOT_A_CLOCK_AFTER, TIME_ATOM, WD
from bot.timeparse.vocab import MONTHS

_DAY_PART = r"(?:tonight|(?:this|in\s+the)\s+(?:morning|afternoon|evening)|at\s+night)"
# Words that take a number ("sprint 3-4", "chapters 1-2"): a bare range right after one is part of the title.
_NUMBERED_BEFORE = re.compile(
    r"(?<![\w])(?:sprints?|weeks?|wks?|q|phases?|steps?|parts?|chapters?|ch|levels?|rounds?|rooms?|iterations?|milestones?|"
    r"releases?|versions?|ver|v|pages?|pp|items?|grades?|days?|rows?|sections?|tickets?|issues?|prs?|#|no\.?|nos\.?|"
    r"tables?|teams?|groups?|units?|lessons?|modules?|slides?|episodes?|seasons?|books?|volumes?|vol|"
    r"top|bottom|best|worst|over|under|than|per|vs|x)\s*$"
)
# A time typed somewhere else in the text (then a bare "3-4" is not the meeting's time).
_ANOTHER_TIME = re.compile(rf"\d\s*{MERIDIEM}|\d[:.h]\d\d|(?<![\w])(?:noon|midnight|now|asap|in\s+\d)(?![\w])|(?:at|@)\s*\d|\d\s*o'?clock")
_LABELS = frozenset("pr # no no. number room rm ticket issue bug ext version v build order invoice case id flight bus".split())


def parse_clock(text: str) -> Clock:
    """A Clock from one TIME_ATOM-like string: `at 3:30 pm`, `15:00`, `noon`, `9h15`, `1400`, `3 o'clock pm`."""
    text = re.sub(r"^(?:at|@|around|about|approx(?:\.|imately)?|roughly|circa|by|\s)+", "", text.strip())
    if text in ("noon", "midday", "mid day"):
        return Clock(12, 0, "pm")
    if text == "midnight":
        return Clock(0, 0, twenty_four=True)
    if text == "eod" or text.startswith("end"):
        return Clock(17, 0, twenty_four=True)
    four = re.fullmatch(r"([01]\d|2[0-4])([0-5]\d)\s*(?:h|hrs|hours)?", text)
    if four:
        return Clock(int(four[1]), int(four[2]), twenty_four=True)
    m = re.match(rf"(\d{{1,2}})(?:\s*([:.h]|\s)\s*(\d{{2}}))?(?::\d{{2}})?(h)?(?:\s*o'clock)?\s*({MERIDIEM})?", text)
    assert m is not None
    meridiem = m[5][0] + "m" if m[5] else None
    hour, minute = int(m[1]), int(m[3] or 0)
    h_form = m[2] == "h" or bool(m[4])
    twenty_four = meridiem is None and (h_form or (bool(m[3]) and m[2] in ":." and (hour > 12 or m[1].startswith("0"))))
    return Clock(hour, minute, meridiem, twenty_four=twenty_four or (hour == 0 and meridiem is None))


def spaced_minutes(scan: Claims) -> None:
    """`ten fifteen am` (→ `10 15 am`), `at 4 30`, `at three thirty`: hour and minutes with a space between."""
    pattern = re.compile(
        rf"(?<![\w:./]){AT}(1[0-2]|0?[1-9])\s+([0-5]\d)(?:\s*({MERIDIEM})|(?![\w:.])(?!\s*{NOT_A_CLOCK_AFTER}))"
    )

    def handle(m: re.Match[str]):
        previous = scan.work[: m.start()].rstrip(" ,").rsplit(" ", 1)[-1]
        prefixed = bool(re.match(r"at|@|around|about", m.group(0)))
        if previous in MONTHS or previous.rstrip(".") in MONTHS or not (prefixed or m[3]):
            return False
        scan.set_clock(Clock(int(m[1]), int(m[2]), m[3][0] + "m" if m[3] else None))

    scan.scan(pattern, "time", handle)


def reject_impossible(scan: Claims) -> None:
    """`13pm`, `0am`, `25:00`, `10:75`: say so instead of silently reading something else."""
    for m in re.finditer(rf"(?<![\w:.])(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({MERIDIEM})", scan.work):
        if not 1 <= int(m[1]) <= 12 or (m[2] and int(m[2]) > 59):
            raise ParseError(hints.bad_clock(scan.original(m.start(), m.end()).strip()))
    for m in re.finditer(r"(?<![\w:./-])(\d{1,2}):(\d{2})(?![\d:])", scan.work):
        if int(m[1]) > 24 or int(m[2]) > 59 or (int(m[1]) == 24 and int(m[2]) > 0):
            raise ParseError(hints.bad_clock(m.group(0)))


def arithmetic(scan: Claims) -> None:
    """`quarter past 4`, `half past 9`, `ten to 5pm`, `20 minutes past noon`, `5 mins before 3pm`, `quarter of 10`."""
    target = r"(?:\d{1,2}h(?:\d{2})?|\d{1,2}(?:[:.]\d{2})?(?:\s*" + MERIDIEM + r")?|noon|midday|midnight)"
    pattern = re.compile(
        rf"(?<![\w:.]){AT}(?:(a\s+)?(quarter|half)|(\d{{1,2}})(\s*(?:minutes?|mins?|m))?)\s+"
        rf"(past|after|to|before|till|til|of|from)\s+(?:around\s+)?({target})(?![\w:])"
    )

    def handle(m: re.Match[str]):
        amount = {"quarter": 15, "half": 30}[m[2]] if m[2] else int(m[3])
        before = m[5] in ("to", "before", "till", "til", "of")
        if m[5] == "from" and not m[4]:
            return False  # "from 10 to noon" is a range; "15 minutes from 1pm" is 1:15pm
        if (m[2] == "half" and before) or (m[5] == "of" and m[2] != "quarter"):
            return False
        if m[3] and not m[4] and re.search(rf"(?<![\w]){MON}\s*$|(?<![\w])(?:the|on)\s*$", scan.work[: m.start()]):
            return False  # "Mar 11 after 9", "the 11 after 9": a day of the month, then a time
        if not 1 <= amount <= 59:
            raise ParseError(hints.unclear_word(m.group(0).strip()))
        target_is_marked = bool(re.search(rf"noon|midnight|midday|{MERIDIEM}", m[6]))
        if m[3] and not m[4] and m[5] in ("till", "til", "to") and amount <= (12 if target_is_marked else 24):
            if not scan.original(m.start(3), m.end(3))[:1].isalpha():
                return False  # "10 to 12" is a range; "ten to twelve" (typed as words) and "25 to 7" are 11:50, 6:35
        clock = parse_clock(m[6])
        clock.offset = -amount if before else amount
        scan.set_clock(clock)

    scan.scan(pattern, "time", handle)


def half_hour(scan: Claims) -> None:
    """British `half three` (3:30), `half 9 tomorrow`; not `half an hour`."""
    pattern = re.compile(rf"(?<![\w])(?:at\s+)?half\s+(1[0-2]|[1-9])(?![\w:.])(?!\s*(?:{MERIDIEM}|hours?|hrs?|h|days?|past))")
    scan.scan(pattern, "time", lambda m: scan.set_clock(Clock(int(m[1]), 30)))


def hour_with_day_part(scan: Claims) -> None:
    """`7 tonight`, `6 this evening`, `10 in the morning`, `3 o'clock in the afternoon`: the part picks am/pm."""
    pattern = re.compile(
        rf"(?<![\w:.]){AT}(\d{{1,2}})(?:[:.](\d{{2}}))?(?:\s*o'clock)?(?:\s*({MERIDIEM}))?\s+({_DAY_PART})(?![\w])"
    )

    def handle(m: re.Match[str]):
        part = re.sub(r"^(?:this|in\s+the|at)\s+", "", m[4])
        scan.set_clock(Clock(int(m[1]), int(m[2] or 0), m[3][0] + "m" if m[3] else None))
        scan.parts.day_part = part
        if part == "tonight" or m[4].startswith("this"):  # today's: a time already past is asked about, not moved
            scan.add_days(0)

    scan.scan(pattern, "time", handle)


def ranges(scan: Claims) -> None:
    """`2-3pm`, `9:15-10am`, `from 10 to noon`, `between 2 and 3:30pm`, `9h15 - 10h45`, `1400-1530`."""
    pattern = re.compile(
        rf"(?<![\w:./-])(?:(from|between)\s+)?{AT}({TIME_ATOM})\s*(?:-|–|—|to|until|till|til|and|through|thru)\s*"
        rf"{AT}({TIME_ATOM})(?![\w:])"
    )

    def handle(m: re.Match[str]):
        joiner = m.group(0)[len(m[1] or "") :]
        if re.search(r"\s[-+]\d{4}$", m.group(0)):
            return False  # "15:00:00 -0500" is a time and its UTC offset
        if re.fullmatch(r"\d{1,2}h", m[3].strip()) and "h" not in m[2]:
            return False  # "2pm - 1h": an hour's duration after a time, not a range to 01:00
        a, b = parse_clock(m[2]), parse_clock(m[3])
        marked = any(re.search(r"[:.apnh]|^\d{4}$", s) for s in (m[2], m[3]))
        if " and " in joiner and m[1] != "between":
            return False
        day_after = re.match(
            rf"\s*(?:on\s+)?(?:(?:today|tomorrow|{WD})(?:\s+(?:morning|afternoon|evening|night))?|tonight|at\s+night"
            rf"|(?:in\s+the|this)\s+(?:morning|afternoon|evening))(?![\w])",
            scan.work[m.end() :],
        )
        if re.match(rf"\s*{NOT_A_CLOCK_AFTER}", scan.work[m.end() :]) and not re.search(r"[:.apnh]", m[3]):
            return False  # "from 2 to 3 weeks", "3 to 4 people": not times
        worded = re.search(r"\s(?:to|until|till|til|through|thru)\s", joiner)
        if not (marked or m[1] or day_after or worded or DAY_WORD_BEFORE.search(scan.work[: m.start()])):
            elsewhere = scan.work[: m.start()] + " " + scan.work[m.end() :]
            twenty_four = max(a.hour, b.hour) > 12  # "lunch 12-13": 24-hour hours, both ends
            if (_ANOTHER_TIME.search(elsewhere) or _NUMBERED_BEFORE.search(scan.work[: m.start()])
                    or not (1 <= a.hour <= 23 and 1 <= b.hour <= 23) or a.minute or b.minute
                    or (twenty_four and a.hour >= b.hour)):
                return False  # "sprint 3-4 retro at 2pm": the range is not the time; "1-2" next to another time stays text
            # "sync 10-11", "12-1 lunch": the only time in the text, read with the bare-hour rule below
            if twenty_four:
                a.twenty_four = b.twenty_four = True
        part = re.search(r"night|tonight|morning|afternoon|evening", day_after.group(0)) if day_after else None
        if part:  # "9-11 in the morning", "7-9 tonight": the part of the day picks am/pm for both ends
            for clock in (a, b):
                if clock.meridiem is None and not clock.twenty_four and 1 <= clock.hour <= 12:
                    clock.meridiem = "am" if part.group(0) == "morning" else "pm"
        if a.meridiem is None and b.meridiem is not None and not a.twenty_four and a.hour <= 12:
            a.meridiem = b.meridiem
            if a.hour24() > b.hour24():
                a.meridiem = "am" if b.meridiem == "pm" else "pm"
        elif b.meridiem is None and not b.twenty_four and a.meridiem is not None and b.hour <= 12:
            b.meridiem = a.meridiem
            if b.minutes_of_day() <= a.minutes_of_day():  # "3pm to 3:30" is 3:30pm; "11am-1" is 1pm
                b.meridiem = "pm" if a.meridiem == "am" else "am"
        elif a.meridiem is None and b.meridiem is None and not a.twenty_four and not b.twenty_four:
            if a.minutes_of_day() >= b.minutes_of_day():  # "7-8": the bare-hour rule would make it 7pm to 8am
                raise ParseError(hints.which_half(f"{a.spoken()}–{b.spoken()}am", f"{a.spoken()}–{b.spoken()}pm"))
        scan.set_clock(a)
        check_clock(b)
        scan.parts.end_clock = b

    scan.scan(pattern, "time", handle)


def compact_hours(scan: Claims) -> None:
    """`14h`, `14h30`, `15h00`, `9h15`: a clock when it can only be one; `1h30`, `2h` stay durations."""
    pattern = re.compile(rf"(?<![\w:.]){AT}(\d{{1,2}})h(\d{{2}})?(?![\w:])")

    def handle(m: re.Match[str]):
        before = scan.work[: m.start()].rstrip().rsplit(" ", 1)[-1]
        if before in ("for", "lasting", "in", "within", "+", "plus") or scan.kind_before(m.start()) == "time":
            return False
        hour, minutes, prefixed = int(m[1]), m[2], m.group(0)[0] in "a@"
        if hour > 24 or (minutes and int(minutes) > 59):
            return False
        if prefixed or hour >= 13 or m[1].startswith("0") or minutes == "00":
            return scan.set_clock(Clock(hour, int(minutes or 0), twenty_four=True))
        zone_next = re.match(r"\s*(?:(utc|gmt)|[a-z]{2,4}t)(?![\w])", scan.work[m.end() :])
        if zone_next and (zone_next[1] or len(zone_next.group(0).strip()) >= 3):
            return scan.set_clock(Clock(hour, int(minutes or 0), twenty_four=True))
        if minutes and (hour >= 7 or int(minutes) % 5) and not re.search(rf"\d\s*{MERIDIEM}|\d:\d\d|noon|midnight", scan.work):
            return scan.set_clock(Clock(hour, int(minutes), twenty_four=True))
        return False

    scan.scan(pattern, "time", handle)


def clocks(scan: Claims) -> None:
    """Single times: `3pm`, `3:30 p.m.`, `15:30`, `noon`, `3 o'clock`, `at 3`, `at 0930`, `at 4 30`, `around 4`."""
    with_meridiem = re.compile(rf"(?<![\w:.]){AT}(\d{{1,2}})(?:[:.](\d{{2}}))?(?::\d{{2}})?\s*({MERIDIEM})")
    scan.scan(with_meridiem, "time", lambda m: scan.set_clock(parse_clock(m.group(0))))
    oclock = re.compile(rf"(?<![\w]){AT}(\d{{1,2}})\s*o'clock(?:\s*({MERIDIEM}))?(?![\w])")
    scan.scan(oclock, "time", lambda m: scan.set_clock(parse_clock(m.group(0))))
    hh_mm = re.compile(rf"(?<![\w:./]){AT}(\d{{1,2}}):(\d{{2}})(?::\d{{2}}(?:\.\d+)?)?(?![\d:])(?:\s*h(?:rs)?(?![a-z]))?")
    scan.scan(hh_mm, "time", lambda m: scan.set_clock(parse_clock(m.group(0))))
    dotted = re.compile(r"(?<![\w])(?:at|@|around|about)\s*(\d{1,2})\.([0-5]\d)(?![\w:.])")
    scan.scan(dotted, "time", lambda m: scan.set_clock(Clock(int(m[1]), int(m[2]))))
    dotted_24 = re.compile(rf"(?<![\w.:/$€£-])([01]?\d|2[0-3])\.([0-5]\d)(?![\w:.])(?!\s*{NOT_A_CLOCK_AFTER})")

    def handle_dotted_24(m: re.Match[str]):
        if int(m[2]) <= 12 or re.search(r"\d\s*\.\s*$", scan.work[: m.start()]):
            return False  # "10.12" and "20.11" may be dates (day.month); "26. 10.21" is one
        scan.set_clock(Clock(int(m[1]), int(m[2]), twenty_four=int(m[1]) > 12 or m[1][0] == "0"))

    scan.scan(dotted_24, "time", handle_dotted_24)
    words = re.compile(rf"(?<![\w]){AT}(?:12\s+)?(noon|midday|mid\s+day|midnight|end\s+of\s+(?:the\s+)?day|eod)(?![\w])")
    def handle_words(m: re.Match[str]):
        scan.set_clock(parse_clock(m[1]))
        scan.parts.midnight_word = m[1] == "midnight"

    scan.scan(words, "time", handle_words)
    military = re.compile(
        r"(?<![\w])(?:(?:at|@|around|about|by|from)\s*([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs|hours))?"
        r"|([01]\d|2[0-3])([0-5]\d)\s*(?:h|hrs|hours))(?![\w])"
    )
    scan.scan(military, "time", lambda m: scan.set_clock(Clock(int(m[1] or m[3]), int(m[2] or m[4]), twenty_four=True)))
    three_digits = re.compile(
        rf"(?<![\w])(?:(?:at|@|around|about)(?:\s+(?:around|about))?\s*([1-9])([0-5]\d)(?![\w:.])(?!\s*(?:people|ppl|%))"
        rf"|([1-9])([0-5]\d)\s*({MERIDIEM}))"
    )

    def handle_three(m: re.Match[str]):
        meridiem = m[5][0] + "m" if m[5] else None
        scan.set_clock(Clock(int(m[1] or m[3]), int(m[2] or m[4]), meridiem))

    scan.scan(three_digits, "time", handle_three)
    bare = re.compile(rf"(?<![\w])(?:at|@|around|about|approx(?:imately|\.)?|roughly|circa)\s*(\d{{1,2}})(?![\d:./])(?!\s*{NOT_A_CLOCK_AFTER})")
    scan.scan(bare, "time", lambda m: scan.set_clock(Clock(int(m[1]), twenty_four=m[1].startswith("0"))))
    from_hour = re.compile(r"(?<![\w])from\s+(\d{1,2})(?![\d:./])(?=\s*(?:$|\x00|,|for\b|on\b|tomorrow\b|today\b|tonight\b))")
    scan.scan(from_hour, "time", lambda m: scan.set_clock(Clock(int(m[1]), twenty_four=m[1].startswith("0"))))  # "from 3 for an hour"


def around_dates(scan: Claims) -> None:
    """A bare hour or a day part next to a day: `friday 10`, `tomorrow 1400`, `tomorrow morning`, `9 tomorrow night`."""
    after = re.compile(
        r"(?<=[\x00 ,])(?:at\s+|@\s*)?(?:([01]\d|2[0-3]|[1-9])([0-5]\d)(?![\w])|(\d{1,2})(?:(?:\s+|\.)([0-5]\d))?(?![\d:./])"
        rf"(?!\s*{NOT_A_CLOCK_AFTER})|(?:in\s+the\s+)?(morning|afternoon|evening|night))(?![\w])"
    )

    def handle_after(m: re.Match[str]):
        before = scan.kind_before(m.start())
        if before != "date" and not (before in ("daypart", "recurrence") and not m[5]) and not (before == "recurrence" and m[5]):
            return False  # ("every weekday morning 8:30": the day part belongs to the repeat)
        if m[5]:
            scan.parts.day_part = m[5]
            scan.claim(m.start(), m.end(), "daypart")  # "tomorrow evening 7": an hour may follow
            return False
        if scan.parts.clock is not None:
            return False
        if m[1]:
            return scan.set_clock(Clock(int(m[1]), int(m[2]), twenty_four=len(m[1]) == 2))
        return scan.set_clock(Clock(int(m[3]), int(m[4] or 0), twenty_four=m[3].startswith("0")))

    scan.scan(after, "time", handle_after)
    before = re.compile(r"(?<![\w:.])(?:(?:at|@)\s*)?(\d{1,2})(?:[:.](\d{2}))?(?:\s*o'clock)?(?=[\s,]*\x00)")

    def handle_before(m: re.Match[str]):
        if scan.parts.clock is not None or scan.kind_after(m.end()) != "date":
            return False
        previous = scan.work[: m.start()].rstrip(" ,").rsplit(" ", 1)[-1]
        first_word = not scan.work[: m.start()].strip(" ,\x00")
        if previous in _LABELS or not (first_word or m.group(0)[0] in "a@" or m[2] or scan.parts.day_part):
            return False
        scan.set_clock(Clock(int(m[1]), int(m[2] or 0)))

    scan.scan(before, "time", handle_before)


def lone_hour_beside_day(scan: Claims) -> None:
    """`sunday brunch 11`, `friday team lunch 12`: a day is named, no time yet, and one bare hour stands in the
    text (not a count, not after a numbered word like `sprint 11`): that hour is the time."""
    parts = scan.parts
    has_day = parts.date is not None or (parts.recurrence is not None and parts.recurrence.by_day)
    if not has_day or parts.clock is not None or parts.relative_minutes is not None or parts.instant:
        return
    pattern = re.compile(rf"(?<![\w:./#$£€-])(\d{{1,2}})(?![\w:./%-])(?!\s*{NOT_A_CLOCK_AFTER})")
    candidates = [m for m in pattern.finditer(scan.work) if 1 <= int(m[1]) <= 12
                  and not _NUMBERED_BEFORE.search(scan.work[: m.start()])]
    if len(candidates) != 1:
        return
    only = candidates[0]

    def handle(m: re.Match[str]):
        if m.start() != only.start():
            return False
        scan.set_clock(Clock(int(m[1])))

    scan.scan(pattern, "time", handle)


def day_parts(scan: Claims) -> None:
    """`this afternoon`, `in the evening`, `at night` (an hour next to them is read by `around_dates`)."""
    pattern = re.compile(r"(?<![\w])(?:(?:in\s+the|this)\s+(morning|afternoon|evening)|at\s+(night)|(?:after|post)[\s-]+(lunch))(?![\w])")

    def handle(m: re.Match[str]):
        if m[3] and scan.parts.clock is None:
            return False  # "after lunch" alone is no time; beside one ("fri after lunch at 2") it says pm
        scan.parts.day_part = "afternoon" if m[3] else m[1] or "tonight"
        if m.group(0).startswith("this") and scan.parts.date is None:  # "this afternoon at 4": today's
            scan.add_days(0)

    scan.scan(pattern, "daypart", handle)


def lone_four_digits(scan: Claims) -> None:
    """`standup 1130`: a lone 4-digit 24-hour time, when nothing else gave the time and it is not a year or an id."""
    if scan.parts.clock is not None or scan.parts.relative_minutes is not None or scan.parts.instant:
        return
    pattern = re.compile(r"(?<![\w:./#-])([01]\d|2[0-3])([0-5]\d)(?![\w:./-])")

    def handle(m: re.Match[str]):
        previous = scan.work[: m.start()].rstrip(" ,").rsplit(" ", 1)[-1]
        if previous in _LABELS or m[1] in ("19", "20") or scan.parts.clock is not None:
            return False
        scan.set_clock(Clock(int(m[1]), int(m[2]), twenty_four=True))

    scan.scan(pattern, "time", handle)
