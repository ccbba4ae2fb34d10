"""When reminders go out (bot/domain/reminders.py): pure, no Slack."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.domain.meeting import MeetingRequest
from bot.domain.reminders import reminder_times
from bot.providers.zoom import until_local_date

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=timezone.utc)


def request(**changes) -> MeetingRequest:
    base = MeetingRequest(title="Sync", start=datetime(2026, 11, 19, 15, 0, tzinfo=PARIS), duration_minutes=30,
                          timezone="Europe/Paris", reminder_minutes=10)
    return base.but(**changes)


def test_one_reminder_before_a_single_meeting_and_none_when_not_asked():
    assert reminder_times(request(), NOW) == [datetime(2026, 11, 19, 14, 50, tzinfo=PARIS)]
    assert reminder_times(request(reminder_minutes=None), NOW) == []
    assert reminder_times(request(start=datetime(2026, 11, 18, 15, 5, tzinfo=PARIS)), NOW) == []  # already due


def test_a_repeat_gets_reminders_for_the_next_week_only_on_wall_time_across_dst():
    daily = reminder_times(request(rrule="FREQ=DAILY"), NOW)
    assert len(daily) == 7 and all(t.hour == 14 and t.minute == 50 for t in daily)
    weekly = reminder_times(request(start=datetime(2027, 3, 22, 9, 0, tzinfo=PARIS), rrule="FREQ=WEEKLY"),
                            datetime(2027, 3, 26, tzinfo=timezone.utc))
    assert [t.isoformat() for t in weekly] == ["2027-03-29T08:50:00+02:00"]  # summer time: still 08:50 local


def test_zoom_reads_until_as_the_last_local_day_of_the_meetings_zone():
    assert str(until_local_date("20261231T225959Z", "Europe/Paris")) == "2026-12-31"
    assert str(until_local_date("20270101T075959Z", "America/Los_Angeles")) == "2026-12-31"
    assert str(until_local_date("20261231", "Asia/Tokyo")) == "2026-12-31"
