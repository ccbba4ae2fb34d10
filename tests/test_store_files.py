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


def _open_after(barrier, db: str, key: str, results) -> None:
    from bot.settings import Settings
    from bot.stores import open_store

    barrier.wait(10)
    try:
        store = open_store(Settings(_env_file=None, meetbot_db=db, meetbot_secret_key=key))
        results.put(store.schema_version())
        store.close()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def test_several_processes_opening_a_new_database_at_once_all_start(tmp_path):
    """`meetbot serve --workers N` on a fresh file: the forked workers open and migrate it at the same moment.
    Switching a new file to WAL answers "database is locked" at once (no busy wait), which stopped a worker."""
    import multiprocessing

    context = multiprocessing.get_context("fork")  # as the workers are made: no interpreter start to stagger them
    key = Fernet.generate_key().decode()
    for round_ in range(3):  # a few rounds: the race is narrow
        db = str(tmp_path / f"fresh{round_}.db")
        barrier, results = context.Barrier(8), context.Queue()
        procs = [context.Process(target=_open_after, args=(barrier, db, key, results)) for _ in range(8)]
        for proc in procs:
            proc.start()
        answers = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(30)
        assert len(set(answers)) == 1 and isinstance(answers[0], int), answers
