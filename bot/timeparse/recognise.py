"""Stage 2 of the pipeline: the normalised text → the recognised `Parts` and the title (whatever nobody claimed).

`PASSES` is the grammar, in order. Order matters: pasted timestamps first (their dots and colons would read as
clocks), recurrence before weekdays (`every monday`), clock arithmetic before durations (`15 minutes after 2pm`),
relative starts before durations (`in 45 minutes`), ranges before single times (`2-3pm`), dates before the bare
hours that lean on them (`friday 10`). Nothing here knows the current time: `resolution` does that.
"""

from __future__ import annotations

from bot.timeparse import cachedre as re
from bot.timeparse import clocks, dates, durations, repeats, zones
from bot.timeparse.claims import NUL, Claims
from bot.timeparse.parts import Parts
from bot.timeparse.tokens import PROTECTED, Text
from bot.timeparse.vocab import CONNECTORS, DAY_PARTS

PASSES = (
    dates.stamps,
    clocks.spaced_minutes,
    clocks.reject_impossible,
    repeats.recurrences,
    clocks.arithmetic,
    clocks.half_hour,
    dates.relative_starts,
    dates.instants,
    zones.pairs,
    clocks.ranges,
    clocks.hour_with_day_part,
    clocks.compact_hours,
    durations.scan_durations,
    zones.explicit,
    clocks.clocks,
    zones.numeric_offsets,
    dates.day_words,
    dates.calendar_dates,
    dates.trailing_year,
    dates.week_numbers,
    clocks.day_parts,
    clocks.around_dates,
    clocks.lone_hour_beside_day,
    zones.abbreviations,
    clocks.lone_four_digits,
)


def recognise(text: Text) -> tuple[Parts, list[str]]:
    """(parts, title pieces as typed). Raises ParseError where the text contradicts itself."""
    scan = Claims(text)
    for recogniser in PASSES:
        recogniser(scan)
    pieces, leftover = _unclaimed(scan)
    parts = scan.parts
    joiner = r"(?:-|–|to|until|till|or|/)"
    dangling = re.search(
        rf"(?<![\w.:])\d{{1,4}}\s*{joiner}\s*(?=\x00)|(?<![\w])(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)(?:\s*(?:,|and|&|/)\s*|\s+)(?=\x00)|\x00\s*{joiner}\s*\d{{1,4}}(?![\w:])|\x00\s*(?:past|ish|p)(?![\w])|(?<![\w])(?:before|after|till|until)\s*(?=\x00)",
        scan.work,
    )
    if dangling and NUL not in dangling.group(0):  # "first thursday": say it as typed, not as normalised
        parts.leftover = leftover + ["<dangling>" + scan.original(dangling.start(), dangling.end()).strip()]
    else:
        parts.leftover = leftover + (["<dangling>" + dangling.group(0).strip(NUL + " ")] if dangling else [])
    title = re.sub(r"\(\s*\)|\[\s*\]|(?<=\s)[?!]+(?=\s)", " ", " ".join(pieces))
    if parts.zone is not None:  # "10am their time (EST)": the words that point at the zone are not the title
        title = re.sub(r"(?i)(?<![\w])(?:their|our|your|my|local)\s+time(?![\w])", " ", title)
    title = " ".join(title.split()).strip(" ,;:-–—|+~?!·•")
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'" or title[:1] == "“" and title[-1:] == "”":
        title = title[1:-1].strip()
    parts.title = title or None
    parts.title_day_part = next((w for w in leftover if w in DAY_PARTS), None)
    return parts, pieces


def _unclaimed(scan: Claims) -> tuple[list[str], list[str]]:
    """The title pieces (original text) between claimed spans, minus the connector words that glued them on."""
    original = scan.text.original
    claimed = [False] * len(original)
    for i, ch in enumerate(scan.work):
        if ch == NUL:
            lo, hi = scan.text.origin[i]
            for j in range(lo, hi):
                claimed[j] = True
    segments: list[str] = []
    current: list[str] = []
    for ch, taken in zip(original, claimed):
        if taken:
            if current:
                segments.append("".join(current))
                current = []
            if not segments or segments[-1] != NUL:
                segments.append(NUL)
        else:
            current.append(ch)
    if current:
        segments.append("".join(current))
    pieces: list[str] = []
    for i, segment in enumerate(segments):
        if segment == NUL:
            continue
        words = segment.split()
        if i + 1 < len(segments):  # a claimed span follows: drop trailing glue ("on", "at", ",", "moved to")
            while words and words[-1].lower().strip(",") in CONNECTORS | {"", "to", "um"}:  # "um 15 Uhr"
                words.pop()
        if i > 0:  # a claimed span precedes: drop leading glue ("today itself", Indian English for "today")
            while words and words[0].lower().strip(",") in CONNECTORS | {"", "itself"}:
                words.pop(0)
        if words:
            pieces.append(" ".join(words))
    leftover = [w for w in re.split(r"[^\w'’:.+~/-]+", scan.work.replace(NUL, " ").replace(PROTECTED, " ")) if w]
    return pieces, leftover
