"""Table tests (issue #9 §1): Day words as typed, relative offsets, a weekday beside a date, pasted timestamps.

Each row: the phrase, the zone and `now` it is typed in, and the start (ISO, with the offset: DST matters) or
a fragment of the question asked instead.
"""

from __future__ import annotations

import pytest

from tests.timeparse.table import (
    AUCKLAND_SEP,
    BERLIN_FALL,
    KOLKATA,
    LA_SUMMER,
    LONDON,
    NY_SPRING,
    SAO_PAULO,
    SYDNEY_APR,
    SYDNEY_OCT,
    TOKYO_LATE,
    check,
    row,
)


DAY_WORDS = [
    row('tmrw 3pm', LONDON, '2026-11-19T15:00:00+00:00'),
    row('tmw 10am', LONDON, '2026-11-19T10:00:00+00:00'),
    row('tmr at 2', LONDON, '2026-11-19T14:00:00+00:00'),
    row('2moro 11am', LONDON, '2026-11-19T11:00:00+00:00'),
    row('tomorow 9am', LONDON, '2026-11-19T09:00:00+00:00'),
    row('tommorow 4pm', LONDON, '2026-11-19T16:00:00+00:00'),
    row('thurs 2pm', LONDON, '2026-11-19T14:00:00+00:00'),
    row('weds 10am', LONDON, '2026-11-25T10:00:00+00:00'),
    row('tues 3pm', LONDON, '2026-11-24T15:00:00+00:00'),
    row('thrusday 11am', NY_SPRING, '2026-03-12T11:00:00-04:00'),
    row('wendesday 9am', TOKYO_LATE, '2026-11-25T09:00:00+09:00'),
    row('fridya 4pm', KOLKATA, '2026-11-20T16:00:00+05:30'),
    row('satruday 10am', SYDNEY_OCT, '2026-10-10T10:00:00+11:00'),
    row('decmeber 3 2pm', SYDNEY_APR, '2026-12-03T14:00:00+11:00'),
    row('janaury 12 10am', LA_SUMMER, '2027-01-12T10:00:00-08:00'),
    row('sync tmrrow 3pm', BERLIN_FALL, '2026-10-25T15:00:00+01:00', title='sync'),
    row('review tonite at 8', AUCKLAND_SEP, '2026-09-26T20:00:00+12:00', title='review'),
    row('call tomorrw 2pm', SAO_PAULO, '2026-11-19T14:00:00-03:00', title='call'),
    row('mon 9am', LONDON, '2026-11-23T09:00:00+00:00'),
    row('sun 11am', NY_SPRING, '2026-03-08T11:00:00-04:00'),
    row('2morrow at 5', KOLKATA, '2026-11-19T17:00:00+05:30'),
    row('tdy 4pm', LONDON, '2026-11-18T16:00:00+00:00'),
    row('Standup tommorrow 9:30', SYDNEY_OCT, '2026-10-04T09:30:00+11:00', title='Standup'),
    row('the 5th of next month at 3pm', NY_SPRING, '2026-04-05T15:00:00-04:00'),
    row('end of week 3pm', TOKYO_LATE, "I didn't understand “end of week” here"),
    row('christmas 10am', KOLKATA, "I didn't understand “christmas” here"),
    row('Christmas party dec 18 7pm', SYDNEY_OCT, '2026-12-18T19:00:00+11:00', title='Christmas party'),
    row('before noon tomorrow', BERLIN_FALL, "I didn't understand “before” here"),
]


@pytest.mark.parametrize("case", DAY_WORDS)
def test_day_words(case):
    check(case)


RELATIVE = [
    row('in a couple of hours', LONDON, '2026-11-18T16:00:00+00:00'),
    row('in an hr', LONDON, '2026-11-18T15:00:00+00:00'),
    row('in 1h30', LONDON, '2026-11-18T15:30:00+00:00'),
    row('in 90 min', LONDON, '2026-11-18T15:30:00+00:00'),
    row('in 2 and a half hours', LONDON, '2026-11-18T16:30:00+00:00'),
    row('half an hour from now', LONDON, '2026-11-18T14:30:00+00:00'),
    row('now + 15m', LONDON, '2026-11-18T14:15:00+00:00'),
    row('in 24 hours', LONDON, '2026-11-19T14:00:00+00:00'),
    row('in 3 days at 10am', LONDON, '2026-11-21T10:00:00+00:00'),
    row('an hour from now', LONDON, '2026-11-18T15:00:00+00:00'),
    row('sync in 20 mins', NY_SPRING, '2026-03-07T12:20:00-05:00', title='sync'),
    row('call in 45 minutes', TOKYO_LATE, '2026-11-19T00:35:00+09:00', title='call'),
    row('in 2 hours for 1h', KOLKATA, '2026-11-18T11:00:00+05:30', 60),
    row('in 10 min', SYDNEY_OCT, '2026-10-03T12:10:00+10:00'),
    row('in 3 hours', SYDNEY_APR, '2026-04-04T15:00:00+11:00'),
    row('in 2 days at 9am', LA_SUMMER, '2026-07-03T09:00:00-07:00'),
    row('in a week at 3pm', BERLIN_FALL, '2026-10-31T15:00:00+01:00'),
    row("in 15'", AUCKLAND_SEP, '2026-09-26T12:15:00+12:00'),
    row('in 1/4h', SAO_PAULO, '2026-11-18T10:15:00-03:00'),
    row('in 99999999999 minutes', LONDON, 'is more than I can schedule. Use a smal'),
    row('now+30min', LONDON, '2026-11-18T14:30:00+00:00'),
    row('in a few minutes', LONDON, '2026-11-18T14:03:00+00:00'),
    row('in 1.5 hours', NY_SPRING, '2026-03-07T13:30:00-05:00'),
]


