"""Where each meeting's Slack post lives, and the reminders scheduled in its thread.

A mixin of `SqliteStore` and `PostgresStore`, apart from the meetings rows so a change to one never touches the other. The
post's channel and `ts` let an edit, a cancel (and later live state) update the same message with
`chat.update`; the reminders' `scheduled_message_id`s let them be deleted on cancel or edit. Portable SQL
only (`?` placeholders, `INSERT … ON CONFLICT … DO UPDATE`), so other backends port it as is.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from bot.domain.meeting import LiveState, PostLocation, ScheduledReminder


class PostRows:
    """Posts and reminders in SQL (see `bot.domain.ports.PostStore` for the contract)."""

    if TYPE_CHECKING:  # provided by the backend
        def transaction(self) -> AbstractContextManager[Any]: ...
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

    def claim_task(self, name: str, owner: str, now: float, until: float) -> bool:
        """Hold the periodic task `name` until `until` unless another owner holds it past `now` (one
        instance runs it per round, however many share the database)."""
        with self.transaction() as db:
            return db.execute(
                "INSERT INTO task_leases (name, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
                " SET owner = excluded.owner, lease_until = excluded.lease_until WHERE task_leases.lease_until < ?",
                [name, owner, until, now]).rowcount == 1

    def meetings_to_remind(self, statuses: list[str], starting_after: float, limit: int = 500) -> list[str]:
        """Keys of meetings in one of `statuses` that repeat or start after `starting_after` (epoch seconds):
        the ones the reminder top-up looks at."""
        rows = self._query(f"SELECT idempotency_key FROM meetings WHERE status IN ({', '.join('?' for _ in statuses)})"
                           " AND ((rrule IS NOT NULL AND rrule != '') OR start_epoch >= ?) ORDER BY id LIMIT ?",
                           (*statuses, starting_after, limit))
        return [r["idempotency_key"] for r in rows]

    def key_for_provider_meeting(self, provider: str, meeting_id: str) -> str | None:
        rows = self._query("SELECT idempotency_key FROM meetings WHERE provider = ? AND provider_meeting_id = ?"
                           " ORDER BY id DESC LIMIT 1", (provider, meeting_id))
        return rows[0]["idempotency_key"] if rows else None

    def record_live_event(self, key: str, kind: str, at: float, participant: str = "") -> None:
        """Apply one provider event; each is idempotent, so a replayed delivery changes nothing.
        `kind`: started, ended, joined or left."""
        with self.transaction() as db:
            db.execute("INSERT INTO meeting_live (idempotency_key) VALUES (?) ON CONFLICT (idempotency_key) DO NOTHING",
                       [key])
            if kind == "started":  # a new occurrence of a repeat starts afresh
                db.execute("UPDATE meeting_live SET started_at = ?, ended_at = NULL WHERE idempotency_key = ?"
                           " AND (started_at IS NULL OR (ended_at IS NOT NULL AND ended_at < ?))", [at, key, at])
                db.execute("DELETE FROM meeting_participants WHERE idempotency_key = ? AND in_call = 0", [key])
            elif kind == "ended":
                db.execute("UPDATE meeting_live SET ended_at = ? WHERE idempotency_key = ? AND ended_at IS NULL",
                           [at, key])
                db.execute("UPDATE meeting_participants SET in_call = 0 WHERE idempotency_key = ?", [key])
            elif participant:
                db.execute("INSERT INTO meeting_participants (idempotency_key, participant, in_call) VALUES (?, ?, ?)"
                           " ON CONFLICT (idempotency_key, participant) DO UPDATE SET in_call = excluded.in_call",
                           [key, participant, 1 if kind == "joined" else 0])

    def live_state(self, key: str) -> LiveState | None:
        rows = self._query("SELECT started_at, ended_at FROM meeting_live WHERE idempotency_key = ?", (key,))
        if not rows or rows[0]["started_at"] is None:
            return None
        count = self._query("SELECT COUNT(*) AS n FROM meeting_participants WHERE idempotency_key = ? AND in_call = 1",
                            (key,))[0]["n"]
        return LiveState(float(rows[0]["started_at"]), rows[0]["ended_at"], int(count))
