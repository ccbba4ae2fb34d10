"""Linked accounts, preferences and OAuth state nonces, in portable SQL shared by both backends.

A mixin of `SqliteStore` and `PostgresStore`: they own the connections and `transaction()`, which yields a
connection with `execute(sql, params)` (a cursor: `.rowcount`) and `query(sql, params)` (rows as dicts),
`?` placeholders on both. Every read-modify-write here is a single statement (an upsert or a compare-and-swap
UPDATE), so it is atomic on SQLite's `BEGIN IMMEDIATE` and on PostgreSQL's READ COMMITTED alike.
Tokens are encrypted with `TokenCipher` before they are written; the database never holds one in clear text.
"""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.crypto import TokenCipher
from bot.errors import StoreError

log = logging.getLogger("meetbot.store")

FAILED_LEASE = "failed"  # the lease owner recorded for a short while after a refresh failed


@dataclass(frozen=True)
class LinkedAccount:
    """A user's link to a provider, with tokens DECRYPTED (only ever in memory)."""

    team_id: str
    user_id: str
    provider: str
    provider_user_id: str | None = None
    email: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None
    status: str = "active"
    version: int = 0

    def __repr__(self) -> str:  # tokens must not reach logs through a repr
        return f"LinkedAccount({self.team_id}/{self.user_id} {self.provider} {self.status} v{self.version})"


def one(db: Any, sql: str, params: tuple | list) -> dict[str, Any] | None:
    """The first row of a query on a transaction's connection, or None."""
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