@pytest.mark.parametrize("case", RELATIVE)
def test_relative(case):
    check(case)


WEEKDAY_DATE = [
    row('Tue, Dec 8 at 2pm', LONDON, '2026-12-08T14:00:00+00:00'),
    row('Thursday 3 December 10:00', LONDON, '2026-12-03T10:00:00+00:00'),
    row('Wed, Dec 8 at 2pm', LONDON, 'Dec 8 is a Tuesday, not a Wednesday'),
    row('Friday Dec 4 3pm', NY_SPRING, '2026-12-04T15:00:00-05:00'),
    row('monday, december 7th at 9am', TOKYO_LATE, '2026-12-07T09:00:00+09:00'),
    row('Sat 5 Dec 11:00', KOLKATA, '2026-12-05T11:00:00+05:30'),
    row('Sunday October 11 10am', SYDNEY_OCT, '2026-10-11T10:00:00+11:00'),
    row('Thursday 9 April 2pm', SYDNEY_APR, '2026-04-09T14:00:00+10:00'),
    row('Wed July 8 9am', LA_SUMMER, '2026-07-08T09:00:00-07:00'),
    row('Mon 26 Oct 10:00', BERLIN_FALL, '2026-10-26T10:00:00+01:00'),
    row('Tuesday 29 September 3pm', AUCKLAND_SEP, '2026-09-29T15:00:00+13:00'),
    row('Fri 20 Nov 2026 4pm', SAO_PAULO, '2026-11-20T16:00:00-03:00'),
    row('Thu 12/3 at 10am', LONDON, '2026-12-03T10:00:00+00:00'),
    row('Friday the 4th of December at noon', LONDON, '2026-12-04T12:00:00+00:00'),
    row('Monday Oct 12 9am', SYDNEY_OCT, '2026-10-12T09:00:00+11:00'),
    row('Tuesday Dec 8 2026 at 2pm', KOLKATA, '2026-12-08T14:00:00+05:30'),
    row('Wednesday 3 december 10am', TOKYO_LATE, 'Dec 3 is a Thursday, not a Wednesday'),
    row('Sat Nov 21 10am', LONDON, '2026-11-21T10:00:00+00:00'),
]


@pytest.mark.parametrize("case", WEEKDAY_DATE)
def test_weekday_date(case):
    check(case)


TIMESTAMPS = [
    row('2026-12-03T15:00:00+01:00', LONDON, '2026-12-03T15:00:00+01:00', timezone='Etc/GMT-1'),
    row('12/03/2026 3:00 PM', LONDON, '2026-12-03T15:00:00+00:00'),
    row('03.12.2026 15:00', LONDON, '2026-12-03T15:00:00+00:00'),
    row('Dec 3, 2026 3:00 PM EST', LONDON, '2026-12-03T15:00:00-05:00', timezone='America/New_York'),
    row('Thu, 03 Dec 2026 15:00:00 +0100', LONDON, '2026-12-03T15:00:00+01:00', timezone='Etc/GMT-1'),
    row('2026-12-03T15:00:00Z', NY_SPRING, '2026-12-03T15:00:00+00:00', timezone='UTC'),
    row('2026-12-03 09:30', TOKYO_LATE, '2026-12-03T09:30:00+09:00'),
    row('2026-10-10T10:00:00+11:00', SYDNEY_OCT, '2026-10-10T10:00:00+11:00', timezone='Etc/GMT-11'),
    row('2026-04-05T01:30:00+10:00', SYDNEY_APR, '2026-04-05T01:30:00+10:00', timezone='Etc/GMT-10'),
    row('07/04/2026 10:00 AM', LA_SUMMER, '2026-07-04T10:00:00-07:00'),
    row('25.10.2026 09:00', BERLIN_FALL, '2026-10-25T09:00:00+01:00'),
    row('30.09.2026 14:30', AUCKLAND_SEP, '2026-09-30T14:30:00+13:00'),
    row('2026-11-20T13:00:00-03:00', SAO_PAULO, '2026-11-20T13:00:00-03:00', timezone='Etc/GMT+3'),
    row('Dec 10, 2026 10:30 AM PST', LONDON, '2026-12-10T10:30:00-08:00', timezone='America/Los_Angeles'),
    row('2026-12-03T15:00', LONDON, '2026-12-03T15:00:00+00:00'),
    row('Fri, 04 Dec 2026 09:00:00 -0500', KOLKATA, '2026-12-04T09:00:00-05:00', timezone='Etc/GMT+5'),
    row('12/3/2026 9am', NY_SPRING, '2026-12-03T09:00:00-05:00'),
    row('2026-12-03 15:00 UTC', LONDON, '2026-12-03T15:00:00+00:00', timezone='UTC'),
]


@pytest.mark.parametrize("case", TIMESTAMPS)
def test_timestamps(case):
    check(case)
