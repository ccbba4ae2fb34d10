"""What only the SQLite backend has: files (mode, WAL, a key file beside them), pragmas, per-thread connections,
the in-memory database, and SQLite's own storage classes. The shared contract is in test_contract.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.crypto import TokenCipher, load_cipher
from bot.domain.status import MeetingStatus
from bot.domain.meeting import CreatedMeeting
from bot.errors import StoreError
from bot.stores.sqlite import MIGRATIONS, SqliteStore as Store
from tests.stores.test_contract import ACCESS, REFRESH, account, advance, claim, run_threads

S = MeetingStatus


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "meetbot.db")


@pytest.fixture
def store(db_path: str):
    s = Store(db_path, TokenCipher.from_keys([Fernet.generate_key().decode()]))
    yield s
    s.close()


def raw_bytes(db_path: str) -> bytes:
    return b"".join(p.read_bytes() for p in Path(db_path).parent.glob(Path(db_path).name + "*"))


# -- schema and connections -------------------------------------------------------------------------


def test_schema_is_idempotent_and_data_survives_reopen(db_path: str) -> None:
    cipher = TokenCipher.from_keys(["k"])
    first = Store(db_path, cipher)
    first.set_default_provider("T1", "U1", "zoom")
    first.close()
    second = Store(db_path, cipher)
    assert second.schema_version() == len(MIGRATIONS)
    assert second.get_default_provider("T1", "U1") == "zoom"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"accounts", "preferences", "meetings", "oauth_states", "schema_version"} <= tables
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "meetings_user_start" in indexes
    conn.close()
    second.close()


def test_wal_mode_is_on(store: Store, db_path: str) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store._db().execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_each_thread_gets_its_own_connection(store: Store) -> None:
    mine = store._db()
    results, errors = run_threads(3, lambda i: store._db())
    assert not errors
    assert len({id(mine), *map(id, results)}) == 4
    store.close()  # closes the other threads' connections too
    assert store._db() is not mine


def test_parent_is_a_file_is_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    path = str(blocker / "meetbot.db")
    with pytest.raises(StoreError) as info:
        Store(path, TokenCipher.from_keys(["k"]))
    assert path in str(info.value)
    assert isinstance(info.value.__cause__, sqlite3.Error)


def test_corrupt_file_is_store_error(db_path: str) -> None:
    Path(db_path).write_bytes(b"this is not a database \x00\xff" * 400)
    with pytest.raises(StoreError) as info:
        Store(db_path, TokenCipher.from_keys(["k"]))
    assert db_path in str(info.value)


def test_memory_database_is_shared_between_threads() -> None:
    s = Store(":memory:", load_cipher(None, ":memory:"))
    _, errors = run_threads(5, lambda i: claim(s, f"k{i}"))
    assert not errors
    assert all(s.get_meeting(f"k{i}") for i in range(5))
    s.close()


def test_store_with_key_file(db_path: str) -> None:
    s = Store(db_path, load_cipher(None, db_path))
    s.save_account(account())
    s.close()
    again = Store(db_path, load_cipher(None, db_path))
    assert again.get_account("T1", "U1", "zoom").access_token == ACCESS
    again.close()


def test_meeting_id_stored_as_text(store: Store, db_path: str) -> None:
    claim(store, "k")
    advance(store, "k", S.CREATING, S.CREATED, meeting=CreatedMeeting("zoom", "9223372036854775807", "https://j"))
    assert sqlite3.connect(db_path).execute("SELECT typeof(provider_meeting_id) FROM meetings").fetchone()[0] == "text"
    assert store.get_meeting("k").provider_meeting_id == "9223372036854775807"


def test_tokens_are_not_in_the_files_even_in_the_wal(store: Store, db_path: str) -> None:
    store.save_account(account())
    store.close()
    data = raw_bytes(db_path)
    assert b"SECRET" not in data and ACCESS.encode() not in data and REFRESH.encode() not in data
