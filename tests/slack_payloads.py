"""Builders for the requests Slack sends to meetbot, already encoded, plus their signed headers.

Why: end-to-end tests post exactly what Slack would (form bodies, `payload=` JSON, event JSON) without
inlining 60-line dicts, and signatures are computed with slack_sdk's own SignatureVerifier so a test
can only pass if meetbot verifies requests the way Slack signs them.
"""

from __future__ import annotations

import itertools
import json
import time
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret"
APP_ID = "A1"
TOKEN = "legacy-verification-token"  # the deprecated per-app token Slack still puts in payloads
DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/response/default"  # port 9 (discard): nothing listens there

_event_ids = itertools.count(1)
_trigger_ids = itertools.count(1)  # Slack gives every command and interaction its own trigger_id


def _trigger_id() -> str:
    return f"1337.42.t{next(_trigger_ids)}"


def signed_headers(body: bytes | str, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """X-Slack-* headers for `body`; pass an old `timestamp` to build a replayed request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def slash(text: str = "", *, user: str = "U1", channel: str = "C1", team: str = "T1",
          response_url: str = DEFAULT_RESPONSE_URL, trigger_id: str | None = None, command: str = "/meet") -> str:
    """The form body of a slash command, with every field Slack sends."""
    return urlencode({
        "token": TOKEN,
        "team_id": team,
        "team_domain": team.lower(),
        "channel_id": channel,
        "channel_name": "general" if channel.startswith("C") else "directmessage",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _trigger_id(),
    })


def element_state(value: object) -> dict:
    """One input's entry in view.state.values.

    str -> plain_text_input; None -> empty plain_text_input; a dict is used as-is; a tuple
    (element_type, value) gives that element's shape, e.g. ("static_select", "zoom").
    """
    if value is None or isinstance(value, str):
        return {"type": "plain_text_input", "value": value}
    if isinstance(value, dict):
        return dict(value)
    kind, selected = value
    option = (lambda v: {"text": {"type": "plain_text", "text": str(v)}, "value": v})
    shapes = {
        "plain_text_input": lambda v: {"value": v},
        "static_select": lambda v: {"selected_option": None if v is None else option(v)},
        "radio_buttons": lambda v: {"selected_option": None if v is None else option(v)},
        "multi_static_select": lambda v: {"selected_options": [option(x) for x in v or []]},
        "checkboxes": lambda v: {"selected_options": [option(x) for x in v or []]},
        "conversations_select": lambda v: {"selected_conversation": v},
        "channels_select": lambda v: {"selected_channel": v},
        "users_select": lambda v: {"selected_user": v},
        "multi_users_select": lambda v: {"selected_users": list(v or [])},
        "multi_conversations_select": lambda v: {"selected_conversations": list(v or [])},
        "datepicker": lambda v: {"selected_date": v},
        "timepicker": lambda v: {"selected_time": v},
    }
    if kind not in shapes:
        raise ValueError(f"element_state: unknown element type {kind!r}")
    return {"type": kind, **shapes[kind](selected)}


def state_values(values: dict[str, object], action_id: str = "value") -> dict:
    """block_id -> {action_id: element state}, the shape of view.state.values."""
    return {block_id: {action_id: element_state(value)} for block_id, value in values.items()}


def _view(view: dict, values: dict, *, team: str, view_id: str | None) -> dict:
    vid = view_id or view.get("id") or "V1"
    return {
        **view,
        "id": vid,
        "team_id": team,
        "type": view.get("type", "modal"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": values},
        "hash": view.get("hash", "h1"),
        "root_view_id": view.get("root_view_id", vid),
        "previous_view_id": view.get("previous_view_id"),
        "app_id": APP_ID,
        "external_id": view.get("external_id", ""),
        "bot_id": "BBOT",
    }


def _envelope(kind: str, user: str, team: str, **fields) -> dict:
    return {
        "type": kind,
        "team": {"id": team, "domain": team.lower()},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": _trigger_id(),
        **fields,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def _form_payload(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


def view_submission(view: dict, values: dict[str, object], *, user: str = "U1", team: str = "T1",
                    response_urls: list[dict] | None = None, view_id: str | None = None) -> str:
    """`payload=...` for submitting the modal `view` with the inputs in `values` (see element_state)."""
    return _form_payload(_envelope(
        "view_submission", user, team,
        view=_view(view, state_values(values), team=team, view_id=view_id),
        response_urls=list(response_urls or []),
    ))


def block_action(view: dict, action_id: str, block_id: str, value: object, *, user: str = "U1", team: str = "T1",
                 action_type: str = "plain_text_input", values: dict[str, object] | None = None) -> str:
    """`payload=...` for an interaction inside the modal `view` (e.g. Enter in a dispatch_action input).

    The view's state holds `value` under block_id/action_id, plus any other inputs given in `values`.
    """
    typed = element_state((action_type, value))
    state = state_values(values or {})
    state[block_id] = {action_id: typed}
    built = _view(view, state, team=team, view_id=None)
    action = {**typed, "type": action_type, "action_id": action_id, "block_id": block_id, "value": value,
              "action_ts": "1.2"}
    return _form_payload(_envelope(
        "block_actions", user, team,
        container={"type": "view", "view_id": built["id"]},
        view=built,
        actions=[action],
    ))


def message_action(action_id: str, value: object, *, user: str = "U1", team: str = "T1", channel: str = "C1",
                   response_url: str = DEFAULT_RESPONSE_URL, block_id: str = "actions",
                   message: dict | None = None) -> str:
    """`payload=...` for a button clicked in a channel message."""
    message = message or {"type": "message", "ts": "1700000001.000100", "text": "", "blocks": []}
    return _form_payload(_envelope(
        "block_actions", user, team,
        container={"type": "message", "message_ts": message.get("ts", "1700000001.000100"),
                   "channel_id": channel, "is_ephemeral": False},
        channel={"id": channel, "name": "general"},
        message=message,
        response_url=response_url,
        actions=[{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                  "text": {"type": "plain_text", "text": str(value)}, "action_ts": "1.2"}],
    ))


def event(event: dict, *, team: str = "T1") -> str:
    """The JSON body of an Events API callback; send it with content_type="application/json"."""
    return json.dumps({
        "token": TOKEN,
        "team_id": team,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_event_ids)}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "UBOT", "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })
