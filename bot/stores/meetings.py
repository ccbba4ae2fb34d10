"""Meeting requests, their leases and their status history, in portable SQL shared by both backends.

A mixin of `SqliteStore` and `PostgresStore` (which own the connections and `transaction()`; see
bot/stores/accounts.py). Every status change is one compare-and-swap UPDATE plus one history row, inside one
transaction; statuses are always passed as `MeetingStatus` values, never written here. What differs between
the backends (JSON functions, row locks for the takeover) is a class attribute each backend sets.
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest, StatusChange
from bot.domain.status import IN_FLIGHT, LEGACY_NAMES, LIVE, MeetingStatus, check_transition
from bot.errors import StoreError

_IN_FLIGHT = sorted(status.value for status in IN_FLIGHT)
_IN_FLIGHT_SQL = ", ".join("?" for _ in _IN_FLIGHT)


def to_epoch(iso: str, zone: str | None = None) -> float:
    """Seconds since the epoch for an ISO-8601 string; a naive time is read in `zone` (else UTC)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(zone) if zone else timezone.utc)
        except (KeyError, ValueError):
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


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

    # Backend SQL: rows still holding a response_url, and the expression that blanks them (a partial index on
    # the first keeps forgetting them cheap on a big table); what locks the rows a takeover picks.
    HAS_RESPONSE_URL: str
    FORGET_RESPONSE_URLS: str
    LOCK_FOR_TAKEOVER: str = ""

    if TYPE_CHECKING:  # provided by the backend
        def transaction(self) -> AbstractContextManager[Any]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    @staticmethod
    def _row(db: Any, key: str) -> dict[str, Any] | None:
        rows = list(db.query("SELECT * FROM meetings WHERE idempotency_key = ?", [key]))
        return rows[0] if rows else None

    def _record_in(self, db: Any, key: str) -> MeetingRecord:
        row = self._row(db, key)
        if row is None:
            raise StoreError(f"no meeting with key {key!r}")
        return _record(row)

    @staticmethod
    def _log(db: Any, key: str, from_status: MeetingStatus | None, to_status: MeetingStatus,
             reason: str, owner: str | None, at: float) -> None:
        db.execute("INSERT INTO meeting_history (idempotency_key, from_status, to_status, reason, owner, at)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [key, from_status.value if from_status else None, to_status.value, reason, owner, at])

    def add_request(self, request: MeetingRequest, owner: str, lease_until: float) -> tuple[MeetingRecord, bool]:
        now = time.time()
        start = request.start.isoformat()
        with self.transaction() as db:
            inserted = db.execute(
                "INSERT INTO meetings (idempotency_key, team_id, user_id, channel_id, provider, status, title, start,"
                " start_epoch, duration_minutes, timezone, rrule, request_json, extra_json, created_at, updated_at,"
                " lease_owner, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)"
                " ON CONFLICT (idempotency_key) DO NOTHING",
                [request.key, request.team_id, request.user_id, request.channel_id, request.provider,
                 MeetingStatus.REQUESTED.value, request.title, start, request.start.timestamp(),
                 request.duration_minutes, request.timezone, request.rrule, json.dumps(request.to_json()),
                 now, now, owner, lease_until]).rowcount
            if not inserted:
                return self._record_in(db, request.key), False
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
            if owner is None:
                where += " AND lease_owner IS NULL"
            else:
                where += " AND lease_owner = ?"
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
                " AND (lease_expires_at IS NULL OR lease_expires_at < ?) ORDER BY lease_expires_at, id LIMIT ?"
                f"{self.LOCK_FOR_TAKEOVER}",
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
            return db.execute(f"UPDATE meetings SET request_json = {self.FORGET_RESPONSE_URLS}"
                              f" WHERE created_at < ? AND {self.HAS_RESPONSE_URL}", [issued_before]).rowcount

    def upcoming_meetings(self, team_id: str, user_id: str, now_iso: str, limit: int = 10) -> list[MeetingRecord]:
        """Meetings still going ahead, starting at or after `now_iso`, soonest first (compared as epoch seconds)."""
        shown = sorted(status.value for status in LIVE)
        rows = self._query(
            f"SELECT * FROM meetings WHERE team_id = ? AND user_id = ? AND status IN ({', '.join('?' for _ in shown)})"
            " AND start_epoch >= ? ORDER BY start_epoch, id LIMIT ?",
            (team_id, user_id, *shown, to_epoch(now_iso), limit))
        return [_record(r) for r in rows]

