"""The store contract, run against both backends (SQLite files in tmp_path, and a real PostgreSQL): accounts
encrypted at rest, idempotency, compare-and-swap transitions, leases and concurrency. What only one backend
has (SQLite's files and pragmas, PostgreSQL's migration lock) is tested in test_sqlite.py / test_postgres.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

import pytest
from cryptography.fernet import Fernet

from bot.crypto import TokenCipher, load_cipher
from bot.domain.meeting import CreatedMeeting, MeetingRequest
from bot.domain.status import IllegalTransition, MeetingStatus
from bot.stores import FAILED_LEASE, LinkedAccount, MeetbotStore
from bot.stores.postgres import MIGRATIONS as PG_MIGRATIONS, PostgresStore
from bot.stores.sqlite import MIGRATIONS as SQLITE_MIGRATIONS, SqliteStore

S = MeetingStatus
Store = MeetbotStore

ACCESS = "zoom-access-SECRET-1234567890"
REFRESH = "zoom-refresh-SECRET-0987654321"


@pytest.fixture
def opener(database, tmp_path) -> Callable[[TokenCipher], MeetbotStore]:
    """Opens (another) store on this test's database, with the given cipher: as a second instance would."""
    url = database.get("meetbot_database_url")
    path = str(tmp_path / "meetbot.db")
    opened: list[MeetbotStore] = []

    def open_one(cipher: TokenCipher) -> MeetbotStore:
        store: MeetbotStore = PostgresStore(url, cipher) if url else SqliteStore(path, cipher)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(opener):
    return opener(TokenCipher.from_keys([Fernet.generate_key().decode()]))


def account(**overrides) -> LinkedAccount:
    values = dict(team_id="T1", user_id="U1", provider="zoom", provider_user_id="zu-1", email="a@example.com",
                  access_token=ACCESS, refresh_token=REFRESH, expires_at=1_900_000_000.0, scope="meeting:write")
    values.update(overrides)
    return LinkedAccount(**values)


def claim(store: Store, key: str, start: str = "2026-05-01T10:00:00+00:00", user_id: str = "U1", owner: str = "w1"):
    request = MeetingRequest(title=f"m {key}", start=datetime.fromisoformat(start), duration_minutes=30, timezone="UTC",
                             key=key, team_id="T1", user_id=user_id, provider="jitsi", channel_id="C1")
    return store.add_request(request, owner, time.time() + 30)


def advance(store: Store, key: str, *steps: MeetingStatus, owner: str = "w1", meeting: CreatedMeeting | None = None):
    """Walk `key` through `steps` (from its current status), as the scheduler would."""
    record = store.get_meeting(key)
    for step in steps:
        created = meeting or CreatedMeeting("jitsi", key, f"https://j/{key}")
        record = store.transition(key, record.status, step, reason="test", owner=owner, lease_until=time.time() + 30,
                                  meeting=created if step is S.CREATED else None)
        assert record is not None, f"{key}: could not move to {step}"
    return record