class AccountRows:
    """Accounts, preferences and OAuth states (see `bot.stores.AccountStore` for the contract)."""

    cipher: TokenCipher

    if TYPE_CHECKING:  # provided by the backend
        def transaction(self) -> AbstractContextManager[Any]: ...
        def _query(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]: ...

    _ACCOUNT_KEY = "team_id = ? AND user_id = ? AND provider = ?"

    def _enc(self, token: str | None) -> str | None:
        return None if token is None else self.cipher.encrypt(token)

    def _dec(self, token: str | None) -> str | None:
        return None if token is None else self.cipher.decrypt(token)

    def _account(self, row: dict[str, Any] | None) -> LinkedAccount:
        """The row, decrypted. A row no configured key decrypts (a key dropped without `rotate-keys`) is a
        disconnected link without tokens: the user is asked to reconnect, unlink works, relinking overwrites it."""
        if row is None:
            raise StoreError("the account row changed under a transaction")
        status = row["status"]
        try:
            access, refresh = self._dec(row["access_token_enc"]), self._dec(row["refresh_token_enc"])
        except StoreError:
            log.warning("the %s tokens of %s/%s decrypt under no configured key: treated as disconnected",
                        row["provider"], row["team_id"], row["user_id"])
            access = refresh = None
            status = "disconnected"
        return LinkedAccount(
            team_id=row["team_id"], user_id=row["user_id"], provider=row["provider"],
            provider_user_id=row["provider_user_id"], email=row["email"], access_token=access, refresh_token=refresh,
            expires_at=row["expires_at"], scope=row["scope"], status=status, version=row["version"],
        )

    def save_account(self, acc: LinkedAccount) -> LinkedAccount:
        """Insert or replace a link; bumps `version` so in-flight refreshes of the old tokens lose their CAS."""
        now = time.time()
        key = [acc.team_id, acc.user_id, acc.provider]
        values = [acc.provider_user_id, acc.email, self._enc(acc.access_token), self._enc(acc.refresh_token),
                  acc.expires_at, acc.scope, acc.status]
        with self.transaction() as db:
            db.execute(
                "INSERT INTO accounts (team_id, user_id, provider, provider_user_id, email, access_token_enc,"
                " refresh_token_enc, expires_at, scope, status, version, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (team_id, user_id, provider) DO UPDATE SET"
                " provider_user_id = excluded.provider_user_id, email = excluded.email,"
                " access_token_enc = excluded.access_token_enc, refresh_token_enc = excluded.refresh_token_enc,"
                " expires_at = excluded.expires_at, scope = excluded.scope, status = excluded.status,"
                " version = accounts.version + 1, updated_at = excluded.updated_at", [*key, *values, now, now])
            return self._account(one(db, f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", key))

    def get_account(self, team_id: str, user_id: str, provider: str) -> LinkedAccount | None:
        """The link, decrypted, or None."""
        rows = self._query(f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", (team_id, user_id, provider))
        return self._account(rows[0]) if rows else None

    def list_accounts(self, team_id: str, user_id: str) -> list[LinkedAccount]:
        """Every link of one Slack user, by provider name."""
        rows = self._query("SELECT * FROM accounts WHERE team_id = ? AND user_id = ? ORDER BY provider",
                           (team_id, user_id))
        return [self._account(r) for r in rows]

    def delete_account(self, team_id: str, user_id: str, provider: str) -> bool:
        """Unlink one provider; True if there was a link."""
        with self.transaction() as db:
            return db.execute(f"DELETE FROM accounts WHERE {self._ACCOUNT_KEY}",
                              [team_id, user_id, provider]).rowcount > 0

    def delete_user_accounts(self, team_id: str, user_id: str) -> int:
        """Unlink everything of one user (tokens_revoked); returns how many links went."""
        with self.transaction() as db:
            return db.execute("DELETE FROM accounts WHERE team_id = ? AND user_id = ?", [team_id, user_id]).rowcount

    def list_team_accounts(self, team_id: str) -> list[LinkedAccount]:
        """Every link in a workspace (to revoke them at the providers when the workspace removes meetbot)."""
        return [self._account(r) for r in self._query("SELECT * FROM accounts WHERE team_id = ?", (team_id,))]

    def delete_team_accounts(self, team_id: str) -> int:
        """Unlink everyone in a workspace (app_uninstalled); returns how many links went."""
        with self.transaction() as db:
            return db.execute("DELETE FROM accounts WHERE team_id = ?", [team_id]).rowcount

    def find_accounts_by_provider_user(self, provider: str, provider_user_id: str) -> list[LinkedAccount]:
        """Links to one provider-side user (e.g. for a Zoom deauthorization webhook)."""
        rows = self._query("SELECT * FROM accounts WHERE provider = ? AND provider_user_id = ?",
                           (provider, str(provider_user_id)))
        return [self._account(r) for r in rows]

    def mark_disconnected(self, team_id: str, user_id: str, provider: str, expected_version: int | None = None) -> bool:
        """The provider refused our tokens: keep the row (for the UI) but stop using it; bumps `version`.
        With `expected_version`, only if the tokens are still those (a relink meanwhile wins). True if marked."""
        guard, params = ("", []) if expected_version is None else (" AND version = ?", [expected_version])
        with self.transaction() as db:
            return db.execute(
                "UPDATE accounts SET status = 'disconnected', version = version + 1, lease_owner = NULL,"
                f" lease_until = NULL, updated_at = ? WHERE {self._ACCOUNT_KEY}{guard}",
                [time.time(), team_id, user_id, provider, *params]).rowcount > 0

    def claim_refresh_lease(self, team_id: str, user_id: str, provider: str, expected_version: int, owner: str,
                            now: float, seconds: float) -> bool:
        """Compare-and-swap the refresh lease: True if `owner` now holds it for `seconds` (the row must still
        have `expected_version` and no live lease). One short transaction; nothing is held while refreshing."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE accounts SET lease_owner = ?, lease_until = ?"
                f" WHERE {self._ACCOUNT_KEY} AND version = ? AND (lease_owner IS NULL OR lease_until < ?)",
                [owner, now + seconds, team_id, user_id, provider, expected_version, now]).rowcount == 1

    def end_refresh_lease(self, team_id: str, user_id: str, provider: str, owner: str,
                          failed_until: float | None = None) -> None:
        """Give the lease back (a no-op unless `owner` still holds it). After a failed refresh, `failed_until`
        keeps it as `FAILED_LEASE` until then, so waiters in any process give up instead of sending the same
        refresh token again."""
        with self.transaction() as db:
            db.execute(f"UPDATE accounts SET lease_owner = ?, lease_until = ? WHERE {self._ACCOUNT_KEY}"
                       " AND lease_owner = ?", [None if failed_until is None else FAILED_LEASE, failed_until,
                                                team_id, user_id, provider, owner])

    def refresh_lease_owner(self, team_id: str, user_id: str, provider: str, now: float) -> str | None:
        """Who holds a live refresh lease on the account (`FAILED_LEASE` just after a failed refresh), or None."""
        rows = self._query(f"SELECT lease_owner FROM accounts WHERE {self._ACCOUNT_KEY} AND lease_until >= ?",
                           (team_id, user_id, provider, now))
        return rows[0]["lease_owner"] if rows else None

    def update_tokens_if_version(self, team_id: str, user_id: str, provider: str, expected_version: int,
                                 access_token: str, refresh_token: str | None,
                                 expires_at: float | None) -> LinkedAccount | None:
        """Compare-and-swap after a token refresh: None if another refresh (or relink) got there first.

        A `refresh_token` of None keeps the stored one (some providers don't rotate refresh tokens).
        """
        key = [team_id, user_id, provider]
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE accounts SET access_token_enc = ?, refresh_token_enc = COALESCE(?, refresh_token_enc),"
                " expires_at = ?, version = version + 1, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                f" WHERE {self._ACCOUNT_KEY} AND version = ?",
                [self._enc(access_token), self._enc(refresh_token), expires_at, time.time(), *key, expected_version],
            ).rowcount
            if not changed:
                return None
            return self._account(one(db, f"SELECT * FROM accounts WHERE {self._ACCOUNT_KEY}", key))

    def rotate_keys(self) -> tuple[int, int]:
        """Re-encrypt every stored secret (provider tokens, Slack installations) under the primary key, in one
        transaction. Returns (rows rewritten, rows no configured key decrypts): those are left as they are
        (their users relink; an installation is reinstalled), so one lost row never blocks the rotation."""
        rotated = undecryptable = 0
        with self.transaction() as db:
            for row in list(db.query("SELECT team_id, user_id, provider, access_token_enc, refresh_token_enc"
                                     " FROM accounts")):
                try:
                    tokens = [None if v is None else self.cipher.rotate(v)
                              for v in (row["access_token_enc"], row["refresh_token_enc"])]
                except StoreError:
                    undecryptable += 1
                    continue
                db.execute(f"UPDATE accounts SET access_token_enc = ?, refresh_token_enc = ? WHERE {self._ACCOUNT_KEY}",
                           [*tokens, row["team_id"], row["user_id"], row["provider"]])
                rotated += 1
            for row in list(db.query("SELECT kind, enterprise_id, team_id, user_id, data_enc FROM slack_installations")):
                try:
                    data = self.cipher.rotate(row["data_enc"])
                except StoreError:
                    undecryptable += 1
                    continue
                db.execute("UPDATE slack_installations SET data_enc = ? WHERE kind = ? AND enterprise_id = ?"
                           " AND team_id = ? AND user_id = ?",
                           [data, row["kind"], row["enterprise_id"], row["team_id"], row["user_id"]])
                rotated += 1
        return rotated, undecryptable

    # -- preferences ------------------------------------------------------------------------------

    def get_default_provider(self, team_id: str, user_id: str) -> str | None:
        """The provider the user chose as default, if any."""
        rows = self._query("SELECT default_provider FROM preferences WHERE team_id = ? AND user_id = ?",
                           (team_id, user_id))
        return rows[0]["default_provider"] if rows else None

    def set_default_provider(self, team_id: str, user_id: str, provider: str) -> None:
        """Remember the user's default provider."""
        with self.transaction() as db:
            db.execute("INSERT INTO preferences (team_id, user_id, default_provider) VALUES (?, ?, ?)"
                       " ON CONFLICT (team_id, user_id) DO UPDATE SET default_provider = excluded.default_provider",
                       [team_id, user_id, provider])

    # -- OAuth state ------------------------------------------------------------------------------

    def consume_state(self, nonce: str, now: float) -> bool:
        """Mark an OAuth state nonce used: True the first time only, so a replayed callback is refused."""
        with self.transaction() as db:
            if db.execute("INSERT INTO oauth_states (nonce, created_at, used_at) VALUES (?, ?, ?)"
                          " ON CONFLICT (nonce) DO NOTHING", [nonce, now, now]).rowcount == 1:
                return True
            return db.execute("UPDATE oauth_states SET used_at = ? WHERE nonce = ? AND used_at IS NULL",
                              [now, nonce]).rowcount == 1

    def prune_states(self, older_than: float) -> int:
        """Forget nonces created before `older_than` (their signed state has expired anyway)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM oauth_states WHERE created_at < ?", [older_than]).rowcount
