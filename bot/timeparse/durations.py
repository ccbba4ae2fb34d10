"""Durations people type: `45m`, `1h30`, `1.5 hours`, `an hour`, `half an hour`, `1 hour 15 minutes`.

dateparser reads these as clock times (`1h30` → 01:30) or start times (`45 minutes` → now + 45 min), so
they are pulled out of the text before any date parsing. Pure functions, no I/O.
"""

from __future__ import annotations

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.claims import Claims
from bot.timeparse.vocab import NUMBER_WORDS

_NUM_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True))
AMOUNT = rf"(?:\d+(?:\.\d+)?|{_NUM_WORDS})"
HOUR_UNIT = r"(?:hours?|hrs?|h)"
MINUTE_UNIT = r"(?:minutes?|mins?|m)"
DAY_UNIT = r"(?:days?)"

# One duration expression, without any "for"/"in" in front. Longest forms first.
DURATION_EXPR = (
    r"(?:"
    rf"(?:{AMOUNT}|an?)\s*(?:days?|d)\s*,?\s*(?:and\s+)?(?:{AMOUNT}\s*|an?\s+){HOUR_UNIT}"  # 1 day 2 hours, 1d 2h
    rf"(?:\s*,?\s*(?:and\s+)?\d{{1,2}}\s*{MINUTE_UNIT})?(?![\w:])"
    rf"|(?:{AMOUNT}\s*|an?\s+){HOUR_UNIT}\s*(?:and\s+)?\d{{1,2}}\s*{MINUTE_UNIT}?(?![\w:])"  # 1h30, an hour 15 minutes
    rf"|(?:an?|{AMOUNT})\s+(?:hours?|hrs?)\s+and\s+a\s+(?:half|quarter)"
    rf"|{AMOUNT}\s+and\s+an?\s+half\s+{HOUR_UNIT}"
    r"|(?:a\s+)?half\s+(?:an?\s+)?hour"
    r"|(?:a\s+)?quarter\s+(?:of\s+)?an?\s+hour"
    r"|(?:3|three)[\s-]quarters?\s+(?:of\s+)?an?\s+hour"
    r"|an?\s+(?:day|week)"
    r"|an?\s+(?:hour|hr)"
    r"|an?\s+(?:minute|min)(?![\w])"
    rf"|{AMOUNT}\s*-?\s*{HOUR_UNIT}(?![\w:])"
    rf"|{AMOUNT}\s*-?\s*{MINUTE_UNIT}(?![\w:])"
    rf"|{AMOUNT}\s*-?\s*{DAY_UNIT}(?![\w:])"
    r")"
)

_PART = re.compile(
    rf"(?P<amount>{AMOUNT})\s*-?\s*(?P<unit>{HOUR_UNIT}|{MINUTE_UNIT}|{DAY_UNIT})(?![a-z])"
    rf"|(?P<trailing_minutes>(?<=[a-z\s])\d{{1,2}})$"
)


def _amount(word: str) -> float:
    return float(word) if word[0].isdigit() else float(NUMBER_WORDS[word])


def duration_minutes(expr: str) -> float:
    """Minutes in one `DURATION_EXPR` match (lower-case). `1h30` is 90, `half an hour` 30."""
    expr = expr.strip()
    match = re.fullmatch(rf"(an?|{AMOUNT})\s*(?:days?|d)\s*,?\s*(?:and\s+)?(.*\d.*|an?\s+.+)", expr)
    if match and re.search(HOUR_UNIT, match.group(2)):  # "1 day 2 hours": the days, then the rest as usual
        days = 1.0 if match.group(1) in ("a", "an") else _amount(match.group(1))
        return days * 24 * 60 + duration_minutes(re.sub(r",?\s*and\s+|,\s*", " ", match.group(2)))
    match = re.fullmatch(rf"(an?|{AMOUNT})\s+(?:hours?|hrs?)\s+and\s+a\s+(half|quarter)", expr)
    if match:  # "an hour and a half", "2 hours and a quarter"
        hours = 1.0 if match.group(1) in ("a", "an") else _amount(match.group(1))
        return hours * 60 + (30 if match.group(2) == "half" else 15)
    match = re.fullmatch(rf"({AMOUNT})\s+and\s+an?\s+half\s+{HOUR_UNIT}", expr)
    if match:
        return (_amount(match.group(1)) + 0.5) * 60
    if re.fullmatch(r"(?:a\s+)?half\s+(?:an?\s+)?hour", expr):
        return 30.0
    if re.fullmatch(r"(?:a\s+)?quarter\s+(?:of\s+)?an?\s+hour", expr):
        return 15.0
    if re.fullmatch(r"(?:3|three)[\s-]quarters?\s+(?:of\s+)?an?\s+hour", expr):
        return 45.0
    if re.fullmatch(r"an?\s+(?:day|week)", expr):
        return 7 * 24 * 60.0 if expr.endswith("week") else 24 * 60.0
    if re.fullmatch(r"an?\s+(?:hour|hr)", expr):
        return 60.0
    if re.fullmatch(r"an?\s+(?:minute|min)", expr):
        return 1.0
    expr = re.sub(r"^an?\s+(?=h)", "1 ", expr)  # "an hour and 15 minutes"
    total = 0.0
    for part in _PART.finditer(expr):
        if part.group("trailing_minutes"):
            total += float(part.group("trailing_minutes"))
            continue
        amount = _amount(part.group("amount"))
        unit = part.group("unit")
        if unit.startswith("h"):
            total += amount * 60
        elif unit.startswith("d"):
            total += amount * 24 * 60
        else:
            total += amount
    return total


