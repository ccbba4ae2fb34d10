"""Slow work (provider calls, Slack posts) runs here, after the ack, never on the request threads.

Acks must leave within Slack's 3 s whatever the providers do, so the web server's threads only parse and
ack; everything that waits on the network is submitted here. Three kinds of pool keep each other's delays
apart:

- `submit_ui`: Slack UI calls that must not queue behind anything (`views.open` has 3 s to use its trigger_id);
- `submit`: the rest of the post-ack work (account commands, the intake of a submission, Retry);
- `run(lane, work)`: one *lane* per provider for meeting creation, each with its own workers and a bounded
  queue, so a slow Zoom never delays a Jitsi meeting; a full lane refuses (False) instead of queueing forever.

A job's exception is logged, never lost silently. `shutdown(grace)` stops taking work, waits up to `grace`
seconds for what is running, and drops what is still queued: those requests keep their lease in the database
and are taken over after it expires (bot/domain/leases.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

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
        future = self._submit(pool, work)
        future.add_done_callback(lambda _: self._unload(lane))
        return True

    def lane_load(self, lane: str) -> int:
        with self._lock:
            return self._lane_load.get(lane, 0)

    def _unload(self, lane: str) -> None:
        with self._lock:
            self._lane_load[lane] -= 1

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        def guarded() -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the last line of defence: log and keep serving
                log.exception("background job %s failed", getattr(fn, "__name__", fn))
                return None

        future = pool.submit(guarded)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until no job is pending (jobs may submit more); True if idle before the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            wait(pending, timeout=remaining)

    def shutdown(self, grace: float = 10.0) -> bool:
        """Stop taking work, let running jobs finish for up to `grace` seconds, drop the queued rest.
        True if everything finished in time."""
        with self._lock:
            self._closed = True
            pools = [self._ui_pool, self._pool, *self._lanes.values()]
        idle = self.drain(grace)
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
        if not idle:
            log.warning("shutdown: jobs still running after %.0f s; their requests will be taken over", grace)
        return idle
