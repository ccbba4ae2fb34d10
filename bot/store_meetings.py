"""The meetings half of the SQLite store: requests, their leases and their status history.

A mixin of `bot.store.Store` (which owns the connections and `transaction()`), kept apart so each module
reads on its own. Every status change is one compare-and-swap UPDATE plus one history row, inside one
`BEGIN IMMEDIATE` transaction; statuses are always passed as `MeetingStatus` values, never written here.
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest, StatusChange
from bot.domain.status import IN_FLIGHT, LEGACY_NAMES, LIVE, MeetingStatus, check_transition
from bot.errors import StoreError

_IN_FLIGHT = sorted(status.value for status in IN_FLIGHT)
_IN_FLIGHT_SQL = ", ".join("?" for _ in _IN_FLIGHT)
# Rows still holding a response_url (a partial index keeps forgetting them cheap on a big table).
_HAS_RESPONSE_URL = ("(json_extract(request_json, '$.response_url') != ''"
                     " OR json_extract(request_json, '$.origin_response_url') != '')")


def to_epoch(iso: str, zone: str | None = None) -> float:
    """Seconds since the epoch for an ISO-8601 string; a naive time is read in `zone` (else UTC)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(zone) if zone else timezone.utc)
        except (KeyError, ValueError):
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def migrate_to_leases(db: sqlite_utils.Database) -> None:
    """Schema step 3: leases on in-flight requests, the status history, and today's status names."""
    db.execute("ALTER TABLE meetings ADD COLUMN lease_owner TEXT")
    db.execute("ALTER TABLE meetings ADD COLUMN lease_expires_at REAL")
    db.execute("CREATE INDEX IF NOT EXISTS meetings_in_flight ON meetings (status, lease_expires_at)")
    for old, new in LEGACY_NAMES.items():
        db.execute("UPDATE meetings SET status = ? WHERE status = ?", [new.value, old])
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_history (
        id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
        reason TEXT NOT NULL, owner TEXT, at REAL NOT NULL)""")
    db.execute("CREATE INDEX IF NOT EXISTS meeting_history_key ON meeting_history (idempotency_key, id)")
    db.execute(f"CREATE INDEX IF NOT EXISTS meetings_live_response_urls ON meetings (created_at) WHERE {_HAS_RESPONSE_URL}")


def _status(value: str) -> MeetingStatus:
    return LEGACY_NAMES.get(value) or MeetingStatus(value)


def _record(row: dict[str, Any]) -> MeetingRecord:
    extra = json.loads(row["extra_json"] or "{}")
    meeting = None
    if row["join_url"]:
        meeting = CreatedMeeting(provider=row["provider"], meeting_id=row["provider_meeting_id"] or "",
                                 join_url=row["join_url"], passcode=extra.get("passcode"),
                                 dial_in=extra.get("dial_in"), pin=extra.get("pin"))
    return MeetingRecord(
        request=MeetingRequest.from_json(json.loads(row["request_json"])), status=_status(row["status"]),
        meeting=meeting, error=row["error"], lease_owner=row["lease_owner"], lease_expires_at=row["lease_expires_at"],
        created_at=row["created_at"] or 0.0, updated_at=row["updated_at"] or 0.0,
    )


class MeetingRows:
    """Meeting requests in SQLite (see `bot.domain.ports.MeetingStore` for the contract)."""

    if TYPE_CHECKING:  # provided by bot.store.Store
        def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    @staticmethod
    def _row(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
        rows = list(db.query("SELECT * FROM meetings WHERE idempotency_key = ?", [key]))
        return rows[0] if rows else None

    def _record_in(self, db: sqlite_utils.Database, key: str) -> MeetingRecord:
        row = self._row(db, key)
        if row is None:
            raise StoreError(f"no meeting with key {key!r}")
        return _record(row)

    @staticmethod
    def _log(db: sqlite_utils.Database, key: str, from_status: MeetingStatus | None, to_status: MeetingStatus,
             reason: str, owner: str | None, at: float) -> None:
        db.execute("INSERT INTO meeting_history (idempotency_key, from_status, to_status, reason, owner, at)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [key, from_status.value if from_status else None, to_status.value, reason, owner, at])

    def add_request(self, request: MeetingRequest, owner: str, lease_until: float) -> tuple[MeetingRecord, bool]:
        now = time.time()
        start = request.start.isoformat()
        with self.transaction() as db:
            existing = self._row(db, request.key)
            if existing is not None:
                return _record(existing), False
            db.execute(
                "INSERT INTO meetings (idempotency_key, team_id, user_id, channel_id, provider, status, title, start,"
                " start_epoch, duration_minutes, timezone, rrule, request_json, extra_json, created_at, updated_at,"
                " lease_owner, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)",
                [request.key, request.team_id, request.user_id, request.channel_id, request.provider,
                 MeetingStatus.REQUESTED.value, request.title, start, request.start.timestamp(),
                 request.duration_minutes, request.timezone, request.rrule, json.dumps(request.to_json()),
                 now, now, owner, lease_until])
            self._log(db, request.key, None, MeetingStatus.REQUESTED, "submitted", owner, now)
            return self._record_in(db, request.key), True

    def get_meeting(self, key: str) -> MeetingRecord | None:
        rows = self._query("SELECT * FROM meetings WHERE idempotency_key = ?", (key,))
        return _record(rows[0]) if rows else None

    def transition(self, key: str, from_status: MeetingStatus, to_status: MeetingStatus, *, reason: str,
                   owner: str | None = None, lease_until: float | None = None,
                   meeting: CreatedMeeting | None = None, error: str | None = None,
                   request: MeetingRequest | None = None) -> MeetingRecord | None:
        check_transition(from_status, to_status)
        now = time.time()
        if to_status in IN_FLIGHT:
            if owner is None or lease_until is None:
                raise ValueError(f"moving to {to_status.value} needs an owner and a lease")
            lease: list[Any] = [owner, lease_until]
        else:
            lease = [None, None]
        sets = "status = ?, updated_at = ?, error = ?, lease_owner = ?, lease_expires_at = ?"
        params: list[Any] = [to_status.value, now, error, *lease]
        if meeting is not None:
            extra = {"passcode": meeting.passcode, "dial_in": meeting.dial_in, "pin": meeting.pin}
            sets += ", provider_meeting_id = ?, join_url = ?, extra_json = ?"
            params += [str(meeting.meeting_id), meeting.join_url, json.dumps({k: v for k, v in extra.items() if v})]
        if request is not None:  # an edit: the organiser's new values replace the old ones
            sets += ", title = ?, start = ?, start_epoch = ?, duration_minutes = ?, timezone = ?, rrule = ?, request_json = ?"
            params += [request.title, request.start.isoformat(), request.start.timestamp(), request.duration_minutes,
                       request.timezone, request.rrule, json.dumps(request.to_json())]
        where = "idempotency_key = ? AND status = ?"
        params += [key, from_status.value]
        if from_status in IN_FLIGHT:  # only the lease holder moves an in-flight request on
            where += " AND lease_owner IS ?"
            params.append(owner)
        with self.transaction() as db:
            if db.execute(f"UPDATE meetings SET {sets} WHERE {where}", params).rowcount != 1:
                return None
            self._log(db, key, from_status, to_status, reason, owner, now)
            return self._record_in(db, key)

    def renew_leases(self, owner: str, until: float) -> int:
        with self.transaction() as db:
            return db.execute(f"UPDATE meetings SET lease_expires_at = ? WHERE lease_owner = ?"
                              f" AND status IN ({_IN_FLIGHT_SQL})", [until, owner, *_IN_FLIGHT]).rowcount

    def release_lease(self, key: str, owner: str, retry_at: float) -> bool:
        with self.transaction() as db:
            return db.execute(f"UPDATE meetings SET lease_owner = NULL, lease_expires_at = ? WHERE idempotency_key = ?"
                              f" AND lease_owner = ? AND status IN ({_IN_FLIGHT_SQL})",
                              [retry_at, key, owner, *_IN_FLIGHT]).rowcount == 1

    def take_over_expired(self, owner: str, now: float, lease_until: float, limit: int = 50) -> list[MeetingRecord]:
        taken = []
        with self.transaction() as db:
            rows = list(db.query(
                f"SELECT * FROM meetings WHERE status IN ({_IN_FLIGHT_SQL})"
                " AND (lease_expires_at IS NULL OR lease_expires_at < ?) ORDER BY lease_expires_at, id LIMIT ?",
                [*_IN_FLIGHT, now, limit]))
            for row in rows:
                db.execute("UPDATE meetings SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
                           [owner, lease_until, row["id"]])
                status = _status(row["status"])
                self._log(db, row["idempotency_key"], status, status,
                          f"lease of {row['lease_owner'] or 'nobody'} expired: taken over", owner, now)
                taken.append(self._record_in(db, row["idempotency_key"]))
        return taken

    def history(self, key: str) -> list[StatusChange]:
        rows = self._query("SELECT * FROM meeting_history WHERE idempotency_key = ? ORDER BY id", (key,))
        return [StatusChange(key=r["idempotency_key"], from_status=_status(r["from_status"]) if r["from_status"] else None,
                             to_status=_status(r["to_status"]), reason=r["reason"], owner=r["owner"], at=r["at"])
                for r in rows]

    def forget_response_urls(self, issued_before: float) -> int:
        with self.transaction() as db:
            return db.execute(
                "UPDATE meetings SET request_json = json_set(request_json, '$.response_url', '',"
                f" '$.origin_response_url', '') WHERE created_at < ? AND {_HAS_RESPONSE_URL}", [issued_before]).rowcount

    def upcoming_meetings(self, team_id: str, user_id: str, now_iso: str, limit: int = 10) -> list[MeetingRecord]:
        """Meetings still going ahead, starting at or after `now_iso`, soonest first (compared as epoch seconds)."""
        shown = sorted(status.value for status in LIVE)
        rows = self._query(
            f"SELECT * FROM meetings WHERE team_id = ? AND user_id = ? AND status IN ({', '.join('?' for _ in shown)})"
            " AND start_epoch >= ? ORDER BY start_epoch, id LIMIT ?",
            (team_id, user_id, *shown, to_epoch(now_iso), limit))
        return [_record(r) for r in rows]

