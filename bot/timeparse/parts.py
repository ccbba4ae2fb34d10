"""What the scanner recognised: plain values, before any clock is consulted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

@dataclass
class Clock:
    """A time of day as typed: `meridiem` is 'am'/'pm' or None (then `resolve` applies the bare-hour rule)."""

    hour: int
    minute: int = 0
    meridiem: str | None = None
    twenty_four: bool = False  # typed as 15:00 or 09:00 (a leading zero): no am/pm guessing
    offset: int = 0  # minutes added to the named hour: "quarter to 10" is 10:00 - 15

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

    def minutes_of_day(self, part_hint: str | None = None) -> int:
        """Minutes after midnight, 0–1439, with any arithmetic ("ten to midnight" is 23:50) applied."""
        return (self.hour24(part_hint) % 24 * 60 + self.minute + self.offset) % (24 * 60)

    def spoken(self) -> str:
        """`3:30pm`, `15:00`: how the user would recognise the time they typed."""
        if self.meridiem:
            return f"{self.hour}:{self.minute:02d}{self.meridiem}" if self.minute else f"{self.hour}{self.meridiem}"
        return f"{self.hour}:{self.minute:02d}"


@dataclass
class DateSpec:
    """A calendar day as typed; `kind` says which fields matter."""

    kind: str  # 'offset' | 'weekday' | 'ymd' | 'monthday' | 'dom'
    offset_days: int = 0
    offset_months: int = 0
    weekday: int = 0
    weekday_mode: str = "plain"  # plain | next | next_week | next_week_any (no weekday named yet) | last
    year: int | None = None
    month: int = 0
    day: int = 0
    either_order: bool = False  # "8/12": month/day, or day/month if only that agrees with a weekday typed beside it


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
    zone_abbreviation: str | None = None  # "PST" as typed: checked against the season on the meeting's date
    title: str | None = None
    date_text: str | None = None
    weekday_check: int | None = None  # "Tue, Dec 8": the weekday typed beside a calendar date, checked once resolved
    # "10am PT / 1pm ET": the second reading (clock, zone, its word as typed, the first zone's word), checked
    other_zone_clocks: list[tuple[Clock, tzinfo, str, str]] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)  # unclaimed words (normalised): checked for time words
    title_day_part: str | None = None  # "Morning run at 7": a day part in the title still picks am/pm
    iso_week: int | None = None  # "KW 49", "week 49": the ISO week a weekday is in
    midnight_word: bool = False  # "midnight" (not "12am"): beside a day it may mean that day's start or its end

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
