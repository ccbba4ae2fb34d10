"""The database holds encrypted tokens and meeting history: its files are readable by their owner only."""

from __future__ import annotations

import os
import stat

from cryptography.fernet import Fernet

from bot.crypto import TokenCipher
from bot.stores import LinkedAccount
from bot.stores.sqlite import SqliteStore as Store


def test_database_wal_and_shm_are_created_0600(tmp_path):
    old = os.umask(0o022)  # a usual default that would leave them world-readable
    try:
        store = Store(str(tmp_path / "meetbot.db"), TokenCipher.from_keys([Fernet.generate_key().decode()]))
        store.save_account(LinkedAccount("T1", "U1", "zoom", "z1", "a@x", "access", "refresh", 1.0))
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.name.startswith("meetbot.db")}
        store.close()
    finally:
        os.umask(old)
    assert {"meetbot.db", "meetbot.db-wal", "meetbot.db-shm"} <= set(files)
    assert all(mode == 0o600 for mode in files.values()), {name: oct(mode) for name, mode in files.items()}


def test_request_log_files_are_0600_too(tmp_path):
    store = Store(str(tmp_path / "meetbot.db"), TokenCipher.from_keys([Fernet.generate_key().decode()]))
    assert store.requests.claim("k", 1000.0, 600) is True and store.requests.claim("k", 1001.0, 600) is False
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.name.startswith("meetbot.db-requests")}
    store.close()
    assert "meetbot.db-requests" in files and all(mode == 0o600 for mode in files.values()), files
