"""Block Kit for the workspace policy (#14 §4): the App Home's Settings section for admins, the settings
modal (`meet_policy`), and the confirmation pushed before posting to a big channel (`meet_confirm_post`).
Pure functions returning dicts, like bot/slack/blocks.py."""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.domain.policy import REMINDER_CHOICES, WorkspacePolicy
from bot.formatting import escape
from bot.slack.blocks import ACTION, option, plain

POLICY_CALLBACK_ID = "meet_policy"
CONFIRM_CALLBACK_ID = "meet_confirm_post"
EDIT_ACTION = "meet_policy_edit"
CONFIRM_NOW_ACTION = "meet_confirm_now"
ANY_PROVIDER = "any"  # the default-provider option meaning "no workspace default"


def _reminder_label(minutes: int | None) -> str:
    return "none" if not minutes else f"{minutes} minutes before"


def settings_section(policy: WorkspacePolicy, labels: dict[str, str]) -> list[dict[str, Any]]:
    """The Settings part of an admin's App Home: the policy as it stands, and an Edit button."""
    allowed = ", ".join(labels.get(p, p) for p in policy.allowed_providers) or "all providers"
    default = labels.get(policy.default_provider or "", "") or "none (Jitsi unless members choose)"
    reminder = "the deployment's default" if policy.reminder_minutes is None else _reminder_label(policy.reminder_minutes)
    confirm = (f"channels with more than {policy.confirm_over_members} members" if policy.confirm_over_members
               else "never")
    text = (f"*Settings* (workspace admins only)\n*Providers members may use:* {escape(allowed)}\n"
            f"*Workspace default provider:* {escape(default)}\n*Default reminder:* {reminder}\n"
            f"*Ask before posting to:* {confirm}")
    return [{"type": "divider"},
            {"type": "section", "text": {"type": "mrkdwn", "text": text},
             "accessory": {"type": "button", "text": plain("Edit settings"), "action_id": EDIT_ACTION}}]


def settings_modal(policy: WorkspacePolicy, providers: list[tuple[str, str]]) -> dict[str, Any]:
    """The admin's settings form; block_ids `allowed_providers`, `default_provider`, `reminder`, `confirm_over`."""
    allowed_options = [option(value, label) for value, label in providers]
    allowed: dict[str, Any] = {"type": "checkboxes", "action_id": ACTION, "options": allowed_options}
    chosen = [o for o in allowed_options if o["value"] in policy.allowed_providers]
    if chosen:
        allowed["initial_options"] = chosen
    default_options = [option(ANY_PROVIDER, "No workspace default")] + allowed_options
    default = next((o for o in default_options if o["value"] == (policy.default_provider or ANY_PROVIDER)),
                   default_options[0])
    reminder_options = [option(str(m) if m else "none", _reminder_label(m)) for m in REMINDER_CHOICES]
    reminder: dict[str, Any] = {"type": "static_select", "action_id": ACTION, "options": reminder_options}
    if policy.reminder_minutes is not None:
        reminder["initial_option"] = reminder_options[REMINDER_CHOICES.index(policy.reminder_minutes)]
    confirm: dict[str, Any] = {"type": "plain_text_input", "action_id": ACTION,
                               "placeholder": plain("e.g. 100 (empty: never ask)")}
    if policy.confirm_over_members:
        confirm["initial_value"] = str(policy.confirm_over_members)
    return {
        "type": "modal", "callback_id": POLICY_CALLBACK_ID, "title": plain("meetbot settings"),
        "submit": plain("Save"), "close": plain("Cancel"),
        "blocks": [
            {"type": "input", "block_id": "allowed_providers", "optional": True,
             "label": plain("Providers members may use (none ticked: all)"), "element": allowed},
            {"type": "input", "block_id": "default_provider", "label": plain("Workspace default provider"),
             "element": {"type": "static_select", "action_id": ACTION, "options": default_options,
                         "initial_option": default}},
            {"type": "input", "block_id": "reminder", "optional": True, "label": plain("Default reminder"),
             "element": reminder},
            {"type": "input", "block_id": "confirm_over", "optional": True,
             "label": plain("Ask before posting to channels with more members than"), "element": confirm},
        ],
    }


def confirm_post_view(request_json: str, members: int) -> dict[str, Any]:
    """Pushed over the scheduling modal: the request waits in `private_metadata` until *Post it*."""
    return {
        "type": "modal", "callback_id": CONFIRM_CALLBACK_ID, "title": plain("Post to a big channel?"),
        "submit": plain("Post it"), "close": plain("Back"), "private_metadata": request_json,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": messages.confirm_big_channel(members)}}],
    }


def confirm_now_blocks(text: str, value: str) -> list[dict[str, Any]]:
    """The private question before `/meet now` posts to a big channel; `value` carries the command."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "elements": [{"type": "button", "text": plain("Post it"), "style": "primary",
                                              "action_id": CONFIRM_NOW_ACTION, "value": value}]}]
