"""Shared fixtures. Bolt's `App()` reads SLACK_* itself, so every test runs with them cleared."""

from __future__ import annotations

import pytest

from bot.logsafe import install_redaction
from tests.blockkit import assert_valid_block_kit

install_redaction()  # as `meetbot run/serve` do: tests see the logs production would write

_SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _SLACK_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def slack():
    """A fake Slack Web API on 127.0.0.1; afterwards, everything sent to it is checked against Block Kit."""
    from tests.fakes.slack import FakeSlack

    with FakeSlack() as fake:
        yield fake
        assert_valid_block_kit(fake.calls())


@pytest.fixture
def zoom():
    """A fake Zoom (OAuth + REST) on 127.0.0.1."""
    from tests.fakes.zoom import FakeZoom

    with FakeZoom() as fake:
        yield fake


@pytest.fixture
def dialpad():
    """A fake Dialpad (OAuth + REST) on 127.0.0.1."""
    from tests.fakes.dialpad import FakeDialpad

    with FakeDialpad() as fake:
        yield fake


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL for the whole session (tests/pgserver.py); failing to start it fails the run.

    Its directory is not under pytest's basetemp: as root the server runs as another user, and every pytest
    start (any pytest on the machine) resets /tmp/pytest-of-<user> to 0700, which would lock it out mid-run."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.pgserver import PostgresServer

    workdir = Path(tempfile.mkdtemp(prefix="meetbot-test-pg-"))
    try:
        server = PostgresServer(workdir)
        yield server
        server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def backend() -> dict[str, str]:
    """Settings overrides choosing the storage backend of an end-to-end test: by default none (SQLite). A suite
    that must hold on both imports `tests.harness.on_both_backends`, which overrides this with `database`."""
    return {}


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> dict[str, str]:
    """Settings overrides for each storage backend, for suites that must hold on both: nothing (SQLite in the
    test's tmp_path, the default) or MEETBOT_DATABASE_URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return {}
    return {"meetbot_database_url": request.getfixturevalue("postgres_server").new_database()}
