"""Events: the App Home tab, and deleting provider tokens when Slack revokes ours or the app is removed."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot.slack import blocks, policy_blocks
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners.deps import Deps
from bot.errors import ProviderError
from bot.stores.installations import MEMBER, SlackInstallations

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
        tokens = event.get("tokens") or {}
        if deps.clients.distributable and tokens.get("bot"):  # the workspace's bot token is gone: as an uninstall
            deps.jobs.submit(forget_workspace, deps, context.get("enterprise_id") or "", team_id,
                             bool(context.get("is_enterprise_install")))
            return
        users = (tokens.get("oauth") or []) + (tokens.get("bot") or [])
        deps.jobs.submit(forget_users, deps, team_id, users)

    @app.event("app_uninstalled")
    def app_uninstalled(context: dict) -> None:
        deps.jobs.submit(forget_workspace, deps, context.get("enterprise_id") or "", context.get("team_id") or "",
                         bool(context.get("is_enterprise_install")))

    @app.event("message")
    def ignore_messages(ack: Ack) -> None:
        ack()  # the Messages tab is on; meetbot doesn't answer chat


def _revoke(deps: Deps, accounts: list) -> None:
    """Give the providers back tokens we just deleted (a courtesy where their API allows: our rows are gone
    whatever they answer). Runs after the delete, outside any transaction."""
    for account in accounts:
        provider = deps.providers.linkable(account.provider)
        if provider is None or not account.access_token:
            continue
        try:
            provider.revoke(account)
        except ProviderError as exc:
            log.info("revoking a %s link at the provider failed: %s", account.provider, type(exc).__name__)


def forget_users(deps: Deps, team_id: str, user_ids: list[str]) -> None:
    """tokens_revoked for some users: their provider links are deleted (and revoked at the provider)."""
    gone = []
    for user_id in user_ids:
        gone += deps.store.list_accounts(team_id, user_id)
        deps.store.delete_user_accounts(team_id, user_id)
        if deps.clients.installations is not None:
            deps.clients.installations.delete_installation(enterprise_id=None, team_id=team_id, user_id=user_id)
    log.info("tokens_revoked: removed provider links of %d users", len(user_ids))
    _revoke(deps, gone)


def forget_workspace(deps: Deps, enterprise_id: str, team_id: str, org_wide: bool) -> None:
    """app_uninstalled (or its bot token revoked): the workspace's installation (an org-wide one: the org's,
    and each of its workspaces' links) and its users' provider links are deleted, the links revoked at the
    provider. Other workspaces are untouched."""
    installations = SlackInstallations(deps.store)
    teams = [team_id] if team_id and not org_wide else []
    if org_wide and enterprise_id:
        teams += deps.store.member_teams(enterprise_id)
    gone = []
    for team in teams:
        gone += deps.store.list_team_accounts(team)
        deps.store.delete_team_accounts(team)
    installations.delete_all(enterprise_id=enterprise_id or None, team_id=None if org_wide else team_id)
    for team in teams:
        deps.store.delete_installations(MEMBER, enterprise_id, team)
    deps.clients.forget()
    log.info("app_uninstalled: removed the installation and %d provider links", len(gone))
    _revoke(deps, gone)


def publish_home(deps: Deps, team_id: str, user_id: str) -> None:
    _, default = deps.provider_choices(team_id, user_id)
    accounts = {a.provider: a for a in deps.store.list_accounts(team_id, user_id) if a.status == "active"}
    rows = []
    team_name = deps.directory.team_name(team_id)
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
    if deps.directory.get(team_id, user_id, fresh=True).is_admin:  # the Settings section, for workspace admins only
        labels = {name: deps.providers.label(name) for name in deps.providers.names()}
        view["blocks"] = view["blocks"][:95] + policy_blocks.settings_section(deps.store.get_policy(team_id), labels)
    try:
        deps.slack(team_id).views_publish(user_id=user_id, view=view)
    except SLACK_ERRORS as exc:
        log.info("views.publish failed: %s", reason(exc))
