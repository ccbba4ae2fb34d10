"""The SQLite store (through sqlite-utils): linked accounts, preferences, OAuth states, and (through the
`MeetingRows` mixin in bot/store_meetings.py) meeting requests with their leases and history.

One connection per thread (the app calls in from many threads), WAL so readers never block the writer, and
every read-modify-write inside `BEGIN IMMEDIATE` so concurrent writers queue instead of failing.
Tokens are encrypted with `TokenCipher` before they are written; the file never holds one in clear text.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.crypto import TokenCipher
from bot.errors import StoreError
from bot.store_meetings import MeetingRows, migrate_to_leases
from bot.store_ops import OpsRows, migrate_ops
from bot.store_posts import PostRows, migrate_to_posts

log = logging.getLogger("meetbot.store")


@dataclass(frozen=True)
class LinkedAccount:
    """A user's link to a provider, with tokens DECRYPTED (only ever in memory)."""

    team_id: str
    user_id: str
    provider: str
    provider_user_id: str | None = None
    email: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None
    status: str = "active"
    version: int = 0

    def __repr__(self) -> str:  # tokens must not reach logs through a repr
        return f"LinkedAccount({self.team_id}/{self.user_id} {self.provider} {self.status} v{self.version})"


def _m001_initial(db: sqlite_utils.Database) -> None:
    """The first schema."""
    db.execute("""CREATE TABLE IF NOT EXISTS accounts (
        team_id TEXT NOT NULL, user_id TEXT NOT NULL, provider TEXT NOT NULL,
        provider_user_id TEXT, email TEXT, access_token_enc TEXT, refresh_token_enc TEXT,
        expires_at REAL, scope TEXT, status TEXT NOT NULL DEFAULT 'active', version INTEGER NOT NULL DEFAULT 1,
        created_at REAL, updated_at REAL, PRIMARY KEY (team_id, user_id, provider))""")
    db.execute("CREATE INDEX IF NOT EXISTS accounts_provider_user ON accounts (provider, provider_user_id)")
    db.execute("""CREATE TABLE IF NOT EXISTS preferences (
        team_id TEXT NOT NULL, user_id TEXT NOT NULL, default_provider TEXT, PRIMARY KEY (team_id, user_id))""")
    db.execute("""CREATE TABLE IF NOT EXISTS meetings (
        id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
        team_id TEXT NOT NULL, user_id TEXT NOT NULL, channel_id TEXT, provider TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', provider_meeting_id TEXT, join_url TEXT, title TEXT,
        start TEXT, start_epoch REAL, duration_minutes INTEGER, timezone TEXT, rrule TEXT,
        request_json TEXT NOT NULL DEFAULT '{}', extra_json TEXT NOT NULL DEFAULT '{}', error TEXT,
        created_at REAL, updated_at REAL)""")
    db.execute("CREATE INDEX IF NOT EXISTS meetings_user_start ON meetings (team_id, user_id, start)")
    db.execute("CREATE INDEX IF NOT EXISTS meetings_user_start_epoch ON meetings (team_id, user_id, start_epoch)")
    db.execute("""CREATE TABLE IF NOT EXISTS oauth_states (
        nonce TEXT PRIMARY KEY, created_at REAL NOT NULL, used_at REAL)""")


def _m002_refresh_lease(db: sqlite_utils.Database) -> None:
    """A short lease on an account row, held by whoever is refreshing its tokens (instead of a DB lock)."""
    db.execute("ALTER TABLE accounts ADD COLUMN lease_owner TEXT")
    db.execute("ALTER TABLE accounts ADD COLUMN lease_until REAL")


# Applied in order; the schema version is the number applied. Append, never edit or reorder.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m001_initial, _m002_refresh_lease, migrate_to_leases,
                                                          migrate_ops, migrate_to_posts]

FAILED_LEASE = "failed"  # the lease owner recorded for a short while after a refresh failed


