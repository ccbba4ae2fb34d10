"""Slow work (provider calls, Slack posts) runs here, after the ack, never on the request threads.

Acks must leave within Slack's 3 s whatever the providers do, so the web server's threads only parse and
ack; everything that waits on the network is submitted here. Three kinds of pool keep each other's delays
apart:

- `submit_ui`: Slack UI calls that must not queue behind anything (`views.open` has 3 s to use its trigger_id);
- `submit`: the rest of the post-ack work (account commands, the intake of a submission, Retry);
- `run(lane, work)`: one *lane* per provider for meeting creation, each with its own workers and a bounded
  queue, so a slow Zoom never delays a Jitsi meeting; a full lane refuses (False) instead of queueing forever.

A job's exception is logged, never lost silently. `shutdown(grace)` lets queued and running work (and what it
submits) finish for up to `grace` seconds, then takes no more and drops what never started: those meeting
requests keep their lease in the database and are taken over after it expires (bot/domain/leases.py).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from bot import metrics

log = logging.getLogger("meetbot.jobs")


class Jobs:
    def __init__(self, workers: int = 32, ui_workers: int = 16, lane_workers: int = 8, lane_capacity: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="meetbot-job")
        self._ui_pool = ThreadPoolExecutor(max_workers=ui_workers, thread_name_prefix="meetbot-ui")
        self._lane_workers = lane_workers
        self.lane_capacity = lane_capacity
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._lane_load: dict[str, int] = {}  # queued + running, per lane
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        return self._submit(self._pool, fn, *args, **kwargs)

    def submit_ui(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        return self._submit(self._ui_pool, fn, *args, **kwargs)

    def run(self, lane: str, work: Callable[[], object]) -> bool:
        """Queue `work` on `lane` (a provider name); False, and nothing queued, when the lane is full or
        shutting down."""
        with self._lock:
            if self._closed or self._lane_load.get(lane, 0) >= self.lane_capacity:
                return False
            pool = self._lanes.get(lane)
            if pool is None:
                pool = self._lanes[lane] = ThreadPoolExecutor(max_workers=self._lane_workers,
                                                              thread_name_prefix=f"meetbot-{lane}")
            self._lane_load[lane] = self._lane_load.get(lane, 0) + 1
        metrics.lane_depth.labels(lane).inc()
        queued = time.monotonic()

        def timed() -> object:
            metrics.lane_wait_seconds.labels(lane).observe(time.monotonic() - queued)
            return work()

        timed.__name__ = getattr(work, "__name__", "lane job")  # the name a failure is logged under

        future = self._submit(pool, timed)
        future.add_done_callback(lambda _: self._unload(lane))
        return True

    def lane_load(self, lane: str) -> int:
        with self._lock:
            return self._lane_load.get(lane, 0)

    def _unload(self, lane: str) -> None:
        with self._lock:
            self._lane_load[lane] -= 1
        metrics.lane_depth.labels(lane).dec()

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        def guarded() -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the last line of defence: log and keep serving
                log.exception("background job %s failed", getattr(fn, "__name__", fn))
                return None

        future = pool.submit(contextvars.copy_context().run, guarded)  # the log context follows the job
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def pending(self) -> int:
        """How many jobs are queued or running."""
        with self._lock:
            return len(self._pending)

    def drain(self, timeout: float | None = 10.0) -> bool:
        """Wait until no job is pending (jobs may submit more); True if idle before the deadline (None: no deadline)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            wait(pending, timeout=remaining)

    def shutdown(self, grace: float | None = None) -> bool:
        """The graceful stop: finish in-flight work within `grace` seconds (None: however long it takes), then
        take no more. Returns True when nothing was left running.

        Contract (keep it when the pools change shape): callers stop the transports first, so no new request
        work arrives; jobs already queued or running, and the follow-up jobs they submit, may still run until
        the deadline; after it, queued jobs that never started are cancelled and running ones are abandoned
        (the caller exits without joining them: what they leave half-done is for the next start to pick up).
        Lanes keep taking follow-up work until the deadline too, then refuse; the meeting requests left behind
        keep their lease in the database and are taken over after it expires.
        """
        finished = self.drain(grace)
        with self._lock:
            self._closed = True
            pools = [self._ui_pool, self._pool, *self._lanes.values()]
        for pool in pools:
            pool.shutdown(wait=finished, cancel_futures=not finished)
        return finished
