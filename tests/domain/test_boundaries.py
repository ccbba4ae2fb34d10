"""The domain core's promises about itself: it imports no Slack, HTTP or database code, and the meeting
statuses are spelled in one place only (bot/domain/status.py), SQL included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.domain.status import LEGACY_NAMES, MeetingStatus

BOT = Path(__file__).parent.parent.parent / "bot"
EDGES = ("slack_sdk", "slack_bolt", "httpx", "sqlite3", "sqlite_utils", "bot.slack", "bot.stores", "psycopg", "bot.providers",
         "bot.app", "bot.jobs")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((BOT / "domain").glob("*.py")), ids=lambda p: p.name)
def test_the_domain_imports_no_edge(path):
    leaks = {name for name in imports(path) if name.startswith(EDGES)}
    assert not leaks, f"{path.name} imports {leaks}"


def test_status_names_appear_only_in_the_status_module():
    names = {status.value for status in MeetingStatus} | set(LEGACY_NAMES)
    found = []
    for path in sorted(BOT.rglob("*.py")):
        if path == BOT / "domain" / "status.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):  # "posted", or SQL's 'posted'
                found += [(path.relative_to(BOT).as_posix(), name) for name in sorted(names)
                          if node.value == name or f"'{name}'" in node.value]
    # The first schema's column default predates the enum (migration 3 renames what it wrote); FAILED_LEASE
    # marks an account's token-refresh lease, not a meeting.
    assert found == [("stores/accounts.py", "failed"), ("stores/sqlite.py", "pending")], found
