"""The posts-and-reminders half of the store (bot/store_posts.py) on a real SQLite file."""

from __future__ import annotations

from cryptography.fernet import Fernet

from bot.crypto import TokenCipher
from bot.domain.meeting import PostLocation, ScheduledReminder
from bot.store import Store


def test_a_post_is_remembered_and_moved_and_reminders_come_and_go(tmp_path):
    store = Store(str(tmp_path / "m.db"), TokenCipher.from_keys([Fernet.generate_key().decode()]))
    try:
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
    finally:
        store.close()
