"""Jobs: per-provider lanes that don't wait on each other, bounded queues, and a bounded shutdown."""

from __future__ import annotations

import threading
import time

from bot.jobs import Jobs


def test_a_blocked_lane_never_delays_another():
    jobs = Jobs(lane_workers=2, lane_capacity=100)
    release, done = threading.Event(), threading.Event()
    try:
        assert all(jobs.run("zoom", release.wait) for _ in range(50))
        assert jobs.run("jitsi", done.set)
        assert done.wait(1.0), "the jitsi lane waited behind zoom"
        assert jobs.lane_load("zoom") == 50
    finally:
        release.set()
        jobs.shutdown(5)


def test_a_full_lane_refuses_instead_of_queueing():
    jobs = Jobs(lane_workers=1, lane_capacity=3)
    release = threading.Event()
    try:
        assert [jobs.run("zoom", release.wait) for _ in range(4)] == [True, True, True, False]
        release.set()
        assert jobs.drain(5) and jobs.run("zoom", lambda: None)
    finally:
        release.set()
        jobs.shutdown(5)


def test_shutdown_waits_at_most_its_grace_and_drops_the_queue():
    jobs = Jobs(lane_workers=1, lane_capacity=10)
    release, ran = threading.Event(), []
    jobs.run("zoom", release.wait)
    jobs.run("zoom", lambda: ran.append("queued"))
    started = time.monotonic()
    assert jobs.shutdown(0.3) is False
    assert time.monotonic() - started < 2.0
    assert not jobs.run("zoom", lambda: None)  # closed: nothing new is taken
    release.set()
    assert ran == []  # the queued job was dropped (its request keeps its lease and is taken over)


def test_work_submitted_during_the_grace_still_runs():
    jobs = Jobs(lane_workers=1, lane_capacity=10)
    go, ran, result = threading.Event(), threading.Event(), []

    def intake() -> None:  # a running job hands its follow-up to a lane while the stop is under way
        go.wait(5)
        jobs.run("jitsi", ran.set)

    jobs.submit(intake)
    stopping = threading.Thread(target=lambda: result.append(jobs.shutdown(5)))
    stopping.start()
    go.set()
    stopping.join(10)
    assert result == [True] and ran.is_set()
