"""Table tests (issue #9 §1). Clock forms: arithmetic, an hour with a part of the day, 24-hour and compact forms, approximate times, number words.

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


ARITHMETIC = [
    row('quarter past 4', LONDON, '2026-11-18T16:15:00+00:00'),
    row('half past nine', LONDON, '2026-11-19T09:30:00+00:00'),
    row('ten to 5pm', LONDON, '2026-11-18T16:50:00+00:00'),
    row('20 minutes past noon', LONDON, '2026-11-19T12:20:00+00:00'),
    row('5 mins before 3pm', LONDON, '2026-11-18T14:55:00+00:00'),
    row('quarter to 10 tomorrow', LONDON, '2026-11-19T09:45:00+00:00'),
    row('15 minutes after 2pm', LONDON, '2026-11-18T14:15:00+00:00'),
    row('Sync at quarter past 10 tomorrow', NY_SPRING, '2026-03-08T10:15:00-04:00', title='Sync'),
    row('quarter to midnight', TOKYO_LATE, '2026-11-19T23:45:00+09:00'),
    row('ten past 8 in the morning', KOLKATA, '2026-11-19T08:10:00+05:30'),
    row('25 to 7pm sunday', SYDNEY_OCT, '2026-10-04T18:35:00+11:00'),
    row('half past 1 tomorrow', SYDNEY_APR, '2026-04-05T13:30:00+10:00'),
    row('5 past 11 tomorrow', LA_SUMMER, '2026-07-02T11:05:00-07:00'),
    row('quarter of 10 tomorrow', BERLIN_FALL, '2026-10-25T09:45:00+01:00'),
    row('10 minutes before noon tomorrow', AUCKLAND_SEP, '2026-09-27T11:50:00+13:00'),
    row('twenty to six pm', LONDON, '2026-11-18T17:40:00+00:00'),
    row('half past two on friday', NY_SPRING, '2026-03-13T14:30:00-04:00'),
    row('quarter past 2am sunday', SYDNEY_OCT, '2026-10-04T03:15:00+11:00'),
    row('5 mins after 1pm tomorrow', SAO_PAULO, '2026-11-19T13:05:00-03:00'),
    row('ten to midnight', LONDON, '2026-11-18T23:50:00+00:00'),
    row('half past 12', KOLKATA, '2026-11-18T12:30:00+05:30'),
    row('quarter to 2 tomorrow for 45m', BERLIN_FALL, '2026-10-25T13:45:00+01:00', 45),
    row('half to 3', LONDON, "I couldn't find a time in “half to 3”"),
    row('70 minutes past 3pm', LONDON, "I didn't understand “70 minutes past 3pm” here"),
]


@pytest.mark.parametrize("case", ARITHMETIC)
def test_arithmetic(case):
    check(case)


DAY_PART = [
    row('7 tonight', LONDON, '2026-11-18T19:00:00+00:00'),
    row('6 this evening', LONDON, '2026-11-18T18:00:00+00:00'),
    row('10 in the morning', LONDON, '2026-11-19T10:00:00+00:00'),
    row('2 in the afternoon tomorrow', LONDON, '2026-11-19T14:00:00+00:00'),
    row('9 tomorrow night', LONDON, '2026-11-19T21:00:00+00:00'),
    row('at 8 tomorrow', LONDON, '2026-11-19T08:00:00+00:00'),
    row('midnight', LONDON, '2026-11-19T00:00:00+00:00'),
    row('noon tomorrow', LONDON, '2026-11-19T12:00:00+00:00'),
    row('Dinner 8 tonight', NY_SPRING, '2026-03-07T20:00:00-05:00', title='Dinner'),
    row('call 5 in the afternoon', TOKYO_LATE, '2026-11-19T17:00:00+09:00', title='call'),
    row('standup 9 in the morning tomorrow', KOLKATA, '2026-11-19T09:00:00+05:30', title='standup'),
    row('Drinks 7 this evening', SYDNEY_OCT, '2026-10-03T19:00:00+10:00', title='Drinks'),
    row('11 in the morning sunday', SYDNEY_APR, '2026-04-05T11:00:00+10:00'),
    row('drinks friday 6 in the evening', LA_SUMMER, '2026-07-03T18:00:00-07:00', title='drinks'),
    row("3 o'clock in the afternoon", BERLIN_FALL, '2026-10-24T15:00:00+02:00'),
    row('Morning run at 7 tomorrow', AUCKLAND_SEP, '2026-09-27T07:00:00+13:00', title='Morning run'),
    row('Evening review at 8', SAO_PAULO, '2026-11-18T20:00:00-03:00', title='Evening review'),
    row('8am tonight', LONDON, 'Did you mean 8am or 8pm? Say which, e'),
    row('12 tonight', LONDON, 'Did you mean noon or midnight? Say which, e'),
    row('tomorrow at 4 in the morning', LONDON, '2026-11-19T04:00:00+00:00'),
    row('noon', TOKYO_LATE, '2026-11-19T12:00:00+09:00'),
    row('tonight at 9:30', KOLKATA, '2026-11-18T21:30:00+05:30'),
    row('friday at 1 in the afternoon', NY_SPRING, '2026-03-13T13:00:00-04:00'),
    row('1 at night', LONDON, '2026-11-19T01:00:00+00:00'),
]


@pytest.mark.parametrize("case", DAY_PART)
def test_day_part(case):
    check(case)


COMPACT = [
    row('14h', LONDON, '2026-11-19T14:00:00+00:00'),
    row('14h30', LONDON, '2026-11-18T14:30:00+00:00'),
    row('9h15 - 10h45', LONDON, '2026-11-19T09:15:00+00:00', 90),
    row('1400', LONDON, '2026-11-19T14:00:00+00:00'),
    row('at 0930', LONDON, '2026-11-19T09:30:00+00:00'),
    row('4p', LONDON, '2026-11-18T16:00:00+00:00'),
    row('9:45a', LONDON, '2026-11-19T09:45:00+00:00'),
    row('10 a.m.', LONDON, '2026-11-19T10:00:00+00:00'),
    row("3 o'clock", LONDON, '2026-11-18T15:00:00+00:00'),
    row('3 oclock pm', LONDON, '2026-11-18T15:00:00+00:00'),
    row('at 4 30', LONDON, '2026-11-18T16:30:00+00:00'),
    row('1130', LONDON, '2026-11-19T11:30:00+00:00'),
    row('15h00', LONDON, '2026-11-18T15:00:00+00:00'),
    row('tomorrow 16h', NY_SPRING, '2026-03-08T16:00:00-04:00'),
    row('friday 0800', TOKYO_LATE, '2026-11-20T08:00:00+09:00'),
    row('Standup tmrw 930', KOLKATA, '2026-11-19T09:30:00+05:30', title='Standup'),
    row('sync 11a sunday', SYDNEY_OCT, '2026-10-04T11:00:00+11:00', title='sync'),
    row('at 1545 tomorrow', SYDNEY_APR, '2026-04-05T15:45:00+10:00'),
    row('2p tomorrow for 1h', LA_SUMMER, '2026-07-02T14:00:00-07:00', 60),
    row('tomorrow 20h15', BERLIN_FALL, '2026-10-25T20:15:00+01:00'),
    row('tomorrow 7:30p', AUCKLAND_SEP, '2026-09-27T19:30:00+13:00'),
    row('3 p.m. tomorrow', SAO_PAULO, '2026-11-19T15:00:00-03:00'),
    row('tomorrow at 2 45 pm', LONDON, '2026-11-19T14:45:00+00:00'),
    row('PR 1234 review', LONDON, "I couldn't find a time in “PR 1234 review”"),
    row('tomorrow 3pm 1h30', LONDON, '2026-11-19T15:00:00+00:00', 90),
]


@pytest.mark.parametrize("case", COMPACT)
def test_compact(case):
    check(case)


APPROXIMATE = [
    row('~3pm', LONDON, '2026-11-18T15:00:00+00:00'),
    row('3ish', LONDON, '2026-11-18T15:00:00+00:00'),
    row('around 4', LONDON, '2026-11-18T16:00:00+00:00'),
    row('noonish', LONDON, '2026-11-19T12:00:00+00:00'),
    row('about 10:30', LONDON, '2026-11-19T10:30:00+00:00'),
    row('tomorrow ~10am', NY_SPRING, '2026-03-08T10:00:00-04:00'),
    row('friday 2ish', TOKYO_LATE, '2026-11-20T14:00:00+09:00'),
    row('lunch around noon tomorrow', KOLKATA, '2026-11-19T12:00:00+05:30', title='lunch'),
    row('at about 4pm sunday', SYDNEY_OCT, '2026-10-04T16:00:00+11:00'),
    row('call around 5:30 tomorrow', SYDNEY_APR, '2026-04-05T17:30:00+10:00', title='call'),
    row('~ 9am tomorrow', LA_SUMMER, '2026-07-02T09:00:00-07:00'),
    row('tomorrow 4pmish', BERLIN_FALL, '2026-10-25T16:00:00+01:00'),
    row('around 11 tomorrow', AUCKLAND_SEP, '2026-09-27T11:00:00+13:00'),
    row('approx 3pm tomorrow', SAO_PAULO, '2026-11-19T15:00:00-03:00'),
    row('roughly 2pm friday', LONDON, '2026-11-20T14:00:00+00:00'),
    row('tomorrow at around 10', LONDON, '2026-11-19T10:00:00+00:00'),
    row('about 3 tomorrow', KOLKATA, '2026-11-19T15:00:00+05:30'),
    row('sync ~4:15 tomorrow', NY_SPRING, '2026-03-08T16:15:00-04:00', title='sync'),
]


@pytest.mark.parametrize("case", APPROXIMATE)
def test_approximate(case):
    check(case)


NUMBER_WORDS = [
    row('at three thirty', LONDON, '2026-11-18T15:30:00+00:00'),
    row('ten fifteen am', LONDON, '2026-11-19T10:15:00+00:00'),
    row('at seven', LONDON, '2026-11-18T19:00:00+00:00'),
    row('in twenty minutes', LONDON, '2026-11-18T14:20:00+00:00'),
    row('tomorrow 3pm for forty-five minutes', LONDON, '2026-11-19T15:00:00+00:00', 45),
    row('at nine tomorrow', NY_SPRING, '2026-03-08T09:00:00-04:00'),
    row('tomorrow at eleven thirty', TOKYO_LATE, '2026-11-19T11:30:00+09:00'),
    row('friday at two pm', KOLKATA, '2026-11-20T14:00:00+05:30'),
    row('at four forty five pm tomorrow', SYDNEY_OCT, '2026-10-04T16:45:00+11:00'),
    row('in thirty minutes', SYDNEY_APR, '2026-04-04T12:30:00+11:00'),
    row('tomorrow at ten for an hour', LA_SUMMER, '2026-07-02T10:00:00-07:00', 60),
    row('at eight oh five tomorrow', BERLIN_FALL, '2026-10-25T08:05:00+01:00'),
    row('sunday at twelve fifteen', AUCKLAND_SEP, '2026-09-27T12:15:00+13:00'),
    row('in forty five minutes', SAO_PAULO, '2026-11-18T10:45:00-03:00'),
    row('tomorrow at one for ninety minutes', LONDON, '2026-11-19T13:00:00+00:00', 90),
    row('nine thirty tomorrow', LONDON, '2026-11-19T09:30:00+00:00'),
    row('in two hours', KOLKATA, '2026-11-18T11:00:00+05:30'),
    row('at six tomorrow evening', NY_SPRING, '2026-03-08T18:00:00-04:00'),
]


@pytest.mark.parametrize("case", NUMBER_WORDS)
def test_number_words(case):
    check(case)
