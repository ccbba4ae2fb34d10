"""`/meet link|unlink|default|status <provider>` and the App Home's Connect/Disconnect buttons.

Replies are ephemeral (through the command's response_url): a Connect link is a capability, so it is only
ever shown to the user it was made for.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot import messages
from bot.slack import blocks
from bot.errors import ProviderError
from bot.formatting import escape
from bot.linking import linked_elsewhere, save_link
from bot.slack.listeners.deps import Deps

log = logging.getLogger("meetbot.accounts")
CREDENTIAL_VARIABLES = {"zoom": "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET", "dialpad": "DIALPAD_CLIENT_ID and DIALPAD_CLIENT_SECRET (or DIALPAD_API_KEY)"}


def register(app: App, deps: Deps) -> None:
    @app.action("home_disconnect")
    def home_disconnect(ack: Ack, body: dict, action: dict) -> None:
        ack()
        command = {"user_id": body["user"]["id"], "team_id": (body.get("team") or {}).get("id", ""), "channel_id": "", "response_url": ""}
        deps.jobs.submit(run, deps, command, "unlink", action.get("value", ""))

    @app.action("connect_link")
    def connect_clicked(ack: Ack) -> None:
        ack()  # a URL button: the browser does the work

    @app.action("meet_link")
    def relink(ack: Ack, body: dict, action: dict) -> None:
        ack()
        command = {"user_id": body["user"]["id"], "team_id": (body.get("team") or {}).get("id", ""),
                   "channel_id": (body.get("channel") or {}).get("id", ""), "response_url": body.get("response_url", "")}
        deps.jobs.submit(run, deps, command, "link", action.get("value", ""))


def run(deps: Deps, command: dict, word: str, rest: str) -> None:
    """Handle one account sub-command after the ack and answer the user ephemerally."""
    user_id, team_id = command["user_id"], command.get("team_id", "")
    name = rest.strip().split(" ")[0].lower() if rest.strip() else ""
    answer = _answer(deps, team_id, user_id, word, name)
    text, reply_blocks = (answer, blocks.notice(answer)) if isinstance(answer, str) else answer
    deps.notifier.tell(team_id, command.get("channel_id", ""), user_id, command.get("response_url", ""), text, reply_blocks)
    if word in ("link", "unlink", "default"):
        from bot.slack.listeners.events import publish_home

        publish_home(deps, team_id, user_id)


def _answer(deps: Deps, team_id: str, user_id: str, word: str, name: str) -> str | tuple[str, list[dict]]:
    """The reply: a sentence, or (sentence, blocks) for the Connect button."""
    if word == "status":
        return _status(deps, team_id, user_id)
    names = deps.providers.names()
    if not name:
        offered = names if word == "default" else [n for n in names if deps.providers.linkable(n)]
        return messages.which_provider(word, offered)
    if name not in names:
        return messages.unknown_provider(name, names)
    label = deps.providers.label(name)
    if word == "default":
        choices, _ = deps.provider_choices(team_id, user_id)
        if name not in [value for value, _label in choices]:
            allowed = deps.store.get_policy(team_id).allows(name)
            return messages.not_linked(label, name) if allowed else messages.provider_not_allowed(label)
        deps.store.set_default_provider(team_id, user_id, name)
        return messages.default_set(label)
    provider = deps.providers.linkable(name)
    if provider is None:
        return messages.no_account_needed(label)
    if word == "unlink":
        account = deps.store.get_account(team_id, user_id, name)
        if account is None:
            return messages.not_linked(label, name)
        try:
            provider.revoke(account)
        except ProviderError as exc:  # revoke is a courtesy: our tokens go regardless
            log.info("revoking at %s failed: %s", name, type(exc).__name__)
        deps.store.delete_account(team_id, user_id, name)
        if deps.store.get_default_provider(team_id, user_id) == name:
            remaining = [a.provider for a in deps.store.list_accounts(team_id, user_id) if a.status == "active"]
            deps.store.set_default_provider(team_id, user_id, remaining[0] if remaining else "jitsi")
        return messages.unlinked(label)
    # link
    if not provider.configured():
        return messages.provider_not_configured(label, CREDENTIAL_VARIABLES.get(name, "its client id and secret"))
    if getattr(provider, "company_mode", False):
        return _link_by_email(deps, team_id, user_id, provider)
    if deps.linker is None:
        return messages.public_url_missing()
    url = deps.linker.connect_url(team_id, user_id, name, deps.directory.team_name(team_id))
    return messages.connect_prompt(label), blocks.connect_blocks(messages.connect_prompt(label), label, url)


def _link_by_email(deps: Deps, team_id: str, user_id: str, provider) -> str:
    email = deps.directory.get(team_id, user_id).email
    if not email:
        return messages.dialpad_no_email()
    try:
        found = provider.find_user_by_email(email)
    except ProviderError as exc:
        return escape(messages.provider_problem(provider.label, exc))
    if found is None:
        return messages.dialpad_no_match(email)
    if linked_elsewhere(deps.store, team_id, user_id, provider.name, found.id):
        return messages.taken_elsewhere(provider.label, provider.name)
    is_default = save_link(deps.store, team_id, user_id, provider.name, found.id, found.email, None, None, None, None)
    return messages.linked(provider.label, found.email or found.id, is_default)


def _status(deps: Deps, team_id: str, user_id: str) -> str:
    lines = []
    for account in deps.store.list_accounts(team_id, user_id):
        label = deps.providers.label(account.provider)
        state = "connected" if account.status == "active" else f"disconnected: `/meet link {account.provider}` to reconnect"
        lines.append(f"• {label}: {escape(account.email or account.provider_user_id or 'linked')} ({state})")
    _, default = deps.provider_choices(team_id, user_id)
    return messages.status_text(lines, deps.providers.label(default) if default else "none allowed",
                                deps.directory.tz(team_id, user_id))
