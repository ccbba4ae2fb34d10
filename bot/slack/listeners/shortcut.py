"""The message shortcut "Schedule a meeting about this" (`meet_from_message`).

It opens the scheduling modal with the message's first line as the title; the meeting's link is then
posted as a reply in that message's thread (broadcast to the channel, so the post leads back to it).
"""

from __future__ import annotations

import time

from slack_bolt import Ack, App

from bot.formatting import MAX_TITLE
from bot.slack.listeners.command import open_modal
from bot.slack.listeners.deps import Deps

CALLBACK_ID = "meet_from_message"


def first_line(text: str) -> str:
    """The message's first non-empty line, as a title (Slack's own markup left as typed)."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    return line[:MAX_TITLE]


def register(app: App, deps: Deps) -> None:
    @app.shortcut(CALLBACK_ID)
    def from_message(ack: Ack, body: dict) -> None:
        ack()
        message = body.get("message") or {}
        command = {"user_id": body["user"]["id"], "team_id": (body.get("team") or {}).get("id", ""),
                   "channel_id": (body.get("channel") or {}).get("id", ""), "response_url": body.get("response_url", ""),
                   "trigger_id": body.get("trigger_id", "")}
        about = (first_line(str(message.get("text") or "")), str(message.get("thread_ts") or message.get("ts") or ""))
        deps.jobs.submit_ui(open_modal, deps, command, "", time.monotonic(), about)
