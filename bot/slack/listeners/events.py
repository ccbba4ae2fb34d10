"""Events: the App Home tab, and deleting provider tokens when Slack revokes ours or the app is removed."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot.slack import blocks, policy_blocks
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners.deps import Deps
from bot.stores.installations import SlackInstallations

log = logging.getLogger("meetbot.events")


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict, context: dict) -> None:
        if event.get("tab") not in (None, "home"):
            return
        deps.jobs.submit_ui(publish_home, deps, context.get("team_id") or "", event["user"])

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict, context: dict) -> None:
        team_id = context.get("team_id") or ""
        users = ((event.get("tokens") or {}).get("oauth") or []) + ((event.get("tokens") or {}).get("bot") or [])
        for user_id in users:
            deps.store.delete_user_accounts(team_id, user_id)
        log.info("tokens_revoked: removed provider links of %d users", len(users))

    @app.event("app_uninstalled")
    def app_uninstalled(context: dict) -> None:
        team_id = context.get("team_id") or ""
        removed = deps.store.delete_team_accounts(team_id)
        SlackInstallations(deps.store).delete_all(enterprise_id=context.get("enterprise_id"), team_id=team_id)
        log.info("app_uninstalled: removed the installation and %d provider links", removed)

    @app.event("message")
    def ignore_messages(ack: Ack) -> None:
        ack()  # the Messages tab is on; meetbot doesn't answer chat


def publish_home(deps: Deps, team_id: str, user_id: str) -> None:
    _, default = deps.provider_choices(team_id, user_id)
    accounts = {a.provider: a for a in deps.store.list_accounts(team_id, user_id) if a.status == "active"}
    rows = []
    team_name = deps.directory.team_name()
    for name in deps.providers.names():
        provider = deps.providers.linkable(name)
        account = accounts.get(name)
        connect_url = None
        if provider is not None and deps.linker is not None and provider.configured() and not getattr(provider, "company_mode", False):
            connect_url = deps.linker.connect_url(team_id, user_id, name, team_name)
        rows.append(blocks.HomeProvider(name, deps.providers.label(name), (account.email or account.provider_user_id or "you") if account else None,
                                        connect_url, provider is not None))
    upcoming = deps.store.upcoming_meetings(team_id, user_id, deps.now().isoformat(), limit=10)
    view = blocks.home_view(rows, deps.providers.label(default) if default else "none allowed", upcoming)
    if deps.directory.get(user_id, fresh=True).is_admin:  # the Settings section, for workspace admins only
        labels = {name: deps.providers.label(name) for name in deps.providers.names()}
        view["blocks"] = view["blocks"][:95] + policy_blocks.settings_section(deps.store.get_policy(team_id), labels)
    try:
        deps.client.views_publish(user_id=user_id, view=view)
    except SLACK_ERRORS as exc:
        log.info("views.publish failed: %s", reason(exc))