def run_threads(n: int, target: Callable[[int], object]) -> tuple[list, list[BaseException]]:
    """Run target(i) in n threads released together; return (results, errors)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted on
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


# -- schema ---------------------------------------------------------------------------------------


def test_migrations_are_idempotent_and_data_survives_reopen(opener) -> None:
    cipher = TokenCipher.from_keys(["k"])
    first = opener(cipher)
    first.set_default_provider("T1", "U1", "zoom")
    first.close()
    second = opener(cipher)
    second.migrate()
    assert second.schema_version() == len(SQLITE_MIGRATIONS) == len(PG_MIGRATIONS)
    assert second.schema_is_current()
    assert second.get_default_provider("T1", "U1") == "zoom"


def test_both_backends_number_their_migrations_alike() -> None:
    assert [m.__doc__ is not None for m in SQLITE_MIGRATIONS] == [True] * len(PG_MIGRATIONS)
    assert len(SQLITE_MIGRATIONS) == len(PG_MIGRATIONS)


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("INSERT INTO preferences (team_id, user_id, default_provider) VALUES ('T1', 'U1', 'zoom')")
            raise RuntimeError("boom")
    assert store.get_default_provider("T1", "U1") is None
    store.set_default_provider("T1", "U1", "dialpad")  # the connection is usable afterwards
    assert store.get_default_provider("T1", "U1") == "dialpad"


def test_replayed_slack_requests_are_caught_by_another_instance(opener) -> None:
    cipher = TokenCipher.from_keys(["k"])
    a, b = opener(cipher), opener(cipher)
    assert a.requests.claim("req-1", 1000.0, 600) is True
    assert b.requests.claim("req-1", 1001.0, 600) is False and b.requests.claim("req-2", 1001.0, 600) is True


# -- accounts ---------------------------------------------------------------------------------------


def test_account_round_trip_tokens_encrypted_at_rest(store: Store) -> None:
    saved = store.save_account(account())
    assert saved.version == 1 and saved.status == "active"
    assert saved.access_token == ACCESS and saved.refresh_token == REFRESH
    assert store.get_account("T1", "U1", "zoom") == saved
    assert ACCESS not in repr(saved)
    [row] = store._query("SELECT access_token_enc, refresh_token_enc FROM accounts")  # type: ignore[attr-defined]
    assert "SECRET" not in row["access_token_enc"] and "SECRET" not in row["refresh_token_enc"]


def test_save_account_upserts_and_bumps_version(store: Store) -> None:
    store.save_account(account())
    again = store.save_account(account(access_token="new", email="b@example.com"))
    assert again.version == 2 and again.access_token == "new" and again.email == "b@example.com"
    store.save_account(account(provider="dialpad", access_token=None, refresh_token=None))
    assert [a.provider for a in store.list_accounts("T1", "U1")] == ["dialpad", "zoom"]
    assert store.get_account("T1", "U1", "dialpad").access_token is None


def test_find_disconnect_and_delete(store: Store) -> None:
    store.save_account(account())
    store.save_account(account(user_id="U2", provider_user_id="zu-1"))
    store.save_account(account(user_id="U2", provider="dialpad", provider_user_id="zu-1"))
    store.save_account(account(team_id="T2", user_id="U9"))
    assert {(a.team_id, a.user_id) for a in store.find_accounts_by_provider_user("zoom", "zu-1")} == {
        ("T1", "U1"), ("T1", "U2"), ("T2", "U9")}
    store.mark_disconnected("T1", "U1", "zoom")
    gone = store.get_account("T1", "U1", "zoom")
    assert gone.status == "disconnected" and gone.version == 2
    assert store.delete_account("T1", "U1", "zoom") is True
    assert store.delete_account("T1", "U1", "zoom") is False
    assert store.delete_user_accounts("T1", "U2") == 2
    assert store.delete_team_accounts("T2") == 1
    assert store.find_accounts_by_provider_user("zoom", "zu-1") == []


def test_update_tokens_if_version_cas(store: Store) -> None:
    v1 = store.save_account(account())
    v2 = store.update_tokens_if_version("T1", "U1", "zoom", v1.version, "a2", "r2", 2_000_000_000.0)
    assert v2 is not None and v2.version == v1.version + 1
    assert (v2.access_token, v2.refresh_token, v2.expires_at) == ("a2", "r2", 2_000_000_000.0)
    assert store.update_tokens_if_version("T1", "U1", "zoom", v1.version, "stale", "stale", None) is None
    kept = store.update_tokens_if_version("T1", "U1", "zoom", v2.version, "a3", None, None)
    assert kept.refresh_token == "r2"  # no new refresh token: the old one stays
    assert store.update_tokens_if_version("T1", "U9", "zoom", 1, "a", "r", None) is None


def test_update_tokens_if_version_two_threads_one_wins(store: Store) -> None:
    base = store.save_account(account())
    for _ in range(5):
        expected = store.get_account("T1", "U1", "zoom").version
        results, errors = run_threads(
            2, lambda i: store.update_tokens_if_version("T1", "U1", "zoom", expected, f"a{i}", f"r{i}", None))
        assert not errors
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        assert store.get_account("T1", "U1", "zoom") == winners[0]
    assert store.get_account("T1", "U1", "zoom").version == base.version + 5


def test_key_rotation(opener) -> None:
    key_a, key_b = Fernet.generate_key().decode(), "passphrase for key B"
    s = opener(TokenCipher.from_keys([key_a]))
    s.save_account(account())
    s.save_account(account(provider="dialpad", refresh_token=None))
    s.close()
    lost = opener(TokenCipher.from_keys([key_b])).get_account("T1", "U1", "zoom")
    assert lost.status == "disconnected" and lost.access_token is None and lost.refresh_token is None

    both = opener(load_cipher(f"{key_b}, {key_a}", ":memory:"))
    assert both.get_account("T1", "U1", "zoom").access_token == ACCESS
    both.put_installation("bot", "", "T1", "", {"bot_token": "xoxb-secret"})
    assert both.rotate_keys() == (3, 0)
    both.close()

    only_b = opener(TokenCipher.from_keys([key_b]))
    assert only_b.get_account("T1", "U1", "zoom").refresh_token == REFRESH
    assert only_b.get_account("T1", "U1", "dialpad").access_token == ACCESS
    assert only_b.get_installation("bot", "", "T1", "") == {"bot_token": "xoxb-secret"}
    only_b.save_account(account(user_id="U2"))
    only_b.close()

    key_c = Fernet.generate_key().decode()  # key A is gone for good: U2's row, under B, is the only one C can't read
    lost_one = opener(load_cipher(f"{key_c}, {key_b}", ":memory:"))
    with lost_one.transaction() as db:  # a row written under a key since lost
        db.execute("UPDATE accounts SET access_token_enc = ? WHERE user_id = ?",
                   [TokenCipher.from_keys([key_a]).encrypt("unreadable"), "U2"])
    assert lost_one.rotate_keys() == (3, 1)  # the others are rotated all the same
    lost_one.close()


# -- preferences ------------------------------------------------------------------------------------


def test_default_provider(store: Store) -> None:
    assert store.get_default_provider("T1", "U1") is None
    store.set_default_provider("T1", "U1", "zoom")
    store.set_default_provider("T1", "U1", "dialpad")
    store.set_default_provider("T1", "U2", "jitsi")
    assert store.get_default_provider("T1", "U1") == "dialpad"


# -- meetings ---------------------------------------------------------------------------------------


def test_request_lifecycle_and_history(store: Store) -> None:
    record, is_new = claim(store, "view:T1:V1")
    assert is_new and record.status == S.REQUESTED and record.lease_owner == "w1" and record.meeting is None
    assert record.request.title == "m view:T1:V1" and record.request.start.isoformat() == "2026-05-01T10:00:00+00:00"
    again, is_new = claim(store, "view:T1:V1", owner="w2")
    assert not is_new and again == record

    advance(store, "view:T1:V1", S.CREATING)
    created = advance(store, "view:T1:V1", S.CREATED, meeting=CreatedMeeting(
        "zoom", "85746065432123", "https://zoom.us/j/85746065432123", passcode="123", host_url="https://zoom.us/s/host"))
    assert created.status == S.CREATED and created.provider_meeting_id == "85746065432123"
    assert created.meeting.passcode == "123" and created.meeting.host_url is None  # the host link is never stored
    posted = store.transition("view:T1:V1", S.CREATED, S.POSTED, reason="posted", owner="w1")
    assert posted.status == S.POSTED and posted.lease_owner is None and posted.lease_expires_at is None
    assert [(c.from_status, c.to_status) for c in store.history("view:T1:V1")] == [
        (None, S.REQUESTED), (S.REQUESTED, S.CREATING), (S.CREATING, S.CREATED), (S.CREATED, S.POSTED)]
    assert store.get_meeting("nope") is None
    assert store.transition("nope", S.REQUESTED, S.CREATING, reason="x", owner="w1", lease_until=1.0) is None


def test_transition_is_a_compare_and_swap_on_status_and_lease(store: Store) -> None:
    claim(store, "k")
    assert store.transition("k", S.REQUESTED, S.CREATING, reason="x", owner="someone-else", lease_until=1e12) is None
    assert store.transition("k", S.CREATING, S.CREATED, reason="x", owner="w1", lease_until=1e12) is None
    with pytest.raises(IllegalTransition):
        store.transition("k", S.REQUESTED, S.POSTED, reason="x", owner="w1")
    results, errors = run_threads(10, lambda i: store.transition("k", S.REQUESTED, S.CREATING, reason="race",
                                                                  owner="w1", lease_until=1e12))
    assert not errors and sum(1 for r in results if r is not None) == 1


def test_expired_leases_are_taken_over_once_and_renewed_by_their_owner(store: Store) -> None:
    now = time.time()
    for key in ("a", "b", "c"):
        claim(store, key)
    advance(store, "b", S.CREATING)
    store.renew_leases("w1", now - 1)  # w1 "crashed": its leases lapsed a second ago
    store.renew_leases("w2", now + 30)  # another live owner's renewal touches nothing of w1's
    results, errors = run_threads(4, lambda i: store.take_over_expired(f"t{i}", now, now + 30))
    assert not errors
    taken = [(r.key, r.status) for batch in results for r in batch]
    assert sorted(taken) == [("a", S.REQUESTED), ("b", S.CREATING), ("c", S.REQUESTED)]  # each exactly once
    owner = store.get_meeting("a").lease_owner
    assert store.take_over_expired("late", now, now + 30) == []
    assert "expired: taken over" in store.history("a")[-1].reason and store.history("a")[-1].owner == owner
    assert store.release_lease("a", owner, now - 1) and store.take_over_expired("t9", now, now + 30)[0].key == "a"


def test_stored_response_urls_are_forgotten_after_they_expire(store: Store) -> None:
    request = MeetingRequest(title="t", start=datetime.fromisoformat("2026-05-01T10:00:00+00:00"), duration_minutes=30,
                             timezone="UTC", key="k", provider="jitsi", response_url="https://hooks/1",
                             origin_response_url="https://hooks/2")
    store.add_request(request, "w1", time.time() + 30)
    assert store.forget_response_urls(time.time() - 60) == 0
    assert store.forget_response_urls(time.time() + 1) == 1
    kept = store.get_meeting("k").request
    assert kept.response_url == kept.origin_response_url == "" and kept.title == "t"


def test_claim_same_key_from_20_threads_one_wins(store: Store) -> None:
    results, errors = run_threads(20, lambda i: claim(store, "same-key"))
    assert not errors
    assert sum(1 for _, is_new in results if is_new) == 1
    assert len({record.created_at for record, _ in results}) == 1


def test_claim_50_distinct_keys_concurrently(store: Store) -> None:
    results, errors = run_threads(50, lambda i: claim(store, f"key-{i}"))
    assert not errors, errors  # in particular no "database is locked"
    assert all(is_new for _, is_new in results)
    assert store._query("SELECT COUNT(*) AS n FROM meetings")[0]["n"] == 50  # type: ignore[attr-defined]


def test_two_stores_on_one_database_share_idempotency(opener) -> None:
    cipher = TokenCipher.from_keys(["k"])
    a, b = opener(cipher), opener(cipher)
    results, errors = run_threads(10, lambda i: claim(a if i % 2 else b, "shared"))
    assert not errors and sum(1 for _, new in results if new) == 1
    a.close()
    b.close()


def test_retry_of_a_failed_request_flips_once(store: Store) -> None:
    claim(store, "k")
    failed = store.transition("k", S.REQUESTED, S.FAILED, reason="zoom said no", owner="w1", error="zoom said no")
    assert failed.status == S.FAILED and failed.error == "zoom said no" and failed.lease_owner is None
    results, errors = run_threads(10, lambda i: store.transition("k", S.FAILED, S.REQUESTED, reason="Retry",
                                                                  owner=f"w{i}", lease_until=1e12))
    assert not errors and sum(1 for r in results if r is not None) == 1
    record = store.get_meeting("k")
    assert record.status == S.REQUESTED and record.error is None and record.request.title == "m k"


def test_upcoming_orders_by_instant_across_offsets(store: Store) -> None:
    # As strings these sort 05:00-05:00 < 09:30+00:00 < 10:00+02:00; as instants the order is reversed.
    starts = {"berlin": "2026-05-01T10:00:00+02:00",   # 08:00Z
              "london": "2026-05-01T09:30:00+00:00",   # 09:30Z
              "bogota": "2026-05-01T05:00:00-05:00",   # 10:00Z
              "past": "2026-05-01T08:00:00+02:00",     # 06:00Z, before now
              "pending": "2026-05-01T09:00:00+00:00"}  # never created
    for key, start in starts.items():
        claim(store, key, start=start)
        if key != "pending":
            advance(store, key, S.CREATING, S.CREATED)
    advance(store, "london", S.POSTED)
    claim(store, "other-user", start="2026-05-01T09:00:00+00:00", user_id="U2")
    advance(store, "other-user", S.CREATING, S.CREATED)

    upcoming = store.upcoming_meetings("T1", "U1", "2026-05-01T09:00:00+02:00")  # 07:00Z
    assert [m.key for m in upcoming] == ["berlin", "london", "bogota"]
    assert [m.key for m in store.upcoming_meetings("T1", "U1", "2026-05-01T07:00:00Z", limit=2)] == [
        "berlin", "london"]


# -- OAuth state ------------------------------------------------------------------------------------


def test_consume_state_is_single_use(store: Store) -> None:
    assert store.consume_state("nonce-1", 1000.0) is True
    assert store.consume_state("nonce-1", 1001.0) is False
    results, errors = run_threads(10, lambda i: store.consume_state("nonce-2", 1000.0))
    assert not errors and results.count(True) == 1
    assert store.prune_states(1000.5) == 2
    assert store.consume_state("nonce-3", 2000.0) is True


def test_refresh_lease_is_claimed_once_and_expires(store: Store) -> None:
    v1 = store.save_account(account())
    lease = lambda owner, now: store.claim_refresh_lease("T1", "U1", "zoom", v1.version, owner, now, 60)  # noqa: E731
    assert lease("a", 1000.0) and not lease("b", 1001.0)
    assert store.refresh_lease_owner("T1", "U1", "zoom", 1001.0) == "a"
    assert lease("b", 1061.0)  # a crashed owner's lease runs out
    store.end_refresh_lease("T1", "U1", "zoom", "a")  # not a's any more: no-op
    assert store.refresh_lease_owner("T1", "U1", "zoom", 1062.0) == "b"
    store.end_refresh_lease("T1", "U1", "zoom", "b", failed_until=1063.0)
    assert store.refresh_lease_owner("T1", "U1", "zoom", 1062.0) == FAILED_LEASE and not lease("c", 1062.0)
    assert lease("c", 1064.0)
    v2 = store.update_tokens_if_version("T1", "U1", "zoom", v1.version, "a2", "r2", None)
    assert v2 is not None and store.refresh_lease_owner("T1", "U1", "zoom", 1064.0) is None  # saving frees it
    assert not lease("d", 1065.0)  # the version moved on: a stale reader can't claim
    assert store.mark_disconnected("T1", "U1", "zoom", expected_version=v1.version) is False
    assert store.mark_disconnected("T1", "U1", "zoom", expected_version=v2.version) is True


def test_meetbot_migrate_brings_the_schema_up_and_says_so(database, tmp_path, monkeypatch, capsys) -> None:
    from bot.cli import main

    monkeypatch.setenv("MEETBOT_DB", str(tmp_path / "meetbot.db"))
    monkeypatch.setenv("MEETBOT_SECRET_KEY", Fernet.generate_key().decode())
    for name, value in database.items():
        monkeypatch.setenv(name.upper(), value)
    assert main(["migrate"]) == 0 and main(["migrate"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"database schema is at version {len(SQLITE_MIGRATIONS)}"] * 2
