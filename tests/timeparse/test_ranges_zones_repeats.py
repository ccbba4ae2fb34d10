"""Table tests (issue #9 §1): Two zones for one time, ranges, recurrence and how it ends.

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


TWO_ZONES = [
    row('10am PT / 1pm ET', LONDON, '2026-11-18T10:00:00-08:00', timezone='America/Los_Angeles'),
    row('10am PT / 2pm ET', LONDON, '10am PT is 1pm ET, and 2pm ET is 11am PT'),
    row('3pm CET (9am ET) tomorrow', LONDON, '2026-11-19T15:00:00+01:00', timezone='Europe/Berlin'),
    row('tomorrow 9am PT / 5pm UK time', LONDON, '2026-11-19T09:00:00-08:00', timezone='America/Los_Angeles'),
    row('friday 4pm GMT / 11am EST', NY_SPRING, '4pm GMT is 12pm EST, and 11am EST is 3pm GMT'),
    row('tomorrow 10am JST / 1am UTC', TOKYO_LATE, '2026-11-19T10:00:00+09:00'),
    row('tomorrow 2:30pm IST / 9am GMT', KOLKATA, '2026-11-19T14:30:00+05:30'),
    row('monday 9am AEST / 10am AEDT', SYDNEY_OCT, '9am AEST is 9am AEDT'),
    row('tomorrow 9am PT / 12pm ET', LA_SUMMER, '2026-07-02T09:00:00-07:00'),
    row('tomorrow 5pm CET / 4pm GMT', BERLIN_FALL, '2026-10-25T17:00:00+01:00'),
    row('tomorrow 9am NZST / 9pm UTC', AUCKLAND_SEP, '9am NZST is 8pm UTC, and 9pm UTC is 10am NZST'),
    row('tomorrow 3pm CET or 9am ET', LONDON, '2026-11-19T15:00:00+01:00', timezone='Europe/Berlin'),
    row('tomorrow 10am ET / 3pm GMT', LONDON, '2026-11-19T10:00:00-05:00', timezone='America/New_York'),
    row('tomorrow 10am ET / 4pm GMT', LONDON, '10am ET is 3pm GMT, and 4pm GMT is 11am ET'),
    row('tomorrow 8am PT / 4pm London time', LONDON, '2026-11-19T08:00:00-08:00', timezone='America/Los_Angeles'),
    row('tomorrow 11am ET / 10am CT', NY_SPRING, '2026-03-08T11:00:00-04:00'),
]


@pytest.mark.parametrize("case", TWO_ZONES)
def test_two_zones(case):
    check(case)


RANGES = [
    row('from 10 to noon', LONDON, '2026-11-19T10:00:00+00:00', 120),
    row('3:30 to six pm', LONDON, '2026-11-18T15:30:00+00:00', 150),
    row('between 2 and 3:30pm', LONDON, '2026-11-19T14:00:00+00:00', 90),
    row('2pm - 4:00pm', LONDON, '2026-11-19T14:00:00+00:00', 120),
    row('at 4 for 45', LONDON, '2026-11-18T16:00:00+00:00', 45),
    row('3pm-2pm', LONDON, 'The meeting would end (14:00) before it starts ('),
    row('tomorrow 9-11', NY_SPRING, '2026-03-08T09:00:00-04:00', 120),
    row('friday 10am to 12pm', TOKYO_LATE, '2026-11-20T10:00:00+09:00', 120),
    row('tomorrow from 9:30 to 11', KOLKATA, '2026-11-19T09:30:00+05:30', 90),
    row('sunday 1-3pm', SYDNEY_OCT, '2026-10-04T13:00:00+11:00', 120),
    row('tomorrow 2 till 4pm', SYDNEY_APR, '2026-04-05T14:00:00+10:00', 120),
    row('tomorrow 10pm-1am', LA_SUMMER, '2026-07-02T22:00:00-07:00', 180),
    row('sunday 1am-4am', BERLIN_FALL, '2026-10-25T01:00:00+02:00', 180),
    row('tomorrow 16:00-17:30', AUCKLAND_SEP, '2026-09-27T16:00:00+13:00', 90),
    row('tomorrow 9h - 10h30', SAO_PAULO, '2026-11-19T09:00:00-03:00', 90),
    row('tomorrow 11-1', LONDON, '2026-11-19T11:00:00+00:00', 120),
    row('tomorrow 7-8', LONDON, 'Did you mean 7:00–8:00am or 7:00–8:00pm? Say whi'),
    row('tomorrow at 2 for 90', LONDON, '2026-11-19T14:00:00+00:00', 90),
    row('tomorrow 3pm for 2', LONDON, ': minutes or hours? Say which, e.g. `for'),
    row('from 1400 to 1530 tomorrow', LONDON, '2026-11-19T14:00:00+00:00', 90),
    row('tomorrow 4pm until 6pm', NY_SPRING, '2026-03-08T16:00:00-04:00', 120),
    row('10 - 11 at night', LONDON, '2026-11-18T22:00:00+00:00', 60),
    row('9-11 in the morning', SYDNEY_APR, '2026-04-05T09:00:00+10:00', 120),
    row('tomorrow 2-4 in the afternoon', NY_SPRING, '2026-03-08T14:00:00-04:00', 120),
    row('7-9 tonight', BERLIN_FALL, '2026-10-24T19:00:00+02:00', 120),
    row('10 til 5', TOKYO_LATE, '2026-11-19T10:00:00+09:00', 420),
    row('sync 10 to 11', KOLKATA, '2026-11-18T10:00:00+05:30', 60, title='sync'),
    row('from 2 to 3 weeks', LONDON, "I couldn't find a time in “from 2 to 3 weeks”"),
    row('tomorrow 2-3 hours', SYDNEY_OCT, "I didn't understand “2-3 hours” here"),
    row('tomorrow 3pm for 30 or 45 minutes', BERLIN_FALL, "I didn't understand “30 or 45 minutes” here"),
    row('1400 hrs tomorrow', AUCKLAND_SEP, '2026-09-27T14:00:00+13:00'),
    row('3 to 4 people', SAO_PAULO, "I couldn't find a time in “3 to 4 people”"),
]


@pytest.mark.parametrize("case", RANGES)
def test_ranges(case):
    check(case)


RECURRENCE = [
    row('every monday 10am until end of march', LONDON, '2026-11-23T10:00:00+00:00', rrule='FREQ=WEEKLY;BYDAY=MO;UNTIL=20270331T225959Z'),
    row('weekly on tuesday 3pm through january', LONDON, '2026-11-24T15:00:00+00:00', rrule='FREQ=WEEKLY;BYDAY=TU;UNTIL=20270131T235959Z'),
    row('daily at 9 until friday', LONDON, '2026-11-19T09:00:00+00:00', rrule='FREQ=DAILY;UNTIL=20261120T235959Z'),
    row('every monday 10am for the next 6 weeks', LONDON, '2026-11-23T10:00:00+00:00', rrule='FREQ=WEEKLY;BYDAY=MO;UNTIL=20270103T235959Z'),
    row('mon-fri at 9', LONDON, '2026-11-19T09:00:00+00:00', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
    row('weekdays 9:30', LONDON, '2026-11-19T09:30:00+00:00', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
    row('biweekly on thursdays 2pm', LONDON, '2026-11-19T14:00:00+00:00', rrule='FREQ=WEEKLY;INTERVAL=2;BYDAY=TH'),
    row('last friday of the month 4pm', LONDON, '2026-11-27T16:00:00+00:00', rrule='FREQ=MONTHLY;BYDAY=-1FR'),
    row('every 3 weeks on monday 10am', LONDON, '2026-11-23T10:00:00+00:00', rrule='FREQ=WEEKLY;INTERVAL=3;BYDAY=MO'),
    row('every monday 9am until march', LONDON, 'Did you mean until the start of March or through'),
    row('every monday 9am until whenever', LONDON, "I couldn't tell when the repeat ends (“until whe"),
    row('every 99999999999 days at 3pm', LONDON, 'is more than I can schedule. Use a smal'),
    row('every friday 4pm, 10000 times', LONDON, 'A repeat needs 1 to 730 occurrences, e'),
    row('standup mon-fri 9:15 until dec 31', NY_SPRING, '2026-03-09T09:15:00-04:00', title='standup', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270101T045959Z'),
    row('every tuesday 8pm until end of the month', TOKYO_LATE, '2026-11-24T20:00:00+09:00', rrule='FREQ=WEEKLY;BYDAY=TU;UNTIL=20261130T145959Z'),
    row('every day at 7am for 2 weeks', KOLKATA, '2026-11-19T07:00:00+05:30', rrule='FREQ=DAILY;UNTIL=20261202T182959Z'),
    row('every sunday 10am until end of october', SYDNEY_OCT, '2026-10-04T10:00:00+11:00', rrule='FREQ=WEEKLY;BYDAY=SU;UNTIL=20261031T125959Z'),
    row('every monday 9am through april', SYDNEY_APR, '2026-04-06T09:00:00+10:00', rrule='FREQ=WEEKLY;BYDAY=MO;UNTIL=20260430T135959Z'),
    row('every other wednesday 10am until aug 31', LA_SUMMER, '2026-07-01T10:00:00-07:00', rrule='FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260901T065959Z'),
    row('every weekday 8:30 until end of year', BERLIN_FALL, '2026-10-26T08:30:00+01:00', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T225959Z'),
    row('every month on the last friday 3pm', AUCKLAND_SEP, '2026-10-30T15:00:00+13:00', rrule='FREQ=MONTHLY;BYDAY=-1FR'),
    row('every thursday 2pm for 3 months', SAO_PAULO, '2026-11-19T14:00:00-03:00', rrule='FREQ=WEEKLY;BYDAY=TH;UNTIL=20270219T025959Z'),
    row('every monday 10am until next friday', LONDON, 'Did you mean Fri Nov 20 or Fri Nov 27?'),
    row('every monday 10am until friday', LONDON, 'The repeat ends before the first meeting'),
    row('tue-thu at 10am', LONDON, '2026-11-19T10:00:00+00:00', rrule='FREQ=WEEKLY;BYDAY=TU,WE,TH'),
    row('standup every day at 9:30 except weekends', NY_SPRING, '2026-03-09T09:30:00-04:00', title='standup', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
    row('every weekday except friday 9am', TOKYO_LATE, '2026-11-19T09:00:00+09:00', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH'),
    row('every friday 4pm x6', KOLKATA, '2026-11-20T16:00:00+05:30', rrule='FREQ=WEEKLY;BYDAY=FR;COUNT=6'),
    row('every tue 10', SYDNEY_OCT, '2026-10-06T10:00:00+11:00', rrule='FREQ=WEEKLY;BYDAY=TU'),
    row('every day at 9 for a week', SYDNEY_APR, '2026-04-05T09:00:00+10:00', rrule='FREQ=DAILY;UNTIL=20260411T135959Z'),
    row('every tuesday at 10 until the 15th', LA_SUMMER, '2026-07-07T10:00:00-07:00', rrule='FREQ=WEEKLY;BYDAY=TU;UNTIL=20260716T065959Z'),
    row('monthly on the 1st 9am until june 2027', BERLIN_FALL, 'Did you mean until the start of June or through '),
    row('recurring every tuesday 3pm', AUCKLAND_SEP, '2026-09-29T15:00:00+13:00', rrule='FREQ=WEEKLY;BYDAY=TU'),
    row('every 15 minutes', SAO_PAULO, "I couldn't find a time in “every”"),
]


@pytest.mark.parametrize("case", RECURRENCE)
def test_recurrence(case):
    check(case)
