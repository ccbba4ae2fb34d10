"""Listeners, one module per feature, each with `register(app, deps)` (bolt's starter-template shape)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import accounts, command, events, manage, modal, once, policy, shortcut
from bot.slack.listeners.deps import Deps

__all__ = ["Deps", "register_all"]


def register_all(app: App, deps: Deps) -> None:
    once.register(app, deps)  # first: a replay or retry stops here
    command.register(app, deps)
    modal.register(app, deps)
    events.register(app, deps)
    accounts.register(app, deps)
    policy.register(app, deps)
    manage.register(app, deps)
    shortcut.register(app, deps)
