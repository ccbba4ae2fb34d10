"""The scheduler with in-process fakes (providers, Slack side, lanes) over a real SQLite store file."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

import pytest

from bot.crypto import TokenCipher
from bot.domain.leases import LeaseKeeper
from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest
from bot.domain.ports import Outcome, OutcomeKind
from bot.domain.scheduler import Scheduler
from bot.domain.status import MeetingStatus
from bot.errors import ProviderOutcomeUnknown, ProviderRejected, StoreError
from bot.stores.sqlite import SqliteStore as Store

S = MeetingStatus
START = datetime(2026, 11, 19, 15, 0, tzinfo=timezone.utc)


class FakeProviders:
    """Counts creations; `fail_with` is raised by the next create; `lost` makes a create act, then raise."""

    def __init__(self) -> None:
        self.made: list[CreatedMeeting] = []
        self.fail_with: Exception | None = None
        self.lost = False
        self.findable = True
        self.lookups = 0
        self.create_calls = 0

    def create(self, request: MeetingRequest) -> CreatedMeeting:
        self.create_calls += 1
        if self.fail_with is not None:
            error, self.fail_with = self.fail_with, None
            raise error
        meeting = CreatedMeeting(request.provider, f"m{len(self.made) + 1}", f"https://meet.test/{len(self.made) + 1}",
                                 passcode="123", host_url="https://meet.test/host-secret")
        self.made.append(meeting)
        if self.lost:
            self.lost = False
            raise ProviderOutcomeUnknown(request.provider, "answer lost", cause="timeout")
        return meeting

    def prepare(self, request: MeetingRequest) -> None:
        """Nothing to refresh in-process."""

    def find(self, request: MeetingRequest) -> CreatedMeeting | None:
        self.lookups += 1
        return self.made[-1].without_host_link() if self.made and self.findable else None


class FakePublisher:
    def __init__(self) -> None:
        self.posts: list[tuple[str, str | None, bool]] = []
        self.reports: list[tuple[str, OutcomeKind]] = []
        self.working = True

    def publish(self, record: MeetingRecord, host_url: str | None, resumed: bool) -> bool:
        if self.working:
            self.posts.append((record.key, host_url, resumed))
        return self.working

    def report(self, request: MeetingRequest, outcome: Outcome) -> None:
        self.reports.append((request.key, outcome.kind))


class FullLanes:
    def run(self, lane: str, work: Callable[[], object]) -> bool:
        return False


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "meetbot.db"), TokenCipher.from_keys(["k"]))
    yield s
    s.close()


@pytest.fixture
def parts(store):
    providers, publisher = FakeProviders(), FakePublisher()
    return store, providers, publisher, Scheduler(store, providers, publisher, "w1", lease_seconds=30)


def request(key: str = "view:T1:V1", provider: str = "zoom") -> MeetingRequest:
    return MeetingRequest(title="Design review", start=START, duration_minutes=45, timezone="UTC", key=key,
                          team_id="T1", user_id="U1", provider=provider, channel_id="C1")


def statuses(store, key: str) -> list[tuple[S | None, S]]:
    return [(c.from_status, c.to_status) for c in store.history(key)]


def test_a_submission_is_created_once_and_posted(parts):
    store, providers, publisher, scheduler = parts
    scheduler.submit(request())
    assert len(providers.made) == 1 and publisher.posts == [("view:T1:V1", "https://meet.test/host-secret", False)]
    record = store.get_meeting("view:T1:V1")
    assert record.status is S.POSTED and record.meeting.host_url is None and record.lease_owner is None
    assert statuses(store, "view:T1:V1") == [(None, S.REQUESTED), (S.REQUESTED, S.CREATING),
                                            (S.CREATING, S.CREATED), (S.CREATED, S.POSTED)]
    assert record.request.requested_at > 0  # stamped, so its response_urls can expire


def test_duplicates_are_answered_not_ignored(parts):
    store, providers, publisher, scheduler = parts
    scheduler.submit(request())
    scheduler.submit(request())
    assert len(providers.made) == 1 and publisher.reports == [("view:T1:V1", OutcomeKind.ALREADY_POSTED)]
    store.add_request(request("k2"), "w9", time.time() + 30)  # someone else is working on it
    scheduler.submit(request("k2"))
    assert publisher.reports[-1] == ("k2", OutcomeKind.IN_PROGRESS)


def test_a_refusal_fails_with_retry_that_replays_once(parts):
    store, providers, publisher, scheduler = parts
    providers.fail_with = ProviderRejected("zoom", "Invalid enforce_login_domains")
    scheduler.submit(request())
    assert store.get_meeting("view:T1:V1").status is S.FAILED and publisher.reports == [("view:T1:V1", OutcomeKind.FAILED)]
    clicks = [threading.Thread(target=scheduler.retry, args=("view:T1:V1", "U1")) for _ in range(5)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    assert len(providers.made) == 1 and store.get_meeting("view:T1:V1").status is S.POSTED
    scheduler.retry("view:T1:V1", "U2")  # not the organiser's: nothing happens
    assert len(providers.made) == 1


def test_a_lost_answer_is_looked_up_and_adopted_not_recreated(parts):
    store, providers, publisher, scheduler = parts
    providers.lost = True
    scheduler.submit(request())
    assert providers.create_calls == 1 and providers.lookups == 1
    assert publisher.posts == [("view:T1:V1", None, True)]  # the host link was in the lost answer
    assert store.get_meeting("view:T1:V1").status is S.POSTED
    assert "found at the provider and adopted" in store.history("view:T1:V1")[-2].reason


def test_a_lost_answer_that_cannot_be_found_is_unknown(parts):
    store, providers, publisher, scheduler = parts
    providers.lost, providers.findable = True, False
    scheduler.submit(request())
    assert store.get_meeting("view:T1:V1").status is S.UNKNOWN and publisher.reports == [("view:T1:V1", OutcomeKind.UNKNOWN)]
    assert not publisher.posts


@pytest.mark.parametrize("state, creates, lookups", [(S.REQUESTED, 1, 0), (S.CREATING, 0, 1), (S.CREATED, 0, 0)])
def test_resume_carries_on_from_each_in_flight_state(parts, state, creates, lookups):
    store, providers, publisher, scheduler = parts
    store.add_request(request(), "dead", time.time() - 1)
    if state is not S.REQUESTED:
        store.transition("view:T1:V1", S.REQUESTED, S.CREATING, reason="x", owner="dead", lease_until=time.time() - 1)
        providers.made.append(CreatedMeeting("zoom", "m0", "https://meet.test/0"))  # the dead worker's call made it
    if state is S.CREATED:
        store.transition("view:T1:V1", S.CREATING, S.CREATED, reason="x", owner="dead", lease_until=time.time() - 1,
                         meeting=providers.made[0])
    assert LeaseKeeper(store, scheduler).tick() == 1
    assert len(providers.made) == 1 and providers.create_calls == creates and providers.lookups == lookups
    assert store.get_meeting("view:T1:V1").status is S.POSTED
    assert publisher.posts[-1][2] is (state is not S.REQUESTED)  # resumed: the post may exist, look first
    assert LeaseKeeper(store, scheduler).tick() == 0


def test_a_full_lane_says_busy_and_retry_works(store):
    providers, publisher = FakeProviders(), FakePublisher()
    Scheduler(store, providers, publisher, "w1", lanes=FullLanes()).submit(request())
    assert publisher.reports == [("view:T1:V1", OutcomeKind.BUSY)] and not providers.made
    Scheduler(store, providers, publisher, "w1").retry("view:T1:V1", "U1")
    assert store.get_meeting("view:T1:V1").status is S.POSTED and len(providers.made) == 1


def test_when_slack_takes_nothing_the_meeting_stays_created_and_is_posted_later(parts):
    store, providers, publisher, scheduler = parts
    publisher.working = False
    scheduler.submit(request())
    record = store.get_meeting("view:T1:V1")
    assert record.status is S.CREATED and record.lease_owner is None
    publisher.working = True
    later = Scheduler(store, providers, publisher, "w2", lease_seconds=30, clock=lambda: time.time() + 60)
    assert LeaseKeeper(store, later).tick() == 1
    assert store.get_meeting("view:T1:V1").status is S.POSTED and len(providers.made) == 1


def test_a_request_the_database_refuses_is_reported_not_lost_silently(parts, monkeypatch):
    store, providers, publisher, scheduler = parts

    def refuse(*args, **kwargs):
        raise StoreError("database is locked")

    monkeypatch.setattr(store, "add_request", refuse)
    scheduler.submit(request())
    assert publisher.reports == [("view:T1:V1", OutcomeKind.NOT_SAVED)] and not providers.made
