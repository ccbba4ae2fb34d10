"""Many people at once: every meeting created once, every link posted, nothing locked or lost."""

from __future__ import annotations

import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from tests.slack_payloads import slash, view_submission


def submission(view: dict, user: str, view_id: str, title: str) -> str:
    values = {"title": title, "when": "tomorrow 3pm", "provider": ("static_select", "jitsi"),
              "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
    return view_submission({**view, "id": view_id, "hash": "h"}, values, user=user)


def test_fifty_users_and_ten_from_one_user(meetbot, slack, caplog):
    meetbot.post(slash(""))
    [opened] = slack.wait_for("views.open")
    view = opened.body["view"]
    bodies = [submission(view, f"U{i}", f"VU{i}", f"Meeting {i}") for i in range(50)]
    bodies += [submission(view, "U1", f"VS{i}", f"Mine {i}") for i in range(10)]
    bodies += bodies[:5]  # five double clicks
    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(lambda body: meetbot.post(body).status_code, bodies))
    assert statuses == [200] * len(bodies)
    posts = slack.wait_for("chat.postMessage", count=60, timeout=30)
    assert meetbot.wait_idle(30) is None
    titles = sorted(p.body["blocks"][0]["text"]["text"].split("*")[1] for p in posts)
    assert len(titles) == 60 and len(set(titles)) == 60
    rows = sqlite3.connect(meetbot.settings.meetbot_db).execute("SELECT status, count(*) FROM meetings GROUP BY status").fetchall()
    assert rows == [("posted", 60)]
    assert "database is locked" not in caplog.text
