"""Table tests (issue #9 §1): phrases as people type them in Slack, with titles, typos and the odd question back.

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


SLACK = [
    row('sync w/ bob tmrw 2pm', LONDON, '2026-11-19T14:00:00+00:00', title='sync w/ bob'),
    row('standup tomorrow @ 9:30', NY_SPRING, '2026-03-08T09:30:00-04:00', title='standup'),
    row('coffee chat thurs 3p', TOKYO_LATE, '2026-11-19T15:00:00+09:00', title='coffee chat'),
    row('1:1 w/ sarah next tues 11am', KOLKATA, '2026-11-24T11:00:00+05:30', title='1:1 w/ sarah'),
    row('quick call in 10 mins', SYDNEY_OCT, '2026-10-03T12:10:00+10:00', title='quick call'),
    row('lunch tomorrow at noon for an hour', SYDNEY_APR, '2026-04-05T12:00:00+10:00', 60, title='lunch'),
    row('interview fri 2-3pm', LA_SUMMER, '2026-07-03T14:00:00-07:00', 60, title='interview'),
    row('design review wed 10-11:30', BERLIN_FALL, '2026-10-28T10:00:00+01:00', 90, title='design review'),
    row('retro every other friday 4pm', AUCKLAND_SEP, '2026-10-02T16:00:00+13:00', title='retro', rrule='FREQ=WEEKLY;INTERVAL=2;BYDAY=FR'),
    row('weekly 1:1 tuesdays 2pm', SAO_PAULO, '2026-11-24T14:00:00-03:00', title='1:1', rrule='FREQ=WEEKLY;BYDAY=TU'),
    row('board meeting dec 3rd 9am-12pm', LONDON, '2026-12-03T09:00:00+00:00', 180, title='board meeting'),
    row('chat tomorrow morning 10ish', NY_SPRING, '2026-03-08T10:00:00-04:00', title='chat'),
    row('demo thursday afternoon at 3', TOKYO_LATE, '2026-11-19T15:00:00+09:00', title='demo'),
    row('all hands next friday 10am PT', KOLKATA, 'Did you mean Fri Nov 20 or Fri Nov 27? Say which, e.g. `this fri` or `fri nov 27`.'),
    row('all hands this friday 10am PT', KOLKATA, '2026-11-20T10:00:00-08:00', title='all hands', timezone='America/Los_Angeles'),
    row('offsite planning monday 9am EST for 2 hours', SYDNEY_OCT, "EST isn't in use on Oct 5"),
    row('review PR #1234 tomorrow 3pm', SYDNEY_APR, '2026-04-05T15:00:00+10:00', title='review PR #1234'),
    row('Q1 planning jan 15 10am', LA_SUMMER, '2027-01-15T10:00:00-08:00', title='Q1 planning'),
    row('dinner tonight at 7', BERLIN_FALL, '2026-10-24T19:00:00+02:00', title='dinner'),
    row('quick chat 3pm ET / 12pm PT', AUCKLAND_SEP, '2026-09-26T15:00:00-04:00', title='quick chat', timezone='America/New_York'),
    row('Catch up @ 2', SAO_PAULO, '2026-11-18T14:00:00-03:00', title='Catch up'),
    row('tomorrow 9-10', LONDON, '2026-11-19T09:00:00+00:00', 60),
    row('eod friday', NY_SPRING, '2026-03-13T17:00:00-04:00'),
    row('every tue and thu at 10', TOKYO_LATE, '2026-11-19T10:00:00+09:00', rrule='FREQ=WEEKLY;BYDAY=TU,TH'),
    row('Team meeting 3pm on the 15th', KOLKATA, '2026-12-15T15:00:00+05:30', title='Team meeting'),
    row('Dec 10 @ 2:30pm', SYDNEY_OCT, '2026-12-10T14:30:00+11:00'),
    row('Standup tmrw 930', SYDNEY_APR, '2026-04-05T09:30:00+10:00', title='Standup'),
    row('call with the team at half past two', LA_SUMMER, '2026-07-01T14:30:00-07:00', title='call with the team'),
    row('sunday brunch 11:30', BERLIN_FALL, '2026-10-25T11:30:00+01:00', title='brunch'),
    row('for 45 mins tomorrow at 2', AUCKLAND_SEP, '2026-09-27T14:00:00+13:00', 45),
    row('meet up at around 5 tomorrow', SAO_PAULO, '2026-11-19T17:00:00-03:00', title='meet up'),
    row('Meeting with John on Friday at 10 am', LONDON, '2026-11-20T10:00:00+00:00', title='Meeting with John'),
    row('sync tomorrow at 3 or 4', LONDON, "I didn't understand “or 4” here"),
    row('call sometime tomorrow', NY_SPRING, 'Add a time, e'),
    row('standup tmrrw 9am', TOKYO_LATE, '2026-11-19T09:00:00+09:00', title='standup'),
    row('lunch next thrusday noon', KOLKATA, 'Did you mean Thu Nov 19 or Thu Nov 26?'),
    row('lunch next monday noon', KOLKATA, '2026-11-23T12:00:00+05:30', title='lunch'),  # only one reading
    row('review 3pm on teusday', SYDNEY_OCT, '2026-10-06T15:00:00+11:00', title='review'),
    row('planning at 10 until 11:30 wednesday', SYDNEY_APR, '2026-04-08T10:00:00+10:00', 90, title='planning'),
    row('1on1 every monday 9:30 until end of june', LA_SUMMER, '2026-07-06T09:30:00-07:00', title='1on1', rrule='FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T065959Z'),
    row('interview in an hour for 45 min', BERLIN_FALL, '2026-10-24T13:00:00+02:00', 45, title='interview'),
    row('Sync @ 14:00 CET tmrw', AUCKLAND_SEP, '2026-09-27T14:00:00+02:00', title='Sync', timezone='Europe/Berlin'),
    row('demo friday 9.30', SAO_PAULO, '2026-11-20T09:30:00-03:00', title='demo'),
    row('beers 5ish friday', LONDON, '2026-11-20T17:00:00+00:00', title='beers'),
    row('standup 9:15 weekdays', NY_SPRING, '2026-03-09T09:15:00-04:00', title='standup', rrule='FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
    row('review in 30', LONDON, '2026-11-18T14:30:00+00:00', title='review'),
    row('Design crit 2moro 4-5', TOKYO_LATE, '2026-11-19T16:00:00+09:00', 60, title='Design crit'),
]


@pytest.mark.parametrize("case", SLACK)
def test_slack(case):
    check(case)


TITLES = [
    row('3 amigos tomorrow 3pm', LONDON, '2026-11-19T15:00:00+00:00', title='3 amigos'),
    row('5 whys session friday 2pm', NY_SPRING, '2026-03-13T14:00:00-04:00', title='5 whys session'),
    row('Top 10 review monday 10am', TOKYO_LATE, '2026-11-23T10:00:00+09:00', title='Top 10 review'),
    row('v2 launch sync tomorrow 11am', KOLKATA, '2026-11-19T11:00:00+05:30', title='v2 launch sync'),
    row('Room 101 booking tomorrow 9am', SYDNEY_OCT, '2026-10-04T09:00:00+11:00', title='Room 101 booking'),
    row('1 on 1 tomorrow 10am', SYDNEY_APR, '2026-04-05T10:00:00+10:00', title='1 on 1'),
    row('one on one tomorrow 10am', LA_SUMMER, '2026-07-02T10:00:00-07:00', title='one on one'),
    row('Sprint 7 retro tomorrow 4pm', BERLIN_FALL, '2026-10-25T16:00:00+01:00', title='Sprint 7 retro'),
    row('OKR Q3 review dec 3 2pm', AUCKLAND_SEP, '2026-12-03T14:00:00+13:00', title='OKR Q3 review'),
    row('Call with 3M tomorrow 3pm', SAO_PAULO, '2026-11-19T15:00:00-03:00', title='Call with 3M'),
    row('Plan for 2027 tomorrow 3pm', LONDON, '2026-11-19T15:00:00+00:00', title='Plan for 2027'),
    row('Budget 2026 sync friday 11am', NY_SPRING, '2026-03-13T11:00:00-04:00', title='Budget 2026 sync'),
    row('March planning tomorrow 2pm', TOKYO_LATE, '2026-11-19T14:00:00+09:00', title='March planning'),
    row('Onboarding for 2 new hires tomorrow 10am', KOLKATA, '2026-11-19T10:00:00+05:30', title='Onboarding for 2 new hires'),
    row('Lunch for 4 friday noon', SYDNEY_OCT, '2026-10-09T12:00:00+11:00', title='Lunch for 4'),
    row('Call at 5 with 3 people', SYDNEY_APR, '2026-04-04T17:00:00+11:00', title='Call with 3 people'),
    row('a week from tomorrow at 3pm', LA_SUMMER, '2026-07-09T15:00:00-07:00'),
    row('tomorrow 3pm for 1hr30', BERLIN_FALL, '2026-10-25T15:00:00+01:00', 90),
    row('3 to 4 tomorrow', AUCKLAND_SEP, '2026-09-27T15:00:00+13:00', 60),
    row('tomorrow evening 7', SAO_PAULO, '2026-11-19T19:00:00-03:00'),
    row('this afternoon 3', LONDON, '2026-11-18T15:00:00+00:00'),
    row('everyday at 9am', NY_SPRING, '2026-03-08T09:00:00-04:00', rrule='FREQ=DAILY'),
    row('tues 10-10:30', TOKYO_LATE, '2026-11-24T10:00:00+09:00'),
    row('dec 99999999999 3pm', KOLKATA, "I didn't understand “dec 99999999999” here"),
    row('Sun Life meeting tomorrow 2pm', LONDON, 'I found two different days'),
    row('call tomorrow 3pm re: 11.12.2026 invoice', LONDON, 'I found two different days'),
]


@pytest.mark.parametrize("case", TITLES)
def test_titles(case):
    check(case)
