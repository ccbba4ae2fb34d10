"""RRULE building and wording (`bot.timeparse.rrule`): pure, table-tested."""

from __future__ import annotations

from datetime import date

import pytest

from bot.timeparse.rrule import build_rrule, describe_rrule, first_matching_day, parse_rrule


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"freq": "DAILY"}, "FREQ=DAILY"),
        ({"freq": "WEEKLY", "interval": 2, "by_day": [0]}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ({"freq": "WEEKLY", "by_day": [3, 1]}, "FREQ=WEEKLY;BYDAY=TU,TH"),
        ({"freq": "MONTHLY", "by_month_day": 15}, "FREQ=MONTHLY;BYMONTHDAY=15"),
        ({"freq": "MONTHLY", "by_day": [0], "by_set_pos": 1}, "FREQ=MONTHLY;BYDAY=1MO"),
        ({"freq": "WEEKLY", "by_day": [4], "count": 4}, "FREQ=WEEKLY;BYDAY=FR;COUNT=4"),
        ({"freq": "DAILY", "until": date(2026, 12, 21)}, "FREQ=DAILY;UNTIL=20261221"),
    ],
)
def test_build(kwargs, expected):
    assert build_rrule(**kwargs) == expected
    assert parse_rrule(expected)["FREQ"] == kwargs["freq"]


@pytest.mark.parametrize(
    "rule, words",
    [
        (None, ""),
        ("FREQ=DAILY", "daily"),
        ("FREQ=WEEKLY;BYDAY=MO", "weekly on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "every other week on Thursday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH", "every 3 weeks on Tuesday and Thursday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly on the 15th"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Friday"),
        ("FREQ=WEEKLY;BYDAY=FR;COUNT=4", "weekly on Friday, 4 times"),
        ("FREQ=DAILY;UNTIL=20261221", "daily, until Mon 21 Dec 2026"),
    ],
)
def test_describe(rule, words):
    assert describe_rrule(rule) == words


def test_first_matching_day_last_weekday_of_month():
    assert first_matching_day(date(2026, 11, 18), "MONTHLY", [4], -1, None) == date(2026, 11, 27)
    assert first_matching_day(date(2026, 11, 18), "MONTHLY", [], None, 31) == date(2026, 12, 31)
