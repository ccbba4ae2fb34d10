"""Three `meetbot serve` instances on one database behind a round-robin: 60 submissions, duplicates sent to
different instances, an expired Zoom token needed by 20 of them, one instance SIGKILLed halfway. Exactly one
meeting per request, one post each, one token refresh. On PostgreSQL, and on one SQLite file on one host."""

from __future__ import annotations

import itertools
import threading
import time
from contextlib import ExitStack

import httpx

from bot.domain.status import IN_FLIGHT, MeetingStatus
from bot.stores import open_store
from tests.harness import meetbot_process, on_both_backends, running_meetbot  # noqa: F401 - both backends
from tests.providers.conftest import link, provider_settings
from tests.slack_payloads import signed_headers, slash, view_submission

ZOOM_REQUESTS, JITSI_REQUESTS, DUPLICATED = 20, 25, 15  # 45 requests, 15 of them submitted twice: 60 submissions


class RoundRobin:
    """Sends each request to the next live instance; an instance that refuses the connection is skipped (as a
    load balancer's health check would), and the request goes to the next one (as the user's retry would)."""

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def post(self, make_body) -> str:
        """`make_body()` is called again for a retry: a user submitting again sends a new request."""
        with self._lock:
            first = next(self._turn)
        for attempt in range(len(self.bases) * 2):
            base = self.bases[(first + attempt) % len(self.bases)]
            body = make_body()
            try:
                answer = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            except httpx.TransportError:
                continue
            assert answer.status_code == 200, answer.text
            return base
        raise AssertionError("no instance answered")


def settled(settings, keys: list[str], timeout: float = 60.0) -> dict:
    store = open_store(settings)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            records = {key: store.get_meeting(key) for key in keys}
            if all(r is not None and r.status not in IN_FLIGHT for r in records.values()):
                return records
            time.sleep(0.2)  # polling the database the instances write, with a deadline
        waiting = {k: (r.status.value if r else None) for k, r in records.items() if not r or r.status in IN_FLIGHT}
        raise AssertionError(f"not posted after {timeout}s: {waiting}")
    finally:
        store.close()


def test_three_instances_one_killed_exactly_once_each(tmp_path, slack, zoom, dialpad, backend):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, meetbot_lease_seconds=2.0, **backend)
    with running_meetbot(settings) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        slack.clear()
        meetbot.post(slash(""))
        [opened] = slack.wait_for("views.open")
    view = opened.body["view"]
    zoom.expire_access_tokens()
    zoom.set_refresh_delay(0.5)  # every instance's first Zoom request finds the token expired at once
    zoom.delay("create", 0.3)  # so the killed instance has Zoom work in flight

    requests = [(f"V{i}", "zoom" if i < ZOOM_REQUESTS else "jitsi") for i in range(ZOOM_REQUESTS + JITSI_REQUESTS)]
    submissions = requests + requests[::3]  # every third request submitted twice: 60 in all
    assert len(submissions) == 60 and len(requests[::3]) == DUPLICATED

    def body(view_id: str, provider: str) -> str:
        values = {"title": f"Meeting {view_id}", "when": "tomorrow 3pm", "provider": ("static_select", provider),
                  "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
        return view_submission({**view, "id": view_id, "hash": "h"}, values)

    with ExitStack() as stack:
        procs, bases = zip(*(stack.enter_context(meetbot_process(settings, tmp_path)) for _ in range(3)))
        balancer = RoundRobin(list(bases))
        slack.clear()
        sent_to: dict[str, list[str]] = {}

        def send(batch) -> None:
            threads = [threading.Thread(target=lambda v=v, p=p: sent_to.setdefault(v, []).append(balancer.post(lambda: body(v, p))))
                       for v, p in batch]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        # interleaved so that duplicates arrive while their first submission is being worked on
        order = [s for pair in itertools.zip_longest(submissions[:45:2], submissions[45:]) for s in pair if s] + \
            list(submissions[1:45:2])
        send(order[:30])
        # Halfway, once the refresh is saved (a Zoom meeting was made with the new token): a process killed while
        # Zoom rotates the refresh token loses the new one with it, which no store can prevent (see the report).
        deadline = time.monotonic() + 20
        while not zoom.meetings and time.monotonic() < deadline:
            time.sleep(0.02)  # polling the fake with a deadline
        procs[1].kill()  # SIGKILL
        procs[1].wait()
        send(order[30:])
        records = settled(settings, [f"view:T1:{v}" for v, _ in requests])

    assert any(len(set(bases)) > 1 for bases in sent_to.values()), "duplicates reached different instances"
    assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 0
    topics = [m[1]["topic"] for m in zoom.meetings]
    assert len(topics) == len(set(topics)) <= ZOOM_REQUESTS  # never two meetings for one request
    posted = {k: r for k, r in records.items() if r.status == MeetingStatus.POSTED}
    links = [m["blocks"][-1]["elements"][0]["url"] for m in slack.messages("C1")]
    assert sorted(links) == sorted(r.meeting.join_url for r in posted.values())  # one post each, never two
    # KNOWN GAP (see the branch report): a Zoom request the killed instance had in flight can end `unknown`
    # (the organiser is told, with Retry) instead of adopted; every other request is posted exactly once.
    not_posted = {k: r.status.value for k, r in records.items() if k not in posted}
    assert set(not_posted.values()) <= {MeetingStatus.UNKNOWN.value}, not_posted
    assert all(records[k].request.provider == "zoom" for k in not_posted), not_posted
