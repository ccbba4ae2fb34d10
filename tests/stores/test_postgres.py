"""What only the PostgreSQL backend has: instances migrating at once under the advisory lock, the factory's
choice by settings, and a clear StoreError (without the password) when the server cannot be reached."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.crypto import TokenCipher
from bot.errors import MissingSetting, StoreError
from bot.settings import Settings
from bot.stores import open_store
from bot.stores.postgres import MIGRATIONS, PostgresStore
from bot.stores.sqlite import SqliteStore
from tests.stores.test_contract import run_threads


def test_instances_starting_at_once_migrate_once(postgres_server) -> None:
    url = postgres_server.new_database()
    stores, errors = run_threads(6, lambda i: PostgresStore(url, TokenCipher.from_keys(["k"])))
    assert not errors, errors
    assert stores[0]._query("SELECT version FROM schema_version ORDER BY version") == [
        {"version": n} for n in range(1, len(MIGRATIONS) + 1)]
    assert all(s.schema_is_current() for s in stores)
    for store in stores:
        store.close()


def test_database_url_wins_over_the_sqlite_path(postgres_server, tmp_path) -> None:
    key = Fernet.generate_key().decode()
    both = Settings(_env_file=None, meetbot_db=str(tmp_path / "m.db"), meetbot_secret_key=key,
                    meetbot_database_url=postgres_server.new_database())
    store = open_store(both)
    assert isinstance(store, PostgresStore) and not (tmp_path / "m.db").exists()
    store.close()
    sqlite = open_store(Settings(_env_file=None, meetbot_db=str(tmp_path / "m.db"), meetbot_secret_key=key))
    assert isinstance(sqlite, SqliteStore)
    sqlite.close()


def test_postgres_needs_a_shared_secret_key(postgres_server) -> None:
    with pytest.raises(MissingSetting):
        open_store(Settings(_env_file=None, meetbot_database_url=postgres_server.new_database()))


def test_unreachable_server_is_one_clear_store_error(tmp_path) -> None:
    url = f"postgresql://meetbot:hunter2-password@/meetbot?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError) as info:
        PostgresStore(url, TokenCipher.from_keys(["k"]))
    assert "hunter2" not in str(info.value) and "meetbot" in str(info.value)
