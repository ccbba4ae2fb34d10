"""Stage 1 of the pipeline: the typed text → a normalised working copy that remembers where each character came from.

People type `tmrw`, `thrusday`, `three thirty`, `4p`, `3ish`, `~noon`, `a couple of hours`. Rather than teach every
recogniser each spelling, this stage rewrites them into one canonical form (`tomorrow`, `thursday`, `3 30`, `4pm`,
`around 3`, `around noon`, `2 hours`) in a lower-case working copy. Every working character keeps the range of the
original text it stands for, so whatever the recognisers do not claim is still shown to the user exactly as typed
(the title), and an abbreviation's letter case can still be read from the original.
"""

from __future__ import annotations

import functools

from bot.timeparse import cachedre as re
from bot.timeparse.vocab import DAY_WORD_TYPOS, FUZZY_TARGETS, NUMBER_WORDS, ORDINAL_NAMES, TENS_WORDS, WEEKDAYS

PROTECTED = "\x01"  # stands for quoted title text: no pattern matches it and nobody may claim it

Origin = tuple[int, int]


class Text:
    """The original text, its working copy and, per working character, the original range it came from."""

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        for ch in original:
            low = ch.lower()
            chars.append(low if len(low) == 1 else ch)
        self.work = "".join(chars)
        self.origin: list[Origin] = [(i, i + 1) for i in range(len(original))]

    def sub(self, pattern: str, replace) -> None:
        """Replace each match of `pattern` in the working copy by `replace(match)` (a string, or None to keep it)."""
        pieces: list[str] = []
        origin: list[Origin] = []
        last = 0
        for m in re.finditer(pattern, self.work):
            new = replace(m)
            if new is None or new == m.group(0) or m.start() == m.end():
                continue
            pieces.append(self.work[last : m.start()])
            origin.extend(self.origin[last : m.start()])
            covered = self.origin[m.start() : m.end()]
            span = (covered[0][0], covered[-1][1])
            pieces.append(new)
            origin.extend([span] * len(new))
            last = m.end()
        if not pieces:
            return
        pieces.append(self.work[last:])
        origin.extend(self.origin[last:])
        self.work = "".join(pieces)
        self.origin = origin

    def original_span(self, start: int, end: int) -> str:
        """The original text behind working characters `start:end`."""
        if start >= end:
            return ""
        return self.original[self.origin[start][0] : self.origin[end - 1][1]]


def _protect_quotes(text: Text) -> None:
    """`"Design review at 3" tomorrow 4pm`: what is quoted is title, whatever it contains."""
    text.sub(r'"[^"]+"|“[^”]+”', lambda m: m.group(0)[0] + PROTECTED * (len(m.group(0)) - 2) + m.group(0)[-1])


def _number(word: str) -> int | None:
    word = word.replace("-", " ")
    parts = word.split()
    if len(parts) == 1:
        return NUMBER_WORDS.get(parts[0]) if parts[0] not in ("a", "an") else None
    if len(parts) == 2 and parts[0] in TENS_WORDS and parts[1] in NUMBER_WORDS and 1 <= NUMBER_WORDS[parts[1]] <= 9:
        return TENS_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


_SMALL = "one|two|three|four|five|six|seven|eight|nine"
_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True))
_TENS = "|".join(TENS_WORDS)
NUMBER_PHRASE = rf"(?<![\w-])(?:(?:{_TENS})[\s-](?:{_SMALL})|{_WORDS})(?![\w-])"


_HOUR_WORD = f"(?:{_SMALL}|ten|eleven|twelve)"
_MINUTE_WORD = (
    rf"(?:(?:oh|o|zero|ou)[\s-]+(?:{_SMALL})|(?:{_TENS})(?:[\s-]+(?:{_SMALL}))?|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen)"
)


