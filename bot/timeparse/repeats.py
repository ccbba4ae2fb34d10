"""Recognising repeat rules ("every other thursday", "monthly on the 15th", "first monday of the month").

Runs before the weekday and date recognisers, so "every monday" is a rule rather than a date.
"""

from __future__ import annotations

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.claims import Claims
from bot.timeparse.dates import until_date
from bot.timeparse.parts import DateSpec, RecurrenceSpec
from bot.timeparse.patterns import DATE_EXPR, DAY_LIST, LIST_SEP, MON, NUM_WORD, ORD_SUFFIX, WD, WD_PLURAL, to_int
from bot.timeparse.vocab import DAY_NAMES, MONTH_NAMES, MONTHS, ORDINAL_WORDS, WEEKDAYS

MAX_INTERVAL = 99
MAX_COUNT = 730


def recurrences(scan: Claims) -> None:
    """The repeat rule, then how it ends: `, 4 times`, `until dec 21`, `through january`, `for the next 6 weeks`."""
    rec = scan_recurrence(scan)
    if rec is None:
        return
    scan.parts.recurrence = rec
    if rec.interval > MAX_INTERVAL:
        raise ParseError(hints.too_big(f"every {rec.interval}"))

    def count(m: re.Match[str], typed: str | None = None):
        rec.count = to_int(typed or m[1])
        if not 1 <= rec.count <= MAX_COUNT:
            raise ParseError(hints.bad_count(MAX_COUNT))

    scan.scan(re.compile(rf",?\s*(?:for\s+)?(\d+|{NUM_WORD})\s+(?:times|occurrences|sessions|meetings|weeks?\s+running)(?![a-z])"), "recurrence", count)
    scan.scan(re.compile(r"(?<![\w])(?:x\s*(\d+)|(\d+)\s*x)(?![\w])"), "recurrence", lambda m: count(m, m[1] or m[2]))

    def except_days(m: re.Match[str]):
        dropped = {5, 6} if m[1].startswith("weekend") else set(days_named(m[1]))
        days = set(rec.by_day) if rec.by_day else ({0, 1, 2, 3, 4, 5, 6} if rec.freq == "DAILY" else set())
        if not days or rec.interval != 1 or not dropped <= days:
            return False
        rec.freq, rec.by_day = "WEEKLY", sorted(days - dropped)

    scan.scan(re.compile(rf",?\s*(?:except|excluding|but\s+not|not\s+on)\s+(?:on\s+)?(weekends?|{DAY_LIST})(?![\w])"), "recurrence", except_days)
    until = r",?\s*(?:until|till|til|through|thru|to|ending(?:\s+on)?|ends?(?:\s+on)?|up\s+to|by)\s+"
    scan.scan(
        re.compile(rf"{until}(?:{WD},?\s+)?({DATE_EXPR}|(?:next\s+|this\s+)?{WD}|the\s+\d{{1,2}}{ORD_SUFFIX})(?![\w])(?!\s+\d{{4}})"),
        "recurrence",
        lambda m: setattr(rec, "until", until_date(m[1])),
    )

    def month_end(m: re.Match[str]):
        if m[2]:
            rec.until = DateSpec("month_end", month=MONTHS[m[2].rstrip(".")])
        elif m[1] and "year" in m[1]:
            rec.until = DateSpec("month_end", month=12)
        else:
            rec.until = DateSpec("month_end", month=0, offset_months=1 if "next" in m.group(0) else 0)

    end_of = re.compile(
        rf"(?:{until}(?:the\s+)?end\s+of|,?\s*for\s+the\s+rest\s+of)\s+(?:the\s+)?(?:(year|month|next\s+month|this\s+month)|({MON}))(?![\w])"
    )
    scan.scan(end_of, "recurrence", month_end)
    through = re.compile(rf",?\s*(?:through|thru|throughout|through\s+the\s+end\s+of)\s+(?:the\s+month\s+of\s+)?({MON})(?![\w])(?!\s*\d)")
    scan.scan(through, "recurrence", lambda m: setattr(rec, "until", DateSpec("month_end", month=MONTHS[m[1].rstrip(".")])))

    def bare_month(m: re.Match[str]):
        name = MONTH_NAMES[MONTHS[m[1].rstrip(".")]]
        raise ParseError(hints.which_end(f"until the start of {name}", f"through the end of {name}"))

    scan.scan(re.compile(rf"{until}({MON})(?:\s+\d{{4}})?(?![\w])(?!\s*\d)"), "recurrence", bare_month)

    def span(m: re.Match[str]):
        amount = to_int(m[1])
        if amount > {"d": 5 * 366, "w": 5 * 53, "m": 60}[m[2][0]]:
            raise ParseError(hints.too_big(m.group(0).strip(" ,")))
        rec.for_units = (amount, m[2])

    scan.scan(re.compile(rf",?\s*for\s+(?:the\s+)?(?:next\s+)?(\d+|{NUM_WORD}|a|an)\s+(days?|weeks?|months?)(?![a-z])"), "recurrence", span)

    def nth_weekday(m: re.Match[str]):  # "monthly all-hands first thursday 5pm": which week of the month
        if rec.freq != "MONTHLY" or rec.by_day or rec.by_month_day is not None:
            return False
        rec.by_day, rec.by_set_pos = [WEEKDAYS[m[2].rstrip(".")]], ORDINAL_WORDS[m[1]]

    nth = re.compile(rf"(?<![\w])(?:on\s+)?(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+({WD})(?![\w])(?!\s*(?:and|&|,|/))")
    scan.scan(nth, "recurrence", nth_weekday)


