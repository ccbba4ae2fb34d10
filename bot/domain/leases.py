"""The lease keeper: renews this process's leases and takes over requests whose worker died.

One thread per process. Every `interval` seconds (a third of the lease, so a live worker's lease never
lapses) it extends the leases this process holds, takes over in-flight requests whose lease expired and
hands each to `Scheduler.resume` on its provider's lane, and blanks response_urls Slack has expired. It runs
once at start-up too, so a restarted process picks up what it left behind as soon as those leases lapse.

A crashed request therefore waits at most `lease_seconds + interval` (40 s by default) before it resumes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.domain.meeting import RESPONSE_URL_TTL_SECONDS, MeetingRecord
from bot.domain.ports import MeetingStore
from bot.domain.scheduler import Scheduler
from bot.errors import StoreError

log = logging.getLogger("meetbot.leases")


class LeaseKeeper:
    def __init__(self, store: MeetingStore, scheduler: Scheduler, interval: float | None = None,
                 chores: tuple[Callable[[], object], ...] = ()) -> None:
        self.store = store
        self.chores = list(chores)  # other periodic work (retention pruning, reminder top-up), after each round
        self.scheduler = scheduler
        self.interval = interval if interval is not None else scheduler.lease_seconds / 3
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        """One round: renew, take over, forget dead response_urls. Returns how many requests were taken over."""
        scheduler, now = self.scheduler, self.scheduler.clock()
        until = now + scheduler.lease_seconds
        self.store.renew_leases(scheduler.owner, until)
        taken = self.store.take_over_expired(scheduler.owner, now, until)
        for record in taken:
            log.info("taking over request %s (%s)", record.key, record.status.value)
            if not scheduler.lanes.run(record.request.provider, _resume(scheduler, record)):
                self.store.release_lease(record.key, scheduler.owner, until)  # lane full: next round
        self.store.forget_response_urls(now - RESPONSE_URL_TTL_SECONDS)
        for chore in self.chores:
            chore()
        return len(taken)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="meetbot-leases", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except StoreError as exc:  # the database is busy or gone: try again next round
                log.warning("lease round failed: %s", exc)
            except Exception:  # noqa: BLE001 - the keeper must outlive any one bad round
                log.exception("lease round failed")
            self._stop.wait(self.interval)



def _resume(scheduler: Scheduler, record: MeetingRecord) -> Callable[[], None]:
    return lambda: scheduler.resume(record)
