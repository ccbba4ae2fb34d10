"""dateparser as the last resort, for date phrasings the grammar does not know.

Wrapped, not trusted: English only (all-locale detection costs 1.3 s on the first odd word and reads
"Do" as a Sunday), a naive wall-clock RELATIVE_BASE (aware bases return None for "3pm" — dateparser #1213),
future preference, a lock (the library was not thread-safe before 1.5), and a check that the text named a
time of day at all: the same phrase parsed against two different base times must give the same answer,
otherwise dateparser filled the time in from "now".
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

_LOCK = threading.Lock()
_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False, "PARSERS": ["relative-time", "absolute-time", "custom-formats"]}


def _parse(text: str, base: datetime) -> datetime | None:
    import dateparser  # imported on first use: most phrases never need it, and it costs ~100 ms

    with _LOCK:
        return dateparser.parse(text, languages=["en"], settings={**_SETTINGS, "RELATIVE_BASE": base})


def parse_with_dateparser(text: str, local_now: datetime) -> tuple[datetime | None, bool]:
    """(naive local datetime or None, whether a time of day was given). `local_now` is naive wall time."""
    if not any(ch.isdigit() for ch in text) and len(text.split()) > 6:
        return None, False
    first = _parse(text, local_now)
    if first is None:
        return None, False
    shifted = local_now.replace(hour=(local_now.hour + 1) % 24, minute=(local_now.minute + 17) % 60, second=13)
    second = _parse(text, shifted)
    if second is None:
        return None, False
    has_time = first.time() == second.time() and first.time() != shifted.time() and first.time() != local_now.time()
    if first.date() != second.date() and abs(first - second) < timedelta(days=2):
        has_time = False
    return first, has_time


def warm_up() -> None:
    """Pay dateparser's first-call cost (~0.1 s of regex compiling) at start-up, not in a user's 3 s."""
    _parse("tomorrow 3pm", datetime(2026, 1, 1, 12, 0))
