"""Slack app installations (Bolt's OAuth flow, many workspaces), encrypted at rest, on both backends.

`InstallationRows` (a mixin of both stores, portable SQL) keeps each installation and its bot as one encrypted
JSON document per (enterprise, team, user); `SlackInstallations` adapts it to slack_sdk's `InstallationStore`,
which Bolt's OAuth flow and authorize step call. An org-wide (Enterprise Grid) install is kept under its
enterprise id with an empty team id, as slack_sdk's own stores do. The latest installer of a workspace is also
kept under an empty user id, so a lookup without a user finds it.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore

from bot.crypto import TokenCipher

if TYPE_CHECKING:
    from bot.stores import InstallationStore as InstallationStorage

log = logging.getLogger("meetbot.installations")
_EXPIRES = ("bot_token_expires_at", "user_token_expires_at")
MEMBER = "member"  # a workspace served by its Grid org's org-wide install


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """slack_sdk's to_dict() with datetimes as numbers (expiry as whole seconds, which its classes accept)."""
    out = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            value = int(value.timestamp()) if key in _EXPIRES else value.timestamp()
        out[key] = value
    return out


class InstallationRows:
    """Installations as encrypted rows (see `SlackInstallations` for who calls this)."""

    cipher: TokenCipher

    if TYPE_CHECKING:  # provided by the backend
        def transaction(self) -> AbstractContextManager[Any]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    def put_installation(self, kind: str, enterprise_id: str, team_id: str, user_id: str, data: dict[str, Any]) -> None:
        """Insert or replace one document (`kind`: installation or bot), encrypted."""
        with self.transaction() as db:
            db.execute("INSERT INTO slack_installations (kind, enterprise_id, team_id, user_id, data_enc, installed_at)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, enterprise_id, team_id, user_id) DO UPDATE SET"
                       " data_enc = excluded.data_enc, installed_at = excluded.installed_at",
                       [kind, enterprise_id, team_id, user_id, self.cipher.encrypt(json.dumps(data)), time.time()])

    def get_installation(self, kind: str, enterprise_id: str, team_id: str, user_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT data_enc FROM slack_installations WHERE kind = ? AND enterprise_id = ?"
                           " AND team_id = ? AND user_id = ?", (kind, enterprise_id, team_id, user_id))
        return json.loads(self.cipher.decrypt(rows[0]["data_enc"])) if rows else None

    def delete_installations(self, kind: str, enterprise_id: str, team_id: str, user_id: str | None = None) -> int:
        """Forget the workspace's documents of `kind` (one user's only, when `user_id` is given)."""
        guard, params = ("", []) if user_id is None else (" AND user_id = ?", [user_id])
        with self.transaction() as db:
            return db.execute(f"DELETE FROM slack_installations WHERE kind = ? AND enterprise_id = ? AND team_id = ?{guard}",
                              [kind, enterprise_id, team_id, *params]).rowcount

    def member_teams(self, enterprise_id: str) -> list[str]:
        """The workspaces noted as served by the org-wide install of `enterprise_id`."""
        rows = self._query("SELECT team_id FROM slack_installations WHERE kind = ? AND enterprise_id = ?",
                           (MEMBER, enterprise_id))
        return [row["team_id"] for row in rows]

    def find_team_installation(self, kind: str, team_id: str) -> tuple[str, dict[str, Any]] | None:
        """(enterprise id, document) of the newest workspace-level document of `kind` for `team_id`, whatever
        its enterprise (background work knows the workspace, not always its Grid org)."""
        rows = self._query("SELECT enterprise_id, data_enc FROM slack_installations WHERE kind = ? AND team_id = ?"
                           " AND user_id = '' ORDER BY installed_at DESC LIMIT 1", (kind, team_id))
        return (rows[0]["enterprise_id"], json.loads(self.cipher.decrypt(rows[0]["data_enc"]))) if rows else None


def _ids(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> tuple[str, str]:
    return enterprise_id or "", "" if is_enterprise_install else (team_id or "")


class SlackInstallations(InstallationStore):
    """slack_sdk's InstallationStore over meetbot's store (either backend)."""

    def __init__(self, rows: InstallationStorage) -> None:
        self.rows = rows

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        e, t = _ids(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        data = _plain(installation.to_dict())
        self.rows.put_installation("installation", e, t, installation.user_id or "", data)
        self.rows.put_installation("installation", e, t, "", data)  # the workspace's latest installer
        self.save_bot(installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        e, t = _ids(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        self.rows.put_installation("bot", e, t, "", _plain(bot.to_dict()))

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        data = self.rows.get_installation("bot", *_ids(enterprise_id, team_id, is_enterprise_install), "")
        return Bot(**data) if data else None

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        e, t = _ids(enterprise_id, team_id, is_enterprise_install)
        data = self.rows.get_installation("installation", e, t, user_id or "")
        return Installation(**data) if data else None

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.rows.delete_installations("bot", enterprise_id or "", team_id or "")

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None) -> None:
        self.rows.delete_installations("installation", enterprise_id or "", team_id or "", user_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        self.rows.delete_installations(MEMBER, enterprise_id or "", team_id or "")

    def bot_token_for(self, team_id: str, enterprise_id: str | None = None) -> str | None:
        """The bot token that speaks for `team_id`: its own installation's, else its Grid org's (an org-wide
        install), found through `enterprise_id` or the membership noted when the workspace last wrote to us."""
        found = self.rows.find_team_installation("bot", team_id)
        if found is not None:
            return found[1].get("bot_token") or None
        if not enterprise_id:
            member = self.rows.find_team_installation(MEMBER, team_id)
            enterprise_id = member[0] if member else None
        org = self.rows.get_installation("bot", enterprise_id, "", "") if enterprise_id else None
        return org.get("bot_token") or None if org else None

    def note_member(self, enterprise_id: str, team_id: str) -> None:
        """Remember that `team_id` belongs to the org-wide install of `enterprise_id` (for background work,
        which knows only the workspace)."""
        if enterprise_id and team_id and self.rows.get_installation(MEMBER, enterprise_id, team_id, "") is None:
            self.rows.put_installation(MEMBER, enterprise_id, team_id, "", {})
