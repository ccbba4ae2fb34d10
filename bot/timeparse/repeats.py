"""Recognising repeat rules ("every other thursday", "monthly on the 15th", "first monday of the month").

Runs before the weekday and date recognisers, so "every monday" is a rule rather than a date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.parts import RecurrenceSpec
from bot.timeparse.patterns import DAY_LIST, LIST_SEP, NUM_WORD, ORD_SUFFIX, WD, WD_PLURAL, is_time_word, to_int
from bot.timeparse.vocab import ORDINAL_WORDS, WEEKDAYS

if TYPE_CHECKING:
    from bot.timeparse.scanner import Scanner


def scan_recurrence(scanner: Scanner) -> RecurrenceSpec | None:
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
        return to_int(n) if n else 1

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
        if not m[2] and not m[3] and next_word and not is_time_word(next_word.group(0)):
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
