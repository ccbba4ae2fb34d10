"""Where each meeting's Slack post lives, and the reminders scheduled in its thread.

A mixin of `bot.store.Store`, apart from the meetings rows so a change to one never touches the other. The
post's channel and `ts` let an edit, a cancel (and later live state) update the same message with
`chat.update`; the reminders' `scheduled_message_id`s let them be deleted on cancel or edit. Portable SQL
only (`?` placeholders, `INSERT … ON CONFLICT … DO UPDATE`), so other backends port it as is.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import sqlite_utils

from bot.domain.meeting import PostLocation, ScheduledReminder


def migrate_to_posts(db: sqlite_utils.Database) -> None:
    """Schema step 4: each meeting's post, and its scheduled reminders."""
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_posts (
        idempotency_key TEXT PRIMARY KEY, channel_id TEXT NOT NULL, ts TEXT NOT NULL, updated_at REAL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_reminders (
        idempotency_key TEXT NOT NULL, channel_id TEXT NOT NULL, scheduled_message_id TEXT NOT NULL,
        post_at INTEGER NOT NULL, PRIMARY KEY (idempotency_key, scheduled_message_id))""")


class PostRows:
    """Posts and reminders in SQL (see `bot.domain.ports.PostStore` for the contract)."""

    if TYPE_CHECKING:  # provided by bot.store.Store
        def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    def save_post(self, key: str, channel_id: str, ts: str, at: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO meeting_posts (idempotency_key, channel_id, ts, updated_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (idempotency_key) DO UPDATE SET channel_id = excluded.channel_id,"
                       " ts = excluded.ts, updated_at = excluded.updated_at", [key, channel_id, ts, at])

    def get_post(self, key: str) -> PostLocation | None:
        rows = self._query("SELECT channel_id, ts FROM meeting_posts WHERE idempotency_key = ?", (key,))
        return PostLocation(rows[0]["channel_id"], rows[0]["ts"]) if rows else None

    def add_reminder(self, key: str, reminder: ScheduledReminder) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO meeting_reminders (idempotency_key, channel_id, scheduled_message_id, post_at)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key, scheduled_message_id) DO NOTHING",
                       [key, reminder.channel_id, reminder.scheduled_message_id, reminder.post_at])

    def reminders(self, key: str) -> list[ScheduledReminder]:
        rows = self._query("SELECT channel_id, scheduled_message_id, post_at FROM meeting_reminders"
                           " WHERE idempotency_key = ? ORDER BY post_at", (key,))
        return [ScheduledReminder(r["channel_id"], r["scheduled_message_id"], int(r["post_at"])) for r in rows]

    def drop_reminder(self, key: str, scheduled_message_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM meeting_reminders WHERE idempotency_key = ? AND scheduled_message_id = ?",
                       [key, scheduled_message_id])
