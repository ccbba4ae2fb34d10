"""The workspace policy (#14 §4): admins edit it from the App Home; the modal asks before posting to a big
channel. Enforcement of the allowed providers and the workspace default is in `Deps.provider_choices`, which
the modal and the one-line path (`/meet now`) both use.

Who is an admin is asked of Slack (`users.info` `is_admin`/`is_owner`, fresh) when the form opens AND when it
is saved: the second check is the one that counts, so a forged submission from a member changes nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App

from bot import messages
from bot.domain.meeting import MeetingRequest
from bot.domain.policy import PolicyInvalid, WorkspacePolicy, validated
from bot.slack import policy_blocks
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners.deps import Deps

log = logging.getLogger("meetbot.policy")
METADATA_LIMIT = 3000  # Slack's private_metadata size


def _selected(values: dict, block_id: str) -> Any:
    action = (values.get(block_id) or {}).get(policy_blocks.ACTION) or {}
    if action.get("type") == "checkboxes":
        return [o.get("value") for o in action.get("selected_options") or []]
    if action.get("type") == "static_select":
        return (action.get("selected_option") or {}).get("value")
    return action.get("value")


def policy_from_form(team_id: str, user_id: str, values: dict) -> WorkspacePolicy:
    """The policy an admin's form describes; `PolicyInvalid` (with the field) for what cannot be read."""
    default = _selected(values, "default_provider")
    reminder = _selected(values, "reminder")
    confirm = (_selected(values, "confirm_over") or "").strip()
    if confirm and not confirm.isdigit():
        raise PolicyInvalid("confirm_over", messages.members_not_a_number())
    return WorkspacePolicy(
        team_id=team_id, allowed_providers=tuple(_selected(values, "allowed_providers") or ()),
        default_provider=None if default in (None, policy_blocks.ANY_PROVIDER) else default,
        reminder_minutes=None if reminder is None else (0 if reminder == "none" else int(reminder)),
        confirm_over_members=int(confirm) if confirm else None, updated_by=user_id)


def members_to_confirm(deps: Deps, team_id: str, channel_id: str) -> int | None:
    """The channel's member count when the workspace policy wants a confirmation before posting there."""
    policy = deps.store.get_policy(team_id)
    if policy.confirm_over_members is None or not channel_id:
        return None
    try:
        info = deps.slack(team_id).conversations_info(channel=channel_id, include_num_members=True).get("channel") or {}
    except SLACK_ERRORS as exc:
        log.info("cannot count the members of %s: %s", channel_id, reason(exc))
        return None
    members = info.get("num_members")
    return members if isinstance(members, int) and policy.needs_confirmation(members) else None


def confirmation(request: MeetingRequest, members: int) -> dict[str, Any] | None:
    """The confirmation view carrying `request`, or None if it does not fit in Slack's metadata."""
    raw = json.dumps(request.to_json(), separators=(",", ":"))
    return policy_blocks.confirm_post_view(raw, members) if len(raw) <= METADATA_LIMIT else None


def register(app: App, deps: Deps) -> None:
    @app.action(policy_blocks.EDIT_ACTION)
    def edit(ack: Ack, body: dict) -> None:
        ack()
        deps.jobs.submit_ui(open_settings, deps, body)

    @app.view(policy_blocks.POLICY_CALLBACK_ID)
    def saved(ack: Ack, body: dict, view: dict) -> None:
        user_id, team_id = body["user"]["id"], (body.get("team") or {}).get("id") or ""
        if not deps.directory.get(team_id, user_id, fresh=True).is_admin:
            log.warning("a settings change by a non-admin was refused")
            ack(response_action="errors", errors={"default_provider": messages.settings_admins_only()})
            return
        values = (view.get("state") or {}).get("values") or {}
        try:
            policy = validated(policy_from_form(team_id, user_id, values), deps.providers.names())
        except PolicyInvalid as exc:
            ack(response_action="errors", errors={exc.field: str(exc)})
            return
        deps.store.save_policy(policy)
        ack()
        log.info("workspace settings saved")
        from bot.slack.listeners.events import publish_home

        deps.jobs.submit_ui(publish_home, deps, team_id, user_id)

    @app.action(policy_blocks.CONFIRM_NOW_ACTION)
    def confirmed_now(ack: Ack, body: dict, action: dict) -> None:
        ack()
        from bot.slack.listeners.command import instant_meeting

        asked = json.loads(action.get("value") or "{}")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
        command = {"user_id": body["user"]["id"], "team_id": (body.get("team") or {}).get("id") or "",
                   "channel_id": channel, "trigger_id": asked.get("trigger_id"),
                   "response_url": body.get("response_url", "")}
        deps.jobs.submit(instant_meeting, deps, command, str(asked.get("title") or ""), confirmed=True)

    @app.view(policy_blocks.CONFIRM_CALLBACK_ID)
    def confirmed(ack: Ack, body: dict, view: dict) -> None:
        request = MeetingRequest.from_json(json.loads(view.get("private_metadata") or "{}"))
        if request.user_id != body["user"]["id"]:
            ack(response_action="clear")
            return
        ack(response_action="clear")
        from bot.slack.listeners.modal import schedule_with_emails

        deps.jobs.submit(schedule_with_emails, deps, request)


def open_settings(deps: Deps, body: dict) -> None:
    user_id, team_id = body["user"]["id"], (body.get("team") or {}).get("id") or ""
    if not deps.directory.get(team_id, user_id, fresh=True).is_admin:
        deps.notifier.tell(team_id, "", user_id, "", messages.settings_admins_only())
        return
    choices = [(name, deps.providers.label(name)) for name in deps.providers.names()]
    view = policy_blocks.settings_modal(deps.store.get_policy(team_id), choices)
    try:
        deps.slack(team_id).views_open(trigger_id=body["trigger_id"], view=view)
    except SLACK_ERRORS as exc:
        log.warning("views.open for the settings failed: %s", reason(exc))
