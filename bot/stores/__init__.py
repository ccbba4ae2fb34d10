"""The store as the rest of meetbot sees it: one typed interface (Protocol), a module per backend.

`bot.stores.sqlite.SqliteStore` (the embedded default, `MEETBOT_DB`) and `bot.stores.postgres.PostgresStore`
(`MEETBOT_DATABASE_URL`, which wins) implement it, sharing their portable queries (bot/stores/accounts.py,
meetings.py); `open_store(settings)` picks one. The meetings part is the domain's `MeetingStore` port.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from bot.crypto import TokenCipher
from bot.domain.meeting import MeetingRecord
from bot.domain.policy import WorkspacePolicy
from bot.domain.ports import MeetingStore, PostStore
from bot.domain.status import MeetingStatus
from bot.stores.accounts import FAILED_LEASE, LinkedAccount

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["FAILED_LEASE", "AccountStore", "LinkedAccount", "MeetbotStore", "OpsStore", "RequestLog", "open_store"]


class RequestLog(Protocol):
    """The Slack requests already handled (bot/slack/listeners/once.py), shared by every instance."""

    def claim(self, key: str, now: float, keep_seconds: float) -> bool:
        """True the first time `key` is seen, False for a replay or a retry."""
        ...

    def close(self) -> None: ...


class AccountStore(Protocol):
    """Linked provider accounts (tokens decrypted in memory only), preferences and OAuth state nonces."""

    cipher: TokenCipher

    def transaction(self) -> AbstractContextManager[object]: ...

    def save_account(self, acc: LinkedAccount) -> LinkedAccount: ...

    def get_account(self, team_id: str, user_id: str, provider: str) -> LinkedAccount | None: ...

    def list_accounts(self, team_id: str, user_id: str) -> list[LinkedAccount]: ...

    def delete_account(self, team_id: str, user_id: str, provider: str) -> bool: ...

    def delete_user_accounts(self, team_id: str, user_id: str) -> int: ...

    def list_team_accounts(self, team_id: str) -> list[LinkedAccount]: ...

    def delete_team_accounts(self, team_id: str) -> int: ...

    def find_accounts_by_provider_user(self, provider: str, provider_user_id: str) -> list[LinkedAccount]: ...

    def mark_disconnected(self, team_id: str, user_id: str, provider: str, expected_version: int | None = None) -> bool: ...

    def claim_refresh_lease(self, team_id: str, user_id: str, provider: str, expected_version: int, owner: str,
                            now: float, seconds: float) -> bool: ...

    def end_refresh_lease(self, team_id: str, user_id: str, provider: str, owner: str,
                          failed_until: float | None = None) -> None: ...

    def refresh_lease_owner(self, team_id: str, user_id: str, provider: str, now: float) -> str | None: ...

    def update_tokens_if_version(self, team_id: str, user_id: str, provider: str, expected_version: int,
                                 access_token: str, refresh_token: str | None,
                                 expires_at: float | None) -> LinkedAccount | None: ...

    def get_default_provider(self, team_id: str, user_id: str) -> str | None: ...

    def set_default_provider(self, team_id: str, user_id: str, provider: str) -> None: ...

    def consume_state(self, nonce: str, now: float) -> bool: ...

    def prune_states(self, older_than: float) -> int: ...


class OpsStore(Protocol):
    """The audit listing, retention pruning, chore leases across instances, and workspace policies."""

    def recent_requests(self, *, user_id: str | None = None, since: float | None = None,
                        status: MeetingStatus | None = None, limit: int = 100) -> list[MeetingRecord]: ...

    def prune_requests(self, older_than: float) -> int: ...

    def claim_chore(self, name: str, owner: str, now: float, seconds: float) -> bool: ...

    def get_policy(self, team_id: str) -> WorkspacePolicy: ...

    def save_policy(self, policy: WorkspacePolicy) -> None: ...


class InstallationStore(Protocol):
    """Slack app installations, encrypted (bot/stores/installations.py adapts this to slack_sdk's store)."""

    def put_installation(self, kind: str, enterprise_id: str, team_id: str, user_id: str, data: dict) -> None: ...

    def get_installation(self, kind: str, enterprise_id: str, team_id: str, user_id: str) -> dict | None: ...

    def delete_installations(self, kind: str, enterprise_id: str, team_id: str, user_id: str | None = None) -> int: ...

    def find_team_installation(self, kind: str, team_id: str) -> tuple[str, dict] | None: ...

    def member_teams(self, enterprise_id: str) -> list[str]: ...


class MeetbotStore(AccountStore, MeetingStore, OpsStore, PostStore, InstallationStore, Protocol):
    """Everything meetbot keeps."""

    @property
    def requests(self) -> RequestLog:
        """The Slack requests already handled (bot/slack/listeners/once.py)."""
        ...

    def migrate(self) -> None: ...

    def schema_version(self) -> int: ...

    def schema_is_current(self) -> bool: ...

    def rotate_keys(self) -> tuple[int, int]: ...

    def close(self) -> None: ...


def is_postgres(settings: Settings) -> bool:
    """MEETBOT_DATABASE_URL set: PostgreSQL (it wins over MEETBOT_DB)."""
    return bool(settings.meetbot_database_url)


def open_store(settings: Settings) -> MeetbotStore:
    """The store the settings ask for, migrated to the current schema (under the backend's lock).

    PostgreSQL needs MEETBOT_SECRET_KEY: every instance must encrypt with the same key, so the key file SQLite
    keeps beside its database is no answer there.
    """
    from bot.crypto import load_cipher

    secret = settings.meetbot_secret_key.get_secret_value() if settings.meetbot_secret_key else None
    if is_postgres(settings):
        from bot.stores.postgres import PostgresStore

        settings.require("meetbot_secret_key")
        return PostgresStore(settings.meetbot_database_url or "", load_cipher(secret, ":memory:"))
    from bot.stores.sqlite import SqliteStore

    return SqliteStore(settings.meetbot_db, load_cipher(secret, settings.meetbot_db))
