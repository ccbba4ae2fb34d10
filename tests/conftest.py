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
