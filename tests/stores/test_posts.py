"""The posts-and-reminders half of the store (bot/stores/posts.py) on both backends."""

from __future__ import annotations

from bot.domain.meeting import PostLocation, ScheduledReminder
from tests.stores.test_contract import opener, store  # noqa: F401 - fixtures: both backends


def test_a_post_is_remembered_and_moved_and_reminders_come_and_go(store):  # noqa: F811
    assert store.get_post("k") is None
    store.save_post("k", "C1", "1.1", 1.0)
    store.save_post("k", "C2", "2.2", 2.0)  # re-found after a lost answer: the latest wins
    assert store.get_post("k") == PostLocation("C2", "2.2")
    later, sooner = ScheduledReminder("C2", "Q2", 200), ScheduledReminder("C2", "Q1", 100)
    for reminder in (later, sooner, later):  # saving one twice keeps one
        store.add_reminder("k", reminder)
    assert store.reminders("k") == [sooner, later]
    store.drop_reminder("k", "Q1")
    assert store.reminders("k") == [later] and store.reminders("other") == []
