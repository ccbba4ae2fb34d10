"""`mypy bot` stays clean: the typed interfaces (store, providers, scheduler ports) are only worth what the
checker enforces, so CI runs it with the rest of the suite (settings in pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).parent.parent


def test_mypy_bot_is_clean():
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", "/dev/null",
                                str(ROOT / "bot")])
    assert status == 0, out + err
