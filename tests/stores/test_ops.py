"""The operations part of the store (bot/stores/ops.py) on both backends: the audit listing, retention
pruning (settled requests with their history, expired OAuth states) run once across instances by a chore
lease, and workspace policies."""

from __future__ import annotations

import time

from cryptography.fernet import Fernet

from bot.crypto import TokenCipher
from bot.domain.policy import PolicyInvalid, WorkspacePolicy, validated
from bot.domain.status import MeetingStatus
from bot.maintenance import Pruner
from tests.stores.test_contract import claim as add, opener, store  # noqa: F401 - fixtures: both backends

S = MeetingStatus


def fail(store, key: str) -> None:
    assert store.transition(key, S.REQUESTED, S.FAILED, reason="lane full", owner="w1", error="busy")


def test_recent_requests_filter_by_user_since_and_state(store):
    add(store, "k1", user_id="U1")
    add(store, "k2", user_id="U2")
    fail(store, "k2")
    assert [r.key for r in store.recent_requests()] == ["k2", "k1"]
    assert [r.key for r in store.recent_requests(user_id="U1")] == ["k1"]
    assert [r.key for r in store.recent_requests(status=S.FAILED)] == ["k2"]
    assert store.recent_requests(since=time.time() + 60) == []
    assert [r.key for r in store.recent_requests(limit=1)] == ["k2"]


def test_pruning_keeps_in_flight_requests_and_removes_history(store):
    add(store, "settled")
    add(store, "in-flight")
    fail(store, "settled")
    assert store.prune_requests(time.time() + 1) == 1
    assert store.get_meeting("settled") is None and store.history("settled") == []
    assert store.get_meeting("in-flight") is not None and store.history("in-flight")


def test_the_prune_chore_runs_on_one_instance_and_prunes_states(opener):  # noqa: F811
    cipher = TokenCipher.from_keys([Fernet.generate_key().decode()])
    first, second = opener(cipher), opener(cipher)
    try:
        now = time.time()
        first.consume_state("old-nonce", now - 3600)
        first.consume_state("new-nonce", now)
        add(first, "old")
        fail(first, "old")
        later = lambda: now + 300  # noqa: E731 - five minutes on: past a retention of 0.0001 days (8.6 s)
        one, two = Pruner(first, 0.0001, "w1", clock=later), Pruner(second, 0.0001, "w2", clock=later)
        assert one.tick() is True and two.tick() is False  # the other instance skips while the lease holds
        assert first.get_meeting("old") is None
        assert first.consume_state("old-nonce", now) is True  # forgotten, so it reads as new
        assert first.consume_state("new-nonce", now) is False
        assert one.tick() is False  # not due again for an hour
    finally:
        first.close()
        second.close()


def test_chore_lease_is_taken_again_once_it_lapses(store):
    assert store.claim_chore("prune", "w1", 100.0, 10)
    assert not store.claim_chore("prune", "w2", 105.0, 10)
    assert store.claim_chore("prune", "w2", 111.0, 10)


def test_policy_round_trip_and_defaults(store):
    assert store.get_policy("T1") == WorkspacePolicy("T1")
    policy = WorkspacePolicy("T1", allowed_providers=("jitsi", "zoom"), default_provider="zoom", reminder_minutes=15,
                             confirm_over_members=50, updated_by="UADMIN")
    store.save_policy(policy)
    store.save_policy(policy)  # an upsert
    saved = store.get_policy("T1")
    assert saved.allowed_providers == ("jitsi", "zoom") and saved.default_provider == "zoom"
    assert saved.reminder_minutes == 15 and saved.confirm_over_members == 50 and saved.updated_by == "UADMIN"
    assert store.get_policy("T2") == WorkspacePolicy("T2")


def test_policy_validation_names_the_field():
    known = ["jitsi", "zoom", "dialpad"]
    for policy, field in [
        (WorkspacePolicy("T1", allowed_providers=("webex",)), "allowed_providers"),
        (WorkspacePolicy("T1", allowed_providers=("jitsi",), default_provider="zoom"), "default_provider"),
        (WorkspacePolicy("T1", reminder_minutes=7), "reminder"),
        (WorkspacePolicy("T1", confirm_over_members=0), "confirm_over"),
    ]:
        try:
            validated(policy, known)
        except PolicyInvalid as exc:
            assert exc.field == field
        else:
            raise AssertionError(f"{policy} was accepted")
    assert validated(WorkspacePolicy("T1", allowed_providers=("zoom",), default_provider="zoom"), known)