def scan_durations(scan: Claims) -> None:
    """`for 45m`, `1h30`, `lasting an hour`, `(90 min)`, and `for 45` (a bare number after *for* is minutes)."""
    pattern = re.compile(
        rf"(?<![\w.:])(?:(for|lasting|duration(?:\s+of)?|length)\s+(?:about\s+|around\s+|approx(?:imately|\.)?\s+)?)?"
        rf"(-\s*)?({DURATION_EXPR})(?:\s+long)?(?![\w])"
    )

    def handle(m: re.Match[str]):
        if not m[1] and not re.search(r"\d|hour|hr", m[3]):
            return False
        if not m[1] and re.fullmatch(r"\d+(?:\.\d+)?M", scan.original(m.start(3), m.end(3)).replace(" ", "")):
            return False  # "Call with 3M", "$2.5M budget": a name or millions, not minutes
        if not m[1] and "day" in m[3]:
            return False  # "90 day review": a meeting is not days long; a title
        if re.search(r"[$€£¥]\s*$", scan.work[: m.start()]):
            return False  # "$2.5m": money
        if not m[1] and re.match(r"(?:[01]\d|2[0-3])[0-5]\d\s*h", m[3]):
            return False  # "1400 hrs" is military time
        spread = re.search(r"(?<![\w:.])\d+(?:\.\d+)?\s*(?:-|–|to|or)\s*$", scan.work[: m.start()])
        if spread:  # "2-3 hours", "30 or 45 minutes": which one?
            raise ParseError(hints.unclear_word(scan.original(spread.start(), m.end()).strip()))
        # "for -5m", "now - 15m" are negative; "fri 2pm - 1h" (spaced, after something else) is a separator
        negative = m[2] and (m[2] == "-" or m[1] or re.search(r"now\s*$", scan.text.work[: m.start()]))
        record(scan, -duration_minutes(m[3]) if negative else duration_minutes(m[3]), m.group(0).strip())

    scan.scan(pattern, "duration", handle)
    bare = re.compile(r"(?<![\w])for\s+(\d{1,3})(?![\w:./])(?!\s*(?:people|ppl|persons?|of|x|%|times)(?![a-z]))")

    def handle_bare(m: re.Match[str]):
        if int(m[1]) < 5:
            if re.match(r"\s*[a-z]", scan.work[m.end() :]):
                return False  # "Lunch for 4 friday", "Onboarding for 2 new hires": people, not time
            raise ParseError(hints.which_unit(m.group(0)))
        record(scan, float(m[1]), m.group(0))

    scan.scan(bare, "duration", handle_bare)
    hours_minutes = re.compile(r"(?<![\w])for\s+([0-4]):([0-5]\d)(?:\s*h(?:rs?|ours?)?)?(?![\w:])(?!\s*(?:[ap]\.?m))")
    scan.scan(hours_minutes, "duration", lambda m: record(scan, int(m[1]) * 60 + int(m[2]), m.group(0)))  # "for 1:30"


def record(scan: Claims, minutes: float, typed: str) -> None:
    if scan.parts.duration_minutes is not None:
        raise ParseError(hints.two_durations())
    scan.parts.duration_minutes = minutes
    scan.parts.duration_text = typed
