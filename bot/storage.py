"""The store as the rest of meetbot sees it: a typed interface (Protocol), whatever the backend.

`bot.store.Store` (SQLite) implements it today; a later backend (PostgreSQL) implements the same Protocol and
nothing else changes. The meetings part is the domain's `MeetingStore` port.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from bot.crypto import TokenCipher
from bot.domain.meeting import MeetingRecord
from bot.domain.policy import WorkspacePolicy
from bot.domain.ports import MeetingStore, PostStore
from bot.domain.status import MeetingStatus
from bot.store import LinkedAccount, RequestLog


class AccountStore(Protocol):
    """Linked provider accounts (tokens decrypted in memory only), preferences and OAuth state nonces."""

    cipher: TokenCipher

    def transaction(self) -> AbstractContextManager[object]: ...

    def save_account(self, acc: LinkedAccount) -> LinkedAccount: ...

    def get_account(self, team_id: str, user_id: str, provider: str) -> LinkedAccount | None: ...

    def list_accounts(self, team_id: str, user_id: str) -> list[LinkedAccount]: ...

    def delete_account(self, team_id: str, user_id: str, provider: str) -> bool: ...

    def delete_user_accounts(self, team_id: str, user_id: str) -> int: ...

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


class MeetbotStore(AccountStore, MeetingStore, OpsStore, PostStore, Protocol):
    """Everything meetbot keeps."""

    requests: RequestLog  # the Slack requests already handled (bot/slack/listeners/once.py)

    def migrate(self) -> None: ...

    def schema_version(self) -> int: ...

    def rotate_keys(self) -> int: ...

    def close(self) -> None: ...
