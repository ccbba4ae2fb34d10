"""Slow work (provider calls, Slack posts) runs here, after the ack, never on the request threads.

Acks must leave within Slack's 3 s whatever the providers do, so the web server's threads only parse and
ack; everything that waits on the network is submitted to this bounded pool. A job's exception is logged,
never lost silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

log = logging.getLogger("meetbot.jobs")


class Jobs:
    """Two lanes: `submit` for provider work (may wait seconds), `submit_ui` for Slack UI calls that must
    not queue behind it (`views.open` has to use its trigger_id within 3 s of the command)."""

    def __init__(self, workers: int = 32, ui_workers: int = 16) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="meetbot-job")
        self._ui_pool = ThreadPoolExecutor(max_workers=ui_workers, thread_name_prefix="meetbot-ui")
        self._pending: set[Future] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        return self._submit(self._pool, fn, *args, **kwargs)

    def submit_ui(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        return self._submit(self._ui_pool, fn, *args, **kwargs)

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
        """
        finished = self.drain(grace)
        for pool in (self._ui_pool, self._pool):
            pool.shutdown(wait=finished, cancel_futures=not finished)
        return finished
