"""The meeting post shows the meeting's state from the provider's events: "Live now · started 10:02 ·
3 in the call", then "Ended · 42 min".

Each event is stored first (idempotent, so Zoom's retried deliveries change nothing); the post is then
updated at most once per `delay` seconds per meeting: a 50-person join burst becomes one or two
`chat.update`s, well inside Slack's per-method rate limit. Events about meetings meetbot did not make are
ignored.
"""

from __future__ import annotations

import logging
import threading

from bot.domain.ports import MeetingStore, PostStore
from bot.domain.status import LIVE
from bot.slack.notifier import SlackNotifier

log = logging.getLogger("meetbot.live")
DEFAULT_DELAY = 1.5  # seconds between two updates of one post


class LiveUpdates:
    def __init__(self, store: MeetingStore, posts: PostStore, notifier: SlackNotifier, delay: float = DEFAULT_DELAY) -> None:
        self.store = store
        self.posts = posts
        self.notifier = notifier
        self.delay = delay
        self._pending: dict[str, threading.Timer] = {}
        self._lock = threading.Lock()

    def event(self, provider: str, meeting_id: str, kind: str, at: float, participant: str = "") -> bool:
        """One provider event (started, joined, left, ended); False when the meeting is not one of ours."""
        key = self.posts.key_for_provider_meeting(provider, meeting_id) if meeting_id else None
        if key is None:
            return False
        self.posts.record_live_event(key, kind, at, participant)
        with self._lock:
            if key in self._pending:  # an update is already on its way: it will read this event too
                return True
            timer = threading.Timer(self.delay, self._flush, [key])
            timer.daemon = True
            self._pending[key] = timer
        timer.start()
        return True

    def flush_now(self) -> int:
        """At shutdown: the updates still waiting out their delay are made now, not lost with their timers
        (the events are stored either way; this is only about the post showing them). Returns how many."""
        with self._lock:
            waiting = list(self._pending.items())
        for key, timer in waiting:
            timer.cancel()
            self._flush(key)
        return len(waiting)

    def _flush(self, key: str) -> None:
        with self._lock:  # popped: events from now on schedule the next update
            if self._pending.pop(key, None) is None:
                return  # already made (by flush_now, or by the timer)
        try:
            record = self.store.get_meeting(key)
            if record is not None and record.status in LIVE:
                self.notifier.update_post(record)
        except Exception:  # noqa: BLE001 - a timer thread must not die silently
            log.exception("updating the live state of %s failed", key)
