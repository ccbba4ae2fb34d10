"""The regular-expression vocabulary the time grammar is written in (strings, shared by its modules)."""

from __future__ import annotations

from bot.timeparse import cachedre as re
from bot.timeparse.vocab import DAY_PARTS, MONTHS, NUMBER_WORDS, WEEKDAYS

WD = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
WD_PLURAL = r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
NUM_WORD = "(?:" + "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True)) + ")"
MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
LIST_SEP = r"(?:\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*|\s+or\s+|\s+)"
DAY_LIST = rf"(?:{WD_PLURAL}|{WD})(?:{LIST_SEP}(?:{WD_PLURAL}|{WD}))*"
ORD_SUFFIX = r"(?:st|nd|rd|th)"
# A date on its own, as used after "until": month-day, day-month, m/d, ISO.
DATE_EXPR = (
    rf"(?:{MON}\s+(?:the\s+)?\d{{1,2}}{ORD_SUFFIX}?(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?\d{{1,2}}{ORD_SUFFIX}?\s+(?:of\s+)?{MON}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{1,2}\.\d{1,2}\.(?:\d{4})?"
    r"|\d{4}-\d{1,2}-\d{1,2})"
)
DAY_WORD_BEFORE = re.compile(
    rf"(?:today|tomorrow|tonight|{WD}|at|@|\x00|{MON}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}/\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.)\s*$"
)
TIME_ATOM = (
    rf"(?:(?:[01]\d|2[0-3])[0-5]\d(?![\d:])|\d{{1,2}}(?:[:.h]\d{{2}}(?::\d{{2}})?)?(?:\s*{MERIDIEM})?|\d{{1,2}}h|noon|midday|midnight)"
)
# What a clock may be introduced by: `at 3`, `@3`, `around 3` (from `3ish`, `~3`), `at about 3`, `by 3`.
AT = r"(?:(?:at|@)\s*)?(?:(?:around|about|approx(?:imately|\.)?|roughly|circa|by)\s*)?"
# After a bare number, words that make it something other than an hour: `at 3 people`, `the 3rd`, `at 5%`.
NOT_A_CLOCK_AFTER = (
    r"(?:%|st|nd|rd|th|h|hours?|hrs?|hr|m|mins?|minutes?|days?|weeks?|months?|years?|people|ppl|persons?|times|x"
    r"|am|pm|a\.m|p\.m)(?![a-z])"
)


def to_int(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


TIME_WORDS = frozenset(
    {"at", "on", "from", "every", "each", "starting", "beginning", "until", "till", "for", "in", "next", "this",
     "today", "tonight", "tomorrow", "noon", "midnight", "morning", "afternoon", "evening", "the"}
    | set(WEEKDAYS) | set(MONTHS) | set(DAY_PARTS)
)


def is_time_word(word: str) -> bool:
    return word in TIME_WORDS
