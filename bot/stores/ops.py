"""Operations data, in portable SQL shared by both backends: the audit listing of meeting requests, retention
pruning, one-at-a-time chores across instances (a lease per chore), and each workspace's policy.

A mixin of `SqliteStore` and `PostgresStore` like `bot.stores.meetings.MeetingRows` (`?` placeholders,
standard SQL and `INSERT … ON CONFLICT … DO UPDATE`); the tables' DDL is in each backend's migrations.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from bot.domain.meeting import MeetingRecord
from bot.domain.policy import WorkspacePolicy
from bot.domain.status import SETTLED, MeetingStatus
from bot.stores.meetings import _record

_SETTLED = sorted(status.value for status in SETTLED)
_SETTLED_SQL = ", ".join("?" for _ in _SETTLED)


class OpsRows:
    """Operations data (see `bot.stores.OpsStore` for the contract)."""

    if TYPE_CHECKING:  # provided by the backend
        def transaction(self) -> AbstractContextManager[Any]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    def recent_requests(self, *, user_id: str | None = None, since: float | None = None,
                        status: MeetingStatus | None = None, limit: int = 100) -> list[MeetingRecord]:
        """Meeting requests made at or after `since`, newest first, optionally of one user or in one status."""
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if user_id:
            where.append("user_id = ?")
            params.append(user_id)
        if since is not None:
            where.append("created_at >= ?")
            params.append(since)
        if status is not None:
            where.append("status = ?")
            params.append(status.value)
        rows = self._query(f"SELECT * FROM meetings WHERE {' AND '.join(where)} ORDER BY created_at DESC, id DESC"
                           " LIMIT ?", [*params, limit])
        return [_record(row) for row in rows]

    def prune_requests(self, older_than: float) -> int:
        """Delete settled requests last changed before `older_than`, with their history; how many requests.
        Requests still in flight are never pruned, whatever their age."""
        old = f"FROM meetings WHERE updated_at < ? AND status IN ({_SETTLED_SQL})"
        with self.transaction() as db:
            db.execute(f"DELETE FROM meeting_history WHERE idempotency_key IN (SELECT idempotency_key {old})",
                       [older_than, *_SETTLED])
            return db.execute(f"DELETE {old}", [older_than, *_SETTLED]).rowcount

    def claim_chore(self, name: str, owner: str, now: float, seconds: float) -> bool:
        """True if `owner` may run the chore `name` now: nobody else holds its lease (it lapsed, or never was);
        `owner` then holds it for `seconds`, so other instances skip the chore until then."""
        with self.transaction() as db:
            return db.execute(
                "INSERT INTO chore_leases (name, owner, lease_until) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until"
                " WHERE chore_leases.lease_until < ?", [name, owner, now + seconds, now]).rowcount == 1

    def get_policy(self, team_id: str) -> WorkspacePolicy:
        """The workspace's policy (the defaults when its admins never set one)."""
        rows = self._query("SELECT * FROM workspace_policies WHERE team_id = ?", (team_id,))
        if not rows:
            return WorkspacePolicy(team_id)
        row = rows[0]
        return WorkspacePolicy(
            team_id=team_id, allowed_providers=tuple(p for p in row["allowed_providers"].split(",") if p),
            default_provider=row["default_provider"], reminder_minutes=row["reminder_minutes"],
            confirm_over_members=row["confirm_over_members"], updated_by=row["updated_by"],
            updated_at=row["updated_at"] or 0.0)

    def save_policy(self, policy: WorkspacePolicy) -> None:
        """Insert or replace the workspace's policy."""
        values = [",".join(policy.allowed_providers), policy.default_provider, policy.reminder_minutes,
                  policy.confirm_over_members, policy.updated_by, time.time()]
        with self.transaction() as db:
            db.execute(
                "INSERT INTO workspace_policies (team_id, allowed_providers, default_provider, reminder_minutes,"
                " confirm_over_members, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id) DO UPDATE SET allowed_providers = excluded.allowed_providers,"
                " default_provider = excluded.default_provider, reminder_minutes = excluded.reminder_minutes,"
                " confirm_over_members = excluded.confirm_over_members, updated_by = excluded.updated_by,"
                " updated_at = excluded.updated_at", [policy.team_id, *values])
