"""Retention: settled meeting requests (and their state history) older than `MEETBOT_RETENTION_DAYS`, and
expired OAuth state nonces, are deleted about once an hour.

The lease keeper's periodic round calls `Pruner.tick`; across instances sharing a database only the one
that claims the chore's lease (`claim_chore`, held for the interval) prunes, so N workers do not all run the
same DELETEs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot import metrics
from bot.linking import STATE_TTL_SECONDS
from bot.stores import MeetbotStore

log = logging.getLogger("meetbot.maintenance")
PRUNE_EVERY_SECONDS = 3600.0
CHORE = "prune"


class Pruner:
    def __init__(self, store: MeetbotStore, retention_days: float, owner: str,
                 every: float = PRUNE_EVERY_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self.store, self.owner, self.every, self.clock = store, owner, every, clock
        self.retention_seconds = retention_days * 86400
        self._next = 0.0

    def tick(self) -> bool:
        """Prune if due here and no other instance holds the chore; True if this call pruned."""
        now = self.clock()
        if now < self._next:
            return False
        self._next = now + self.every
        if not self.store.claim_chore(CHORE, self.owner, now, self.every):
            return False
        requests = self.store.prune_requests(now - self.retention_seconds)
        states = self.store.prune_states(now - STATE_TTL_SECONDS)
        metrics.pruned_rows.labels("requests").inc(requests)
        metrics.pruned_rows.labels("oauth_states").inc(states)
        if requests or states:
            log.info("pruned %d meeting requests older than %.0f days and %d expired OAuth states",
                     requests, self.retention_seconds / 86400, states)
        return True