def _number_words(text: Text) -> None:
    """`three thirty` → `3:30`, `nine oh five` → `9:05`, `forty-five` → `45`, `a couple of` → `2`."""
    text.sub(r"(?<![\w])(?:a\s+)?couple(?:\s+of)?(?=\s+(?:min|hour|hr|day|week|month))", lambda m: "2")
    text.sub(r"(?<![\w])(?:a\s+pair\s+of|a\s+few|few)(?=\s+(?:min|hour|hr|day|week|month))", lambda m: "2" if "pair" in m.group(0) else "3")
    text.sub(
        rf"(?<![\w-]){_HOUR_WORD}[\s-]+{_MINUTE_WORD}(?![\w-])(?!\s+(?:minutes?|mins?|hours?|hrs?|people|days?|weeks?|times)\b)",
        _word_clock,
    )
    text.sub(NUMBER_PHRASE, lambda m: str(_number(m.group(0))))
    ordinals = "|".join(sorted(ORDINAL_NAMES, key=len, reverse=True))
    text.sub(rf"(?<![\w-])(?:twenty[\s-]|thirty[\s-])?(?:{ordinals})(?![\w-])", _ordinal)


def _word_clock(m: re.Match[str]) -> str | None:
    words = m.group(0).replace("-", " ").split()
    hour = NUMBER_WORDS[words[0]]
    rest = words[1:]
    if rest[0] in ("oh", "o", "zero", "ou"):
        return f"{hour}:0{NUMBER_WORDS[rest[1]]}"
    minute = _number(" ".join(rest))
    return f"{hour}:{minute:02d}" if minute is not None and 10 <= minute <= 59 else None


def _ordinal(m: re.Match[str]) -> str | None:
    words = m.group(0).replace("-", " ").split()
    value = ORDINAL_NAMES[words[-1]] + (TENS_WORDS[words[0]] if len(words) == 2 else 0)
    if value == 2 and len(words) == 1:
        return None  # "second": "every second thursday" and "a second" are handled where they are read
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def _day_words(text: Text) -> None:
    """`tmrw` → `tomorrow`, `thrusday` → `thursday` (one candidate within a small edit distance)."""
    text.sub(r"(?<![\w'’])[a-z0-9]+(?:'s)?(?![\w'’])", _fix_word)


_TOMORROW_SHAPED = re.compile(r"(?:to?|2)m+o*r+o*w*")  # tmrw, tmorow, tommorw, tmrrow, 2mor: not "tom"


def _fix_word(m: re.Match[str]) -> str | None:
    word = m.group(0)
    if word.endswith("'s") and (word[:-2] in WEEKDAYS or word[:-2] in ("today", "tomorrow", "tonight")):
        return word[:-2]  # "friday's 3pm", "tomorrow's standup"
    if word in DAY_WORD_TYPOS:
        return DAY_WORD_TYPOS[word]
    if _TOMORROW_SHAPED.fullmatch(word):
        return "tomorrow"
    if not word.isalpha() or len(word) < 5 or word in FUZZY_TARGETS or word.rstrip("s") in FUZZY_TARGETS:
        return None
    return closest_day_word(word)


@functools.lru_cache(maxsize=4096)
def closest_day_word(word: str) -> str | None:
    """The one day/month/time word `word` is a typo of, or None (none, or more than one, is close enough)."""
    limit = 1 if len(word) <= 7 else 2
    found = {t for t in FUZZY_TARGETS if t[0] == word[0] and abs(len(t) - len(word)) <= limit and edit_distance(word, t) <= limit}
    return FUZZY_TARGETS[found.pop()] if len(found) == 1 else None


