"""Table tests for `bot.timeparse.parse_when`: a fixed `now`, several zones, DST changes, late evenings.

Each row: (text, zone, now, expected start or an error fragment, duration, extra expectations).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.errors import ParseError
from bot.timeparse import MAX_TEXT_LENGTH, format_line, parse_when

LONDON_WED = ("Europe/London", "2026-11-18T14:00:00")  # a Wednesday, the spec's examples


def row(text, start, duration=None, zone_now=LONDON_WED, **extra):
    return pytest.param(text, zone_now[0], zone_now[1], start, duration, extra, id=f"{zone_now[0]}|{text}")


SPEC_EXAMPLES = [
    row("tomorrow 10am", "2026-11-19T10:00:00+00:00", 30),
    row("thursday at 2:30pm for 20 min", "2026-11-19T14:30:00+00:00", 20),
    row("wednesday 4pm", "2026-11-18T16:00:00+00:00"),
    row("wednesday 9am", "2026-11-25T09:00:00+00:00"),
    row("next wednesday 9am", "2026-11-25T09:00:00+00:00"),
    row("in 45 minutes", "2026-11-18T14:45:00+00:00"),
    row("at 3", "2026-11-18T15:00:00+00:00"),
    row("at 9", "2026-11-19T09:00:00+00:00"),
    row("nov 30 11:00", "2026-11-30T11:00:00+00:00"),
    row("4-5pm", "2026-11-18T16:00:00+00:00", 60),
    row("friday 9:15-10am", "2026-11-20T09:15:00+00:00", 45),
    row("mon 10am for 2h", "2026-11-23T10:00:00+00:00", 120),
    row("tomorrow 10am for 1 hour 15 minutes", "2026-11-19T10:00:00+00:00", 75),
    row("10am PT tomorrow", "2026-11-19T10:00:00-08:00", timezone="America/Los_Angeles"),
    row("tomorrow 17:00 CET", "2026-11-19T17:00:00+01:00"),
    row("tomorrow 8am Asia/Tokyo", "2026-11-19T08:00:00+09:00", timezone="Asia/Tokyo"),
    row("every weekday at 10am", "2026-11-19T10:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    row("every 2 weeks on monday at 3pm", "2026-11-23T15:00:00+00:00", 30, rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    row("every friday at 4pm, 4 times", "2026-11-20T16:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=FR;COUNT=4"),
    row("monthly on the 15th at 11am", "2026-12-15T11:00:00+00:00", rrule="FREQ=MONTHLY;BYMONTHDAY=15"),
    row("Team lunch friday 12:30 for 1h", "2026-11-20T12:30:00+00:00", 60, title="Team lunch"),
    row("Weekly sync every tuesday 11am", "2026-11-24T11:00:00+00:00", title="Weekly sync", rrule="FREQ=WEEKLY;BYDAY=TU"),
    row("now", "2026-11-18T14:00:00+00:00", instant=True),
    row("last friday 3pm", "in the past"),
    row("tomorrow", "Add a time"),
    row("13pm", "isn't a time of day"),
    row("asdf", "couldn't find a time"),
    row("tomorrow 3pm for -5 minutes", "isn't a duration"),
]

LONDON_MORE = [
    # times without a date, the bare-hour rule
    row("at 7", "2026-11-18T19:00:00+00:00"),
    row("at 8", "2026-11-19T08:00:00+00:00"),
    row("at 12", "2026-11-19T12:00:00+00:00"),
    row("noon", "2026-11-19T12:00:00+00:00"),
    row("3 pm", "2026-11-18T15:00:00+00:00"),
    row("3:30 p.m.", "2026-11-18T15:30:00+00:00"),
    row("15:30", "2026-11-18T15:30:00+00:00"),
    row("at 0800", "2026-11-19T08:00:00+00:00"),
    row("tomorrow 09:00", "2026-11-19T09:00:00+00:00"),
    row("right now", "2026-11-18T14:00:00+00:00", instant=True, title=None),
    row("in an hour", "2026-11-18T15:00:00+00:00"),
    row("in half an hour", "2026-11-18T14:30:00+00:00"),
    row("2 hours from now", "2026-11-18T16:00:00+00:00"),
    # weekdays
    row("this friday 3pm", "2026-11-20T15:00:00+00:00"),
    row("next friday 3pm", "Did you mean Fri Nov 20 or Fri Nov 27?"),  # said on a Wednesday: either, so it asks
    row("this friday 3pm", "2026-11-20T15:00:00+00:00"),
    row("next wednesday 3pm", "2026-11-25T15:00:00+00:00"),  # today's weekday: only next week's
    row("thurs 4pm", "2026-11-19T16:00:00+00:00"),
    row("tues 11am", "2026-11-24T11:00:00+00:00"),
    row("next week tuesday 3pm", "2026-11-24T15:00:00+00:00"),
    row("tuesday next week at 3pm", "2026-11-24T15:00:00+00:00"),
    row("friday 10", "2026-11-20T10:00:00+00:00"),
    row("friday at 5", "2026-11-20T17:00:00+00:00"),
    row("monday morning", "What time monday morning?"),  # a part of the day alone names hours, not a time
    row("tomorrow afternoon", "What time tomorrow afternoon?"),
    row("this evening", "What time this evening?"),
    row("the day after tomorrow at 11", "2026-11-20T11:00:00+00:00"),
    row("in 2 days at 3pm", "2026-11-20T15:00:00+00:00"),
    row("in a week at 10am", "2026-11-25T10:00:00+00:00"),
    # dates
    row("the 3rd at 10", "2026-12-03T10:00:00+00:00"),
    row("on the 30th at 10am", "2026-11-30T10:00:00+00:00"),
    row("the 31st at 9am", "2026-12-31T09:00:00+00:00"),
    row("december 3rd at 4:30pm", "2026-12-03T16:30:00+00:00"),
    row("3 december 10am", "2026-12-03T10:00:00+00:00"),
    row("the 30th of november at 10am", "2026-11-30T10:00:00+00:00"),
    row("2026-12-01 14:00", "2026-12-01T14:00:00+00:00"),
    row("12/3 at 2pm", "2026-12-03T14:00:00+00:00"),
    row("13/12 at 2pm", "2026-12-13T14:00:00+00:00"),
    row("jan 5 9am", "2027-01-05T09:00:00+00:00"),
    row("nov 1 10am", "Nov 1 has passed this year. Pick a date still ahead, or say the year"),  # 17 days ago: a slip
    row("sep 1 10am", "2027-09-01T10:00:00+01:00"),  # long past: next year's
    row("feb 29 3pm", "2028-02-29T15:00:00+00:00"),
    # durations and ranges
    row("tomorrow 3pm for 90m", "2026-11-19T15:00:00+00:00", 90),
    row("tomorrow 3pm for 1.5 hours", "2026-11-19T15:00:00+00:00", 90),
    row("tomorrow 3pm for 1h30", "2026-11-19T15:00:00+00:00", 90),
    row("tomorrow 3pm for an hour", "2026-11-19T15:00:00+00:00", 60),
    row("tomorrow 3pm for half an hour", "2026-11-19T15:00:00+00:00", 30),
    row("tomorrow 3pm 45 min", "2026-11-19T15:00:00+00:00", 45),
    row("tomorrow 3pm (45m)", "2026-11-19T15:00:00+00:00", 45, title=None),
    row("friday 2pm 1h", "2026-11-20T14:00:00+00:00", 60),
    row("from 2pm to 3:30pm", "2026-11-19T14:00:00+00:00", 90),
    row("tomorrow 2 to 3pm", "2026-11-19T14:00:00+00:00", 60),
    row("between 2 and 4pm tomorrow", "2026-11-19T14:00:00+00:00", 120),
    row("tomorrow 11-12", "2026-11-19T11:00:00+00:00", 60),
    row("tomorrow 11am-1pm", "2026-11-19T11:00:00+00:00", 120),
    row("tomorrow 10pm-1am", "2026-11-19T22:00:00+00:00", 180),
    row("14:00-15:30 tomorrow", "2026-11-19T14:00:00+00:00", 90),
    # zones
    row("tomorrow 3pm pst", "2026-11-19T15:00:00-08:00", timezone="America/Los_Angeles"),
    row("tomorrow 9am Europe/berlin", "2026-11-19T09:00:00+01:00", timezone="Europe/Berlin"),
    row("tomorrow 9am UTC", "2026-11-19T09:00:00+00:00", timezone="UTC"),
    row("tomorrow 9am GMT+2", "2026-11-19T09:00:00+02:00"),
    row("tomorrow 9am UTC-05:30", "2026-11-19T09:00:00-05:30"),
    row("tomorrow 9am london time", "2026-11-19T09:00:00+00:00", timezone="Europe/London"),
    row("tomorrow 9am eastern", "2026-11-19T09:00:00-05:00", timezone="America/New_York"),
    row("tomorrow 9am IST", "2026-11-19T09:00:00+05:30", timezone="Asia/Kolkata"),
    row("tomorrow 9am AEDT", "2026-11-20T09:00:00+11:00", timezone="Australia/Sydney"),
    # recurrence
    row("every day at 9", "2026-11-19T09:00:00+00:00", rrule="FREQ=DAILY"),
    row("daily at 9:30 until dec 21", "2026-11-19T09:30:00+00:00", rrule="FREQ=DAILY;UNTIL=20261221T235959Z"),
    row("every tuesday and thursday 9am", "2026-11-19T09:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=TU,TH"),
    row("every mon, wed and fri at 8am", "2026-11-20T08:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    row("every other thursday 2pm", "2026-11-19T14:00:00+00:00", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    row("weekly on fridays at 4pm", "2026-11-20T16:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=FR", title=None),
    row("mondays at 10am", "2026-11-23T10:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=MO"),
    row("every month on the 1st at 9am", "2026-12-01T09:00:00+00:00", rrule="FREQ=MONTHLY;BYMONTHDAY=1"),
    row("first monday of the month at 10am", "2026-12-07T10:00:00+00:00", rrule="FREQ=MONTHLY;BYDAY=1MO"),
    row("every last friday of the month 4pm", "2026-11-27T16:00:00+00:00", rrule="FREQ=MONTHLY;BYDAY=-1FR"),
    row("every monday 10am for 6 weeks", "2026-11-23T10:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20270103T235959Z"),
    row("every monday starting dec 7 at 10am", "2026-12-07T10:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=MO"),
    row("every day at 8am, 10 times", "2026-11-19T08:00:00+00:00", rrule="FREQ=DAILY;COUNT=10"),
    row("every weekend at 10am", "2026-11-21T10:00:00+00:00", rrule="FREQ=WEEKLY;BYDAY=SA,SU"),
    row("Retro every other friday 3-4pm", "2026-11-20T15:00:00+00:00", 60, title="Retro", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    # titles
    row("1:1 next monday 10am", "2026-11-23T10:00:00+00:00", title="1:1"),
    row("Q4 planning on Dec 3 at 4pm", "2026-12-03T16:00:00+00:00", title="Q4 planning"),
    row("march madness party mar 20 6pm", "2027-03-20T18:00:00+00:00", title="march madness party"),
    row("Design review tomorrow 3pm for 45m", "2026-11-19T15:00:00+00:00", 45, title="Design review"),
    row("Design review: tomorrow at 3pm", "2026-11-19T15:00:00+00:00", title="Design review"),
    row('"Design review" tomorrow 3pm', "2026-11-19T15:00:00+00:00", title="Design review"),
    row("Talk about PR 1234 next tuesday 3pm", "2026-11-24T15:00:00+00:00", title="Talk about PR 1234"),
    row("sync with @alice tomorrow 3pm", "2026-11-19T15:00:00+00:00", title="sync with @alice"),
    row("Daily standup at 9:30", "2026-11-19T09:30:00+00:00", title="standup", rrule="FREQ=DAILY"),  # the word is the repeat
    row("Standup now", "2026-11-18T14:00:00+00:00", title="Standup", instant=True),
    row("Lunch & learn <!channel> friday noon", "2026-11-20T12:00:00+00:00", title="Lunch & learn <!channel>"),
    # errors
    row("", "Tell me when"),
    row("   ", "Tell me when"),
    row("tomorrow 25:00", "isn't a time of day"),
    row("tomorrow 10:75", "isn't a time of day"),
    row("0am tomorrow", "isn't a time of day"),
    row("feb 30 3pm", "February has no day 30"),
    row("apr 31 10am", "April has no day 31"),
    row("dec 3 2025 3pm", "in the past"),
    row("yesterday 3pm", "in the past"),
    row("nov 18 10am", "in the past"),
    row("tomorrow 3pm for 0 minutes", "isn't a duration"),
    row("tomorrow 3pm for 25 hours", "isn't a duration"),
    row("tomorrow 3pm for 3 days", "isn't a duration"),
    row("every monday", "Add a time"),
    row("dec 3", "Add a time"),
    row("in 2 days", "Add a time"),
    row("Coffee with Sam", "couldn't find a time"),
    row("tomorrow 3pm 4pm", "two different times"),
    row("tomorrow friday 3pm", "two different days"),
    row("tomorrow 3pm PT CET", "two time zones"),
    row("3-4pm for 30m", "either an end time or a duration"),
    row("every weekday 9am until nov 1 2026", "ends before the first meeting"),
    row("x" * (MAX_TEXT_LENGTH + 1), "too long"),
]

NEW_YORK_DST = ("America/New_York", "2026-03-07T12:00:00")  # Saturday; clocks go forward Sun 02:00
LONDON_DST_END = ("Europe/London", "2026-10-24T12:00:00")  # Saturday; clocks go back Sun 02:00
LA_LATE = ("America/Los_Angeles", "2026-11-18T23:30:00")
TOKYO_LATE = ("Asia/Tokyo", "2026-11-18T23:50:00")
AUCKLAND_NYE = ("Pacific/Auckland", "2026-12-31T22:00:00")
KOLKATA = ("Asia/Kolkata", "2026-11-18T09:00:00")
BERLIN_SPRING = ("Europe/Berlin", "2026-03-28T12:00:00")
LA_SUMMER = ("America/Los_Angeles", "2026-07-01T08:00:00")

OTHER_ZONES = [
    row("tomorrow 10am", "2026-03-08T10:00:00-04:00", zone_now=NEW_YORK_DST),
    row("tomorrow 2:30am", "2026-03-08T03:30:00-04:00", zone_now=NEW_YORK_DST),  # inside the DST gap
    row("tomorrow 1am for 2h", "2026-03-08T01:00:00-05:00", 120, zone_now=NEW_YORK_DST, end="2026-03-08T04:00:00-04:00"),
    row("today 5pm", "2026-03-07T17:00:00-05:00", zone_now=NEW_YORK_DST),
    row("every monday 9am", "2026-03-09T09:00:00-04:00", zone_now=NEW_YORK_DST, rrule="FREQ=WEEKLY;BYDAY=MO"),
    row("tomorrow 10am", "2026-10-25T10:00:00+00:00", zone_now=LONDON_DST_END),
    row("at 3", "2026-10-24T15:00:00+01:00", zone_now=LONDON_DST_END),
    row("tomorrow 1am for 90m", "2026-10-25T01:00:00+01:00", 90, zone_now=LONDON_DST_END, end="2026-10-25T01:30:00+00:00"),
    row("tomorrow 10am", "2026-03-29T10:00:00+02:00", zone_now=BERLIN_SPRING),
    row("10am PST tomorrow", "PST isn't in use on Jul 2", zone_now=LA_SUMMER),  # PDT then: wall clock or UTC-8?
    row("tomorrow 9am ET", "2026-07-02T09:00:00-04:00", zone_now=LA_SUMMER),
    row("tomorrow 9am", "2026-11-19T09:00:00-08:00", zone_now=LA_LATE),
    row("at 9", "2026-11-19T09:00:00-08:00", zone_now=LA_LATE),
    row("in 45 minutes", "2026-11-19T00:15:00-08:00", zone_now=LA_LATE),
    row("Late sync tomorrow 8am", "2026-11-19T08:00:00+09:00", zone_now=TOKYO_LATE, title="Late sync"),
    row("in 20 minutes", "2026-11-19T00:10:00+09:00", zone_now=TOKYO_LATE),
    row("friday 3pm", "2026-11-20T15:00:00+09:00", zone_now=TOKYO_LATE),
    row("tomorrow 10am", "2027-01-01T10:00:00+13:00", zone_now=AUCKLAND_NYE),
    row("jan 2 9am", "2027-01-02T09:00:00+13:00", zone_now=AUCKLAND_NYE),
    row("every monday 9am", "2027-01-04T09:00:00+13:00", zone_now=AUCKLAND_NYE, rrule="FREQ=WEEKLY;BYDAY=MO"),
    row("dec 31 11pm", "2026-12-31T23:00:00+13:00", zone_now=AUCKLAND_NYE),
    row("tomorrow 3pm", "2026-11-19T15:00:00+05:30", zone_now=KOLKATA),
    row("11am CET", "2026-11-18T11:00:00+01:00", zone_now=KOLKATA),
    row("standup 10:30", "2026-11-18T10:30:00+05:30", zone_now=KOLKATA, title="standup"),
]


@pytest.mark.parametrize("text, zone, now, expected, duration, extra", SPEC_EXAMPLES + LONDON_MORE + OTHER_ZONES)
def test_phrase(text, zone, now, expected, duration, extra):
    if not expected[:4].isdigit():
        with pytest.raises(ParseError) as caught:
            parse_when(text, zone, datetime.fromisoformat(now))
        assert expected in caught.value.hint
        return
    parsed = parse_when(text, zone, datetime.fromisoformat(now))
    assert parsed.start.isoformat() == expected
    assert parsed.duration_minutes == (duration or 30)
    assert parsed.rrule == extra.get("rrule", parsed.rrule if "rrule" not in extra else None)
    for key, value in extra.items():
        if key == "end":
            assert parsed.end.isoformat() == value
        else:
            assert getattr(parsed, key) == value, key


def test_spec_example_count_is_at_least_eighty():
    assert len(SPEC_EXAMPLES + LONDON_MORE + OTHER_ZONES) >= 80


def test_json_shape_and_end():
    parsed = parse_when("Design review tomorrow 3pm for 45m", "America/Los_Angeles", datetime(2026, 11, 18, 9, 0))
    assert parsed.to_json() == {
        "title": "Design review",
        "start": "2026-11-19T15:00:00-08:00",
        "end": "2026-11-19T15:45:00-08:00",
        "duration_minutes": 45,
        "timezone": "America/Los_Angeles",
        "rrule": None,
        "instant": False,
    }


def test_no_rrule_without_recurrence():
    assert parse_when("tomorrow 10am", "UTC", datetime(2026, 11, 18, 14)).rrule is None


def test_readable_line():
    parsed = parse_when("Design review next wednesday 3pm for 45m", "America/Los_Angeles", datetime(2026, 11, 18, 14))
    assert format_line(parsed) == "Design review · Wed 25 Nov 2026, 15:00–15:45 PST (America/Los_Angeles)"
    weekly = parse_when("every monday 10am", "Europe/London", datetime(2026, 11, 18, 14))
    assert format_line(weekly).endswith("· weekly on Monday")


def test_aware_now_in_another_zone_is_converted():
    # 14:00 UTC is 06:00 in Los Angeles: "at 9" is today there.
    parsed = parse_when("at 9", "America/Los_Angeles", datetime.fromisoformat("2026-11-18T14:00:00+00:00"))
    assert parsed.start.isoformat() == "2026-11-18T09:00:00-08:00"


def test_unknown_user_zone_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_when("3pm", "Mars/Olympus_Mons", datetime(2026, 11, 18, 14))


def test_default_now_is_current_time():
    parsed = parse_when("in 10 minutes", "UTC")
    assert parsed.start > datetime.now(parsed.start.tzinfo)
