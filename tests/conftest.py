"""Shared fixtures. Bolt's `App()` reads SLACK_* itself, so every test runs with them cleared."""

from __future__ import annotations

import pytest

from bot.logsafe import install_redaction

install_redaction()  # as `meetbot run/serve` do: tests see the logs production would write

_SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