@functools.lru_cache(maxsize=4096)
def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance: `thrusday` is one swap from `thursday`."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _shorthand(text: Text) -> None:
    """`4p` → `4pm`, `3ish`/`~3` → `around 3`, `in 15'` → `in 15 min`, `1/4h` → `15 min`, `o clock` → `o'clock`."""
    text.sub(r"(?<![\w])(\d{1,4}(?:[:.]\d{2})?)\s*([ap])(?:\.\s*|\s+)m\.?(?![\w])", lambda m: f"{m[1]}{m[2]}m")
    text.sub(r"(?<![^\s@~(/-])(\d{1,2}(?:[:.]\d{2})?)([ap])(?!\w)(?!\.\w)", lambda m: f"{m[1]}{m[2]}m")
    text.sub(r"(?<![^\s@~(])(\d{1,2}(?:[:.]\d{2})?)\s+([ap])(?=\s*(?:$|[,;!?)]))", lambda m: f"{m[1]}{m[2]}m")
    text.sub(r"(?<![\w])((?:\d{1,4}(?:[:.]\d{2})?\s*(?:[ap]m)?|noon|midnight|midday))\s*-?ish(?![\w])", lambda m: f"around {m[1]}")
    text.sub(r"~\s*", lambda m: "around ")
    text.sub(r"(?<![\w])(\d{1,2}(?:[:.]\d{2})?)\s+in\s+the\s+([ap])\.?m\.?(?![\w])", lambda m: f"{m[1]}{m[2]}m")
    text.sub(r"(?<![\w.])(\d{1,3})\s+more\s+(?=min|hour|hr)", lambda m: f"{m[1]} ")
    text.sub(r"(?<![\w.])(\d{1,4})\s*(?:'|’|′)(?![\w'’])", lambda m: f"{m[1]} min")
    fractions = {"1/4": "15 min", "1/2": "30 min", "3/4": "45 min"}
    text.sub(r"(?<![\w/])(1/4|1/2|3/4)\s*(?:an?\s+)?(?:h|hr|hrs|hour|hours)(?![\w])", lambda m: fractions[m[1]])
    text.sub(r"(?<![\w])o\s*['’]?\s*clock(?![\w])", lambda m: "o'clock")
    text.sub(r"(?<![\w])(quarter|half)-(past|to|til|till|after)(?![\w])", lambda m: f"{m[1]} {m[2]}")
    text.sub(r"(?<![\w/])(\d{1,2}/\d{1,2}/\d{4})[.:-](?=\d{1,2}:\d{2})", lambda m: f"{m[1]} ")  # 05/31/2024-14:15
    text.sub(r"(?<![\w])m\s*-\s*f(?![\w])", lambda m: "mon-fri")
    text.sub(r"(?<![\w])(?:nxt)(?![\w])", lambda m: "next")
    text.sub(r"(?<![\w])wkdays?(?![\w])", lambda m: "weekdays" if m.group(0).endswith("s") else "weekday")
    text.sub(r"(?<![\w])mo\s*-\s*fr(?![\w])", lambda m: "mon-fri")  # German-style "Mo-Fr"
    text.sub(r"(?<![\w])overmorrow(?![\w])", lambda m: "the day after tomorrow")
    # "M/W/F", "tu/th": one- and two-letter weekdays, only as a slash list (never "w/ ana", "w/o")
    text.sub(rf"(?<![\w/])((?:{_SHORT_DAY})(?:/(?:{_SHORT_DAY}))+)(?![\w/])",
             lambda m: "/".join(_SHORT_DAYS[d] for d in m[1].split("/")))
    text.sub(r"(?<![\w.,])(\d{1,2}),(\d)\s*(?=h(?![a-z])|hrs?(?![a-z])|hours?(?![a-z]))", lambda m: f"{m[1]}.{m[2]} ")  # "1,5h"
    text.sub(r"(?<![\w:])(\d{1,2}:\d{2})\s*uhr(?![\w])", lambda m: m[1])  # "16:00 Uhr"
    text.sub(r"(?<![\w:.])(\d{1,2})\s*uhr(?![\w])", lambda m: f"{m[1]}h")  # "14 Uhr": the German o'clock
    # "in a fortnight", "2 fortnights from now": two weeks each (not "fortnightly", which a typo fix would give)
    text.sub(r"(?<![\w])(a|one|\d{1,2})\s+fortnights?(?![\w])", lambda m: f"{2 * (1 if m[1] in ('a', 'one') else int(m[1]))} weeks")
    text.sub(r"(?<![\w])alternate(?=\s+(?:week|mon|tue|wed|thu|fri|sat|sun))", lambda m: "other")  # "every alternate monday"
    text.sub(r"(?<![\w])(?:wk|wks)(?![\w])", lambda m: "week" if m.group(0) == "wk" else "weeks")


_SHORT_DAYS = {"m": "mon", "mo": "mon", "t": "tue", "tu": "tue", "w": "wed", "we": "wed", "th": "thu", "r": "thu",
               "f": "fri", "fr": "fri", "sa": "sat", "su": "sun"}
_SHORT_DAY = "|".join(sorted(_SHORT_DAYS, key=len, reverse=True))

NORMALISERS = (_protect_quotes, _number_words, _shorthand, _day_words)


def tokenise(original: str) -> Text:
    """Stage 1: the normalised working copy of `original` (whitespace already collapsed by the caller)."""
    text = Text(original)
    for normalise in NORMALISERS:
        normalise(text)
    return text
