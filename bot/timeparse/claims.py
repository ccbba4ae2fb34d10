"""The bookkeeping every recogniser shares: which characters are claimed, and what has been recognised so far.

A claimed span is blanked with NUL characters in the working copy; no pattern matches NUL and it acts as a word
boundary, so a later recogniser cannot reuse a character and the title is simply what nobody claimed. The
recognisers live in their own modules (clocks, dates, durations, zones, repeats) and all write through `Claims`,
so none of them imports another's module and there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from bot import messages as hints
from bot.errors import ParseError
from bot.timeparse import cachedre as re
from bot.timeparse.parts import Clock, DateSpec, Parts
from bot.timeparse.tokens import Text

NUL = "\x00"
Handler = Callable[[re.Match[str]], Any]


class Claims:
    """The working copy being claimed and the `Parts` recognised so far. One instance per parse."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.work = text.work
        self.spans: list[tuple[int, int, str]] = []
        self.parts = Parts()

    def claim(self, start: int, end: int, kind: str) -> None:
        self.work = self.work[:start] + NUL * (end - start) + self.work[end:]
        self.spans.append((start, end, kind))
        if kind == "date" and self.parts.date_text is None:
            self.parts.date_text = self.text.original_span(start, end).strip()

    def original(self, start: int, end: int) -> str:
        return self.text.original_span(start, end)

    def kind_before(self, pos: int) -> str | None:
        """The kind of the claimed span that ends right before `pos` (only spaces or a comma between), if any."""
        i = pos
        while i > 0 and self.work[i - 1] in " ,":
            i -= 1
        for _start, end, kind in self.spans:
            if end == i and i > 0:
                return kind
        return None

    def kind_after(self, pos: int) -> str | None:
        """The kind of the claimed span that starts right after `pos` (only spaces or a comma between), if any."""
        i = pos
        while i < len(self.work) and self.work[i] in " ,":
            i += 1
        for start, _end, kind in self.spans:
            if start == i and i < len(self.work):
                return kind
        return None

    def scan(self, pattern: re.Pattern[str], kind: str, handler: Handler) -> None:
        """Run `handler(match)` on each match; claim the span unless the handler returns False."""
        if pattern.search(self.work) is None:
            return
        for match in list(pattern.finditer(self.work)):
            if NUL in self.work[match.start() : match.end()]:
                continue  # overlaps something claimed by an earlier match of this pass
            if handler(match) is not False:
                self.claim(match.start(), match.end(), kind)

    # -- recording what was recognised ---------------------------------------------------------------------

    def set_clock(self, clock: Clock) -> None:
        if self.parts.clock is not None:
            raise ParseError(hints.two_times())
        check_clock(clock)
        self.parts.clock = clock

    def set_date(self, spec: DateSpec) -> None:
        current = self.parts.date
        if current is not None and current.weekday_mode == "next_week_any" and spec.kind == "weekday":
            if spec.weekday_mode == "plain":  # "next week at 10am on tuesday"
                self.parts.date = DateSpec("weekday", weekday=spec.weekday, weekday_mode="next_week")
                return
        if current is not None:
            # "Tue, Dec 8" / "Thursday 3 December": a weekday beside a calendar date is a check, not a second day.
            calendar_kinds = ("ymd", "monthday", "dom")
            if current.kind == "weekday" and current.weekday_mode == "plain" and spec.kind in calendar_kinds:
                if self.parts.weekday_check is None:
                    self.parts.weekday_check = current.weekday
                    self.parts.date = spec
                    return
            if spec.kind == "weekday" and spec.weekday_mode == "plain" and current.kind in calendar_kinds:
                if self.parts.weekday_check is None:
                    self.parts.weekday_check = spec.weekday
                    return
            if current.kind == spec.kind == "weekday" and current.weekday != spec.weekday:
                raise ParseError(hints.two_weekdays(current.weekday, spec.weekday))  # "mon/wed 7am": a repeat?
            raise ParseError(hints.two_dates())
        self.parts.date = spec

    def set_zone(self, zone: tzinfo, name: str) -> None:
        if self.parts.zone is not None and self.parts.zone_name != name:
            raise ParseError(hints.two_zones())
        self.parts.zone, self.parts.zone_name = zone, name

    def add_days(self, days: int) -> None:
        self.set_date(DateSpec("offset", offset_days=days))


def check_clock(clock: Clock) -> None:
    """`13pm`, `10:75`, `25:00` are not times of day: say so rather than read something else."""
    if clock.minute > 59 or (clock.meridiem and not 1 <= clock.hour <= 12) or clock.hour > 24:
        raise ParseError(hints.bad_clock(f"{clock.hour}:{clock.minute:02d}"))
    if clock.hour == 24 and (clock.minute or clock.meridiem):
        raise ParseError(hints.bad_clock(f"{clock.hour}:{clock.minute:02d}"))
