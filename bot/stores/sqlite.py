"""The SQLite backend (the embedded default, `MEETBOT_DB`): connections, transactions, the schema's DDL.

The queries themselves are portable and shared with PostgreSQL (bot/stores/accounts.py, meetings.py); this
module holds what is SQLite's own. One connection per thread (the app calls in from many threads), WAL so
readers never block the writer, and every transaction `BEGIN IMMEDIATE` so concurrent writers (threads or
processes on one host) queue instead of failing, and migrations run once however many processes start.
sqlite-utils gives the connections their dict rows (`db.query`); the DDL is written out per version rather
than through its table API so that each step reads side by side with the PostgreSQL one, and because its
`transform()` rebuilds a table by copying, which must not race another instance still serving.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import sqlite_utils

from bot.crypto import TokenCipher
from bot.domain.status import LEGACY_NAMES
from bot.errors import StoreError
from bot.stores.accounts import AccountRows
from bot.stores.installations import InstallationRows
from bot.stores.meetings import MeetingRows
from bot.stores.ops import OpsRows
from bot.stores.posts import PostRows

log = logging.getLogger("meetbot.store")


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


# Rows still holding a response_url (see MeetingRows.HAS_RESPONSE_URL).
_HAS_RESPONSE_URL = ("(json_extract(request_json, '$.response_url') != ''"
                     " OR json_extract(request_json, '$.origin_response_url') != '')")


def _m003_leases(db: sqlite_utils.Database) -> None:
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



def _m004_ops(db: sqlite_utils.Database) -> None:
    """Schema step 4: chore leases, workspace policies, and an index for listing recent requests."""
    db.execute("""CREATE TABLE IF NOT EXISTS chore_leases (
        name TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until REAL NOT NULL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS workspace_policies (
        team_id TEXT PRIMARY KEY, allowed_providers TEXT NOT NULL DEFAULT '', default_provider TEXT,
        reminder_minutes INTEGER, confirm_over_members INTEGER, updated_by TEXT, updated_at REAL)""")
    db.execute("CREATE INDEX IF NOT EXISTS meetings_created ON meetings (created_at)")


def _m005_posts(db: sqlite_utils.Database) -> None:
    """Schema step 5: each meeting's post, its scheduled reminders, its live state (from provider events),
    and leases on periodic tasks."""
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_posts (
        idempotency_key TEXT PRIMARY KEY, channel_id TEXT NOT NULL, ts TEXT NOT NULL, updated_at REAL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_reminders (
        idempotency_key TEXT NOT NULL, channel_id TEXT NOT NULL, scheduled_message_id TEXT NOT NULL,
        post_at INTEGER NOT NULL, PRIMARY KEY (idempotency_key, scheduled_message_id))""")
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_live (
        idempotency_key TEXT PRIMARY KEY, started_at REAL, ended_at REAL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_participants (
        idempotency_key TEXT NOT NULL, participant TEXT NOT NULL, in_call INTEGER NOT NULL,
        PRIMARY KEY (idempotency_key, participant))""")
    db.execute("CREATE INDEX IF NOT EXISTS meetings_provider_meeting ON meetings (provider, provider_meeting_id)")
    db.execute("""CREATE TABLE IF NOT EXISTS task_leases (
        name TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until REAL NOT NULL)""")


def _m006_installations(db: sqlite_utils.Database) -> None:
    """Slack app installations per workspace (Bolt's OAuth flow), encrypted like provider tokens."""
    db.execute("""CREATE TABLE IF NOT EXISTS slack_installations (
        kind TEXT NOT NULL, enterprise_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
        data_enc TEXT NOT NULL, installed_at REAL, PRIMARY KEY (kind, enterprise_id, team_id, user_id))""")

# Applied in order; the schema version is the number applied. Append, never edit or reorder; PostgreSQL's
# list (bot/stores/postgres.py) has the same steps under the same numbers.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m001_initial, _m002_refresh_lease, _m003_leases,
                                                          _m004_ops, _m005_posts,
                                                          _m006_installations]


def _create_owner_only(path: str) -> None:
    """Create the database file 0600 before SQLite does: its -wal and -shm files copy the main file's mode.
    An existing file keeps its mode; a path that cannot be created is left for sqlite3 to report."""
    # O_EXCL: never open (and close) an existing database here. Closing any descriptor of a file drops every
    # POSIX lock this process holds on it, which pulls SQLite's locks from under another thread's connection.
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
    except OSError:
        pass



def _switch_to_wal(conn: sqlite3.Connection, wait_seconds: float = 10.0) -> None:
    """WAL mode, waiting for other processes that open the same new file at the same moment.

    Changing the journal mode of a fresh database needs it to itself, and SQLite answers "database is locked"
    at once there instead of calling the busy handler (seen with `meetbot serve --workers 2` on a new file),
    so this retries with a deadline.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # another process holds the file for a moment: retry (a deadline above)

class SqliteStore(AccountRows, MeetingRows, OpsRows, PostRows, InstallationRows):
    """SQLite persistence for meetbot; safe to share between threads and between processes on one host."""

    HAS_RESPONSE_URL = _HAS_RESPONSE_URL
    FORGET_RESPONSE_URLS = "json_set(request_json, '$.response_url', '', '$.origin_response_url', '')"

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
                _switch_to_wal(conn)
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
        with self.transaction() as db:  # BEGIN IMMEDIATE waits out another process migrating (busy_timeout)
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
                step(db)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", [number])

    def schema_version(self) -> int:
        """How many migrations this database has had."""
        return self._query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")[0]["v"]

    def schema_is_current(self) -> bool:
        """The database answers and has every migration this code knows (GET /readyz)."""
        return self.schema_version() == len(MIGRATIONS)

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
            _switch_to_wal(conn)
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