def days_named(text: str) -> list[int]:
    """`mon, wed and fridays` → [0, 2, 4]."""
    names = re.findall(rf"{WD_PLURAL}|{WD}", text)
    return sorted({WEEKDAYS[n.rstrip(".").removesuffix("s") if n.endswith("days") else n.rstrip(".")] for n in names})


def scan_recurrence(scanner: Claims) -> RecurrenceSpec | None:
    """Claim the main recurrence phrase ("every other thursday", "monthly on the 15th") if there is one."""
    found: list[RecurrenceSpec] = []

    days_of = days_named

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
        rf"(?<![\w])(?:on\s+)?(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}?\s+of\s+(?:every|each)\s+month(?![\w])"
        rf"|(?<![\w])(?:every|each)\s+(?:(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}\s+of\s+the\s+month|(\d{{1,2}}){ORD_SUFFIX}(?!\s+(?:{WD}|weeks?|days?|months?)))(?![\w])"
    )
    scanner.scan(day_of_month, "recurrence", lambda m: add(RecurrenceSpec("MONTHLY", by_month_day=int(m[1] or m[2] or m[3]))))
    every_month_nth = re.compile(
        rf"(?<![\w])(?:every|each)\s+month\s+on\s+the\s+(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+({WD})(?![\w])"
    )
    scanner.scan(
        every_month_nth,
        "recurrence",
        lambda m: add(RecurrenceSpec("MONTHLY", by_day=[WEEKDAYS[m[2].rstrip(".")]], by_set_pos=ORDINAL_WORDS[m[1]])),
    )
    every_nth = re.compile(rf"(?<![\w])(?:every|each)\s+(first|1st|last|third|fourth|fifth)\s+({WD})(?![\w])")

    def handle_every_nth(m: re.Match[str]):
        if m[1] in ("first", "1st", "last"):  # "every last friday": once a month, no other reading
            return add(RecurrenceSpec("MONTHLY", by_day=[WEEKDAYS[m[2].rstrip(".")]], by_set_pos=ORDINAL_WORDS[m[1]]))
        n = ORDINAL_WORDS[m[1]]  # "every third friday": every 3 weeks, or the 3rd Friday of the month?
        raise ParseError(hints.which_repeat(n, f"{n}{'rd' if n == 3 else 'th'}", DAY_NAMES[WEEKDAYS[m[2].rstrip('.')]].lower()))

    scanner.scan(every_nth, "recurrence", handle_every_nth)
    day_range = re.compile(rf"(?<![\w])(?:(?:every|each)\s+)?(?:on\s+)?({WD})\s*(?:-|to|thru|through)\s*({WD})(?![\w])")

    def handle_range(m: re.Match[str]):
        first, last = WEEKDAYS[m[1].rstrip(".")], WEEKDAYS[m[2].rstrip(".")]
        if last <= first:
            return False
        add(RecurrenceSpec("WEEKLY", by_day=list(range(first, last + 1))))

    scanner.scan(day_range, "recurrence", handle_range)
    every_days = re.compile(
        rf"(?<![\w])(?:every|each)\s+(?:(other|second)\s+|(\d+|{NUM_WORD})(?:{ORD_SUFFIX})?\s+)?(?:weeks?\s+(?:on\s+)?)?({DAY_LIST})(?![\w])"
    )
    def handle_every_days(m: re.Match[str]):
        ordinal = re.search(rf"(?<![\w])(\d+){ORD_SUFFIX}(?![\w])", m.group(0)) if m[2] else None
        days = days_of(m[3])
        if ordinal and int(ordinal[1]) in range(2, 6) and len(days) == 1:  # "every 3rd wednesday": two readings
            raise ParseError(hints.which_repeat(int(ordinal[1]), ordinal.group(0), DAY_NAMES[days[0]].lower()))
        if m[1] == "second" and len(days) == 1 and "week" not in m.group(0):  # "every second monday": which?
            raise ParseError(hints.which_repeat(2, "2nd", DAY_NAMES[days[0]].lower()))
        add(RecurrenceSpec("WEEKLY", interval=interval_of(m[1], m[2]), by_day=days))

    scanner.scan(every_days, "recurrence", handle_every_days)
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
        rf"(?<![\w])(daily|everyday|weekly|bi-?weekly|fortnightly|monthly|quarterly|yearly|annually)"
        rf"(?:,?\s+(?:on\s+)?(?:the\s+)?(\d{{1,2}}){ORD_SUFFIX}(?!\s+{WD})|\s+on\s+({DAY_LIST})"
        rf"|,?\s+(?:on\s+)?(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+({WD}))?(?![\w])"
    )

    def handle_adjective(m: re.Match[str]):
        if found:
            return False
        # "Daily standup at 10", "fortnightly sprint review fri 3pm": nothing else says how it repeats, so the
        # word does (most people mean the series; a one-off is typed without it). With "every ..." it is a name.
        freq, interval = {
            "daily": ("DAILY", 1),
            "everyday": ("DAILY", 1),
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
        if m[4]:  # "monthly on the first monday", "quarterly on the last friday"
            if freq != "MONTHLY":
                return False
            spec.by_day, spec.by_set_pos = [WEEKDAYS[m[5].rstrip(".")]], ORDINAL_WORDS[m[4]]
        add(spec)

    scanner.scan(adjective, "recurrence", handle_adjective)
    last_day = re.compile(r"(?<![\w])(?:every\s+|each\s+)?(?:on\s+)?(?:the\s+)?last\s+day(?:\s+of\s+(?:the|every|each)\s+month)?(?![\w])")

    def handle_last_day(m: re.Match[str]):
        if found and found[0].freq == "MONTHLY" and found[0].by_month_day is None and not found[0].by_day:
            found[0].by_month_day = -1  # "monthly on the last day"
            return None
        if found or "month" not in m.group(0):
            return False
        add(RecurrenceSpec("MONTHLY", by_month_day=-1))

    scanner.scan(last_day, "recurrence", handle_last_day)
    day_part = re.compile(r"(?<![\w])(?:every|each)\s+(morning|afternoon|evening|night|weeknight)(?![\w])")

    def handle_day_part(m: re.Match[str]):
        if found:
            return False
        add(RecurrenceSpec("WEEKLY", by_day=[0, 1, 2, 3, 4]) if m[1] == "weeknight" else RecurrenceSpec("DAILY"))
        scanner.parts.day_part = "night" if m[1] == "weeknight" else m[1]  # "every morning at 8:30"

    scanner.scan(day_part, "recurrence", handle_day_part)
    plural = re.compile(rf"(?<![\w])(?:on\s+)?((?:{WD_PLURAL}|weekdays|weekends)(?:{LIST_SEP}(?:{WD_PLURAL}))*)(?![\w])")

    def handle_plural(m: re.Match[str]):
        days = [0, 1, 2, 3, 4] if "weekdays" in m[1] else [5, 6] if "weekends" in m[1] else days_of(m[1])
        if found and found[0].freq == "WEEKLY" and not found[0].by_day:
            found[0].by_day = days  # "weekly 1:1 tuesdays 2pm", "biweekly ... thursdays"
            return None
        if found:
            return False
        add(RecurrenceSpec("WEEKLY", by_day=days))

    scanner.scan(plural, "recurrence", handle_plural)
    # "mon/wed/fri 7am", "tues and thurs 3pm": one /meet makes one meeting or one series, so a list of days
    # (joined by and, &, / or commas; never "or") can only be a weekly series.
    joined = r"(?:\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*)"
    day_list = re.compile(rf"(?<![\w])(?:on\s+)?({WD}(?:{joined}{WD})+)(?![\w])")

    def handle_day_list(m: re.Match[str]):
        days = days_of(m[1])
        if found or len(days) < 2:
            return False
        add(RecurrenceSpec("WEEKLY", by_day=days))

    scanner.scan(day_list, "recurrence", handle_day_list)
    return found[0] if found else None