def _create_owner_only(path: str) -> None:
    """Create the database file 0600 before SQLite does: its -wal and -shm files copy the main file's mode.
    An existing file keeps its mode; a path that cannot be created is left for sqlite3 to report."""
    # O_EXCL: never open (and close) an existing database here. Closing any descriptor of a file drops every
    # POSIX lock this process holds on it, which pulls SQLite's locks from under another thread's connection.
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
    except OSError:
        pass


class Store(MeetingRows, OpsRows, PostRows):
    """SQLite persistence for meetbot; safe to share between threads."""

    def __init__(self, path: str, cipher: TokenCipher) -> None:
        self.path = path
        self.cipher = cipher
        self._memory = path in ("", ":memory:")
        self._local = threading.local()
        self._all: list[sqlite_utils.Database] = []
        self._all_lock = threading.Lock()
        self._generation = 0
        # An in-memory database exists only inside its one connection: share it and serialise access.
        self._serial = threading.RLock() if self._memory else nullcontext()
        self._shared: sqlite_utils.Database | None = None
        self.requests = RequestLog(path)  # opened on first use
        self.migrate()

    # -- connections and transactions -------------------------------------------------------------

    def _open(self) -> sqlite_utils.Database:
        """A new connection with the pragmas every connection needs; StoreError names the path."""
        conn = None
        try:
            # check_same_thread=False only so close() can close every thread's connection at shutdown;
            # each connection is still used by its own thread alone (threading.local).
            if not self._memory:
                _create_owner_only(self.path)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            if not self._memory:
                conn.execute("PRAGMA journal_mode=WAL").fetchall()
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(conn, execute_plugins=False)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(f"cannot open the database {self.path!r}: {exc}") from exc
        with self._all_lock:
            self._all.append(db)
        return db

    def _db(self) -> sqlite_utils.Database:
        """This thread's connection, opened on first use (or after close())."""
        if self._memory:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        local = self._local
        if getattr(local, "db", None) is None or local.generation != self._generation:
            local.db, local.generation, local.depth = self._open(), self._generation, 0
        return local.db

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): takes the write lock up front, so no upgrade deadlock."""
        with self._serial:
            db = self._db()
            depth = getattr(self._local, "depth", 0)
            if depth:  # already inside this thread's transaction: join it
                yield db
                return
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to the database {self.path!r}: {exc}") from exc
            self._local.depth = 1
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"database error on {self.path!r}: {exc}") from exc
                raise
            finally:
                self._local.depth = 0

    def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        """Rows as dicts, outside any explicit transaction; sqlite3 errors become StoreError."""
        with self._serial:
            try:
                return list(self._db().query(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the database {self.path!r}: {exc}") from exc

    def migrate(self) -> None:
        """Bring the schema up to date: idempotent, and safe when several processes start at once."""
        try:
            self._db().execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path!r}: {exc}") from exc
        with self.transaction() as db:
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
                step(db)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", [number])

    def schema_version(self) -> int:
        """How many migrations this database has had."""
        return self._query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")[0]["v"]

    def close(self) -> None:
        """Close every connection this store opened; a later call opens fresh ones."""
        self.requests.close()
        with self._all_lock:
            dbs, self._all = self._all, []
            self._generation += 1
            self._shared = None
        for db in dbs:
            try:
                db.close()
            except sqlite3.Error:
                pass

    # -- accounts ---------------------------------------------------------------------------------

    def _enc(self, token: str | None) -> str | None:
        return None if token is None else self.cipher.encrypt(token)

    def _dec(self, token: str | None) -> str | None:
        return None if token is None else self.cipher.decrypt(token)

    def _account(self, row: dict[str, Any] | None) -> LinkedAccount:
        """The row, decrypted. A row no configured key decrypts (a key dropped without `rotate-keys`) is a
        disconnected link without tokens: the user is asked to reconnect, unlink works, relinking overwrites it."""
        if row is None:
            raise StoreError("the account row changed under a transaction")
        status = row["status"]
        try:
            access, refresh = self._dec(row["access_token_enc"]), self._dec(row["refresh_token_enc"])
        except StoreError:
            log.warning("the %s tokens of %s/%s decrypt under no configured key: treated as disconnected",
                        row["provider"], row["team_id"], row["user_id"])
            access = refresh = None
            status = "disconnected"
        return LinkedAccount(
            team_id=row["team_id"], user_id=row["user_id"], provider=row["provider"],
            provider_user_id=row["provider_user_id"], email=row["email"], access_token=access, refresh_token=refresh,
            expires_at=row["expires_at"], scope=row["scope"], status=status, version=row["version"],
        )

    @staticmethod
    def _one(db: sqlite_utils.Database, sql: str, params: tuple | list) -> dict[str, Any] | None:
        rows = list(db.query(sql, params))
        return rows[0] if rows else None

    _ACCOUNT_KEY = "team_id = ? AND user_id = ? AND provider = ?"

    def save_account(self, acc: LinkedAccount) -> LinkedAccount:
        """Insert or replace a link; bumps `version` so in-flight refreshes of the old tokens lose their CAS."""
        now = time.time()
        key = (acc.team_id, acc.user_id, acc.provider)
        values = (acc.provider_user_id, acc.email, self._enc(acc.access_token), self._enc(acc.refresh_token),
                  acc.expires_at, acc.scope, acc.status)
        with self.transaction() as db:
            old = self._one(db, f"SELECT version FROM accounts WHERE {self._ACCOUNT_KEY}", key)
            if old is None:
                db.execute(
                    "INSERT INTO accounts (team_id, user_id, provider, provider_user_id, email, access_token_enc,"
                    " refresh_token_enc, expires_at, scope, status, version, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", [*key, *values, now, now])
            else:
                db.execute(
                    "UPDATE accounts SET provider_user_id = ?, email = ?, access_token_enc = ?,"
                    " refresh_token_enc = ?, expires_at = ?, scope = ?, status = ?, version = version + 1,"
                    f" updated_at = ? WHERE {self._ACCOUNT_KEY}", [*values, now, *key])
            return self._account(self._one(db, f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", key))

    def get_account(self, team_id: str, user_id: str, provider: str) -> LinkedAccount | None:
        """The link, decrypted, or None."""
        rows = self._query(f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", (team_id, user_id, provider))
        return self._account(rows[0]) if rows else None

    def list_accounts(self, team_id: str, user_id: str) -> list[LinkedAccount]:
        """Every link of one Slack user, by provider name."""
        rows = self._query("SELECT * FROM accounts WHERE team_id = ? AND user_id = ? ORDER BY provider",
                           (team_id, user_id))
        return [self._account(r) for r in rows]

    def delete_account(self, team_id: str, user_id: str, provider: str) -> bool:
        """Unlink one provider; True if there was a link."""
        with self.transaction() as db:
            return db.execute(f"DELETE FROM accounts WHERE {self._ACCOUNT_KEY}",
                              [team_id, user_id, provider]).rowcount > 0

    def delete_user_accounts(self, team_id: str, user_id: str) -> int:
        """Unlink everything of one user (tokens_revoked); returns how many links went."""
        with self.transaction() as db:
            return db.execute("DELETE FROM accounts WHERE team_id = ? AND user_id = ?", [team_id, user_id]).rowcount

    def delete_team_accounts(self, team_id: str) -> int:
        """Unlink everyone in a workspace (app_uninstalled); returns how many links went."""
        with self.transaction() as db:
            return db.execute("DELETE FROM accounts WHERE team_id = ?", [team_id]).rowcount

    def find_accounts_by_provider_user(self, provider: str, provider_user_id: str) -> list[LinkedAccount]:
        """Links to one provider-side user (e.g. for a Zoom deauthorization webhook)."""
        rows = self._query("SELECT * FROM accounts WHERE provider = ? AND provider_user_id = ?",
                           (provider, str(provider_user_id)))
        return [self._account(r) for r in rows]

    def mark_disconnected(self, team_id: str, user_id: str, provider: str, expected_version: int | None = None) -> bool:
        """The provider refused our tokens: keep the row (for the UI) but stop using it; bumps `version`.
        With `expected_version`, only if the tokens are still those (a relink meanwhile wins). True if marked."""
        guard, params = ("", []) if expected_version is None else (" AND version = ?", [expected_version])
        with self.transaction() as db:
            return db.execute(
                "UPDATE accounts SET status = 'disconnected', version = version + 1, lease_owner = NULL,"
                f" lease_until = NULL, updated_at = ? WHERE {self._ACCOUNT_KEY}{guard}",
                [time.time(), team_id, user_id, provider, *params]).rowcount > 0

    def claim_refresh_lease(self, team_id: str, user_id: str, provider: str, expected_version: int, owner: str,
                            now: float, seconds: float) -> bool:
        """Compare-and-swap the refresh lease: True if `owner` now holds it for `seconds` (the row must still
        have `expected_version` and no live lease). One short transaction; nothing is held while refreshing."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE accounts SET lease_owner = ?, lease_until = ?"
                f" WHERE {self._ACCOUNT_KEY} AND version = ? AND (lease_owner IS NULL OR lease_until < ?)",
                [owner, now + seconds, team_id, user_id, provider, expected_version, now]).rowcount == 1

    def end_refresh_lease(self, team_id: str, user_id: str, provider: str, owner: str,
                          failed_until: float | None = None) -> None:
        """Give the lease back (a no-op unless `owner` still holds it). After a failed refresh, `failed_until`
        keeps it as `FAILED_LEASE` until then, so waiters in any process give up instead of sending the same
        refresh token again."""
        with self.transaction() as db:
            db.execute(f"UPDATE accounts SET lease_owner = ?, lease_until = ? WHERE {self._ACCOUNT_KEY}"
                       " AND lease_owner = ?", [None if failed_until is None else FAILED_LEASE, failed_until,
                                                team_id, user_id, provider, owner])

    def refresh_lease_owner(self, team_id: str, user_id: str, provider: str, now: float) -> str | None:
        """Who holds a live refresh lease on the account (`FAILED_LEASE` just after a failed refresh), or None."""
        rows = self._query(f"SELECT lease_owner FROM accounts WHERE {self._ACCOUNT_KEY} AND lease_until >= ?",
                           (team_id, user_id, provider, now))
        return rows[0]["lease_owner"] if rows else None

    def update_tokens_if_version(self, team_id: str, user_id: str, provider: str, expected_version: int,
                                 access_token: str, refresh_token: str | None,
                                 expires_at: float | None) -> LinkedAccount | None:
        """Compare-and-swap after a token refresh: None if another refresh (or relink) got there first.

        A `refresh_token` of None keeps the stored one (some providers don't rotate refresh tokens).
        """
        key = (team_id, user_id, provider)
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE accounts SET access_token_enc = ?, refresh_token_enc = COALESCE(?, refresh_token_enc),"
                " expires_at = ?, version = version + 1, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                f" WHERE {self._ACCOUNT_KEY} AND version = ?",
                [self._enc(access_token), self._enc(refresh_token), expires_at, time.time(), *key, expected_version],
            ).rowcount
            if not changed:
                return None
            return self._account(self._one(db, f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", key))

    def rotate_keys(self) -> int:
        """Re-encrypt every stored token under the primary key, all or nothing; returns rows rewritten."""
        count = 0
        with self.transaction() as db:
            for row in list(db.query("SELECT rowid, access_token_enc, refresh_token_enc FROM accounts")):
                rotated = [None if v is None else self.cipher.rotate(v)
                           for v in (row["access_token_enc"], row["refresh_token_enc"])]
                db.execute("UPDATE accounts SET access_token_enc = ?, refresh_token_enc = ? WHERE rowid = ?",
                           [*rotated, row["rowid"]])
                count += 1
        return count

    # -- preferences ------------------------------------------------------------------------------

    def get_default_provider(self, team_id: str, user_id: str) -> str | None:
        """The provider the user chose as default, if any."""
        rows = self._query("SELECT default_provider FROM preferences WHERE team_id = ? AND user_id = ?",
                           (team_id, user_id))
        return rows[0]["default_provider"] if rows else None

    def set_default_provider(self, team_id: str, user_id: str, provider: str) -> None:
        """Remember the user's default provider."""
        with self.transaction() as db:
            db.execute("INSERT INTO preferences (team_id, user_id, default_provider) VALUES (?, ?, ?)"
                       " ON CONFLICT (team_id, user_id) DO UPDATE SET default_provider = excluded.default_provider",
                       [team_id, user_id, provider])

    # -- OAuth state ------------------------------------------------------------------------------

    def consume_state(self, nonce: str, now: float) -> bool:
        """Mark an OAuth state nonce used: True the first time only, so a replayed callback is refused."""
        with self.transaction() as db:
            row = self._one(db, "SELECT used_at FROM oauth_states WHERE nonce = ?", [nonce])
            if row is None:
                db.execute("INSERT INTO oauth_states (nonce, created_at, used_at) VALUES (?, ?, ?)", [nonce, now, now])
                return True
            if row["used_at"] is None:
                db.execute("UPDATE oauth_states SET used_at = ? WHERE nonce = ?", [now, nonce])
                return True
            return False

    def prune_states(self, older_than: float) -> int:
        """Forget nonces created before `older_than` (their signed state has expired anyway)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM oauth_states WHERE created_at < ?", [older_than]).rowcount


class RequestLog:
    """Slack requests already handled, in a small SQLite file of their own beside the database (`<db>-requests`).

    Why its own file: every Slack request is recorded here inside Slack's 3-second ack, so it must not queue
    behind the main database's writers, whose lock SQLite's busy handler waits on in sleeps of up to 100 ms
    (measured with the table in the main file, Zoom answering in 2 s: /meet ack p99 21 → 221 ms). Within a
    process claims queue on a Python lock, with no busy sleeps; across processes the file is shared like the
    database, so a replay sent to another process is still caught.
    """

    PRUNE_EVERY_SECONDS = 60.0

    def __init__(self, db_path: str) -> None:
        self.path = db_path if db_path in ("", ":memory:") else f"{db_path}-requests"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pruned_at = 0.0

    def _connect(self) -> sqlite3.Connection:
        memory = self.path in ("", ":memory:")
        if not memory:
            _create_owner_only(self.path)
        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=5000")
        if not memory:
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS handled_requests (key TEXT PRIMARY KEY, seen_at REAL NOT NULL)")
        conn.execute("CREATE INDEX IF NOT EXISTS handled_requests_seen ON handled_requests (seen_at)")
        return conn

    def claim(self, key: str, now: float, keep_seconds: float) -> bool:
        """True the first time `key` is seen (the caller then handles the request), False for a replay or a
        retry. Keys older than `keep_seconds` are pruned (about once a minute)."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                if now - self._pruned_at > self.PRUNE_EVERY_SECONDS:
                    self._conn.execute("DELETE FROM handled_requests WHERE seen_at < ?", [now - keep_seconds])
                    self._pruned_at = now
                return self._conn.execute("INSERT OR IGNORE INTO handled_requests (key, seen_at) VALUES (?, ?)",
                                          [key, now]).rowcount == 1
            except sqlite3.Error as exc:
                raise StoreError(f"cannot record a request in {self.path!r}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
