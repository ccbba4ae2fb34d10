"""manifest.yml stays in step with the code: the command, events and scopes the listeners rely on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

# Every Slack Web API method the code may call, with the bot scopes it needs (https://api.slack.com/methods).
# A new call fails test_scopes_are_exactly_what_the_code_calls until it is added here, and its scope to the manifest.
_CONVERSATION_READ = {"channels:read", "groups:read", "im:read", "mpim:read"}
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "views.open": set(), "views.update": set(), "views.push": set(), "views.publish": set(),
    "chat.postMessage": {"chat:write", "chat:write.public"},  # .public: channels meetbot was not invited to
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"}, "chat.delete": {"chat:write"},
    "chat.scheduleMessage": {"chat:write"}, "chat.deleteScheduledMessage": {"chat:write"},  # reminders
    "chat.getPermalink": set(),  # the link from a replaced post to its replacement (Dialpad edit)
    "users.info": {"users:read", "users:read.email"},  # .email: the profile's email (linking, invitees)
    "users.lookupByEmail": {"users:read.email"},
    "conversations.info": _CONVERSATION_READ, "conversations.members": _CONVERSATION_READ,
    "conversations.open": {"im:write"},
    "conversations.history": {"channels:history", "groups:history"},  # find a post whose answer was lost
    "team.info": {"team:read"},
    "openid.connect.token": set(), "openid.connect.userInfo": set(),  # Sign in with Slack: the user's own grant
}
# A call on a WebClient: meetbot names it `client`, `_client` or `slack` wherever it holds one, and gets a
# workspace's one from `client_for(team_id)` or `deps.slack(team_id)`.
_CALL = re.compile(r"\b_?(?:client|slack)(?:_for)?(?:\([^()]*\))?\.(auth|views|chat|users|conversations|team|openid_connect|reactions|im|apps)_([A-Za-z]+)\(")


def methods_called() -> set[str]:
    found = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for family, name in _CALL.findall(path.read_text()):
            found.add(f"{family.replace('_', '.')}.{name}")
    return found


def test_the_install_flow_asks_for_the_manifests_bot_scopes():
    from bot.slack.install import BOT_SCOPES

    assert sorted(BOT_SCOPES) == sorted(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_meet_command_with_usage_hint():
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/meet" and command["usage_hint"]


def test_scopes_are_exactly_what_the_code_calls():
    called = methods_called()
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add these Web API methods and their scopes to METHOD_SCOPES: {sorted(unknown)}"
    assert {"chat.postMessage", "users.info", "conversations.members"} <= called  # the scan finds the calls
    needed = {"commands"}.union(*(METHOD_SCOPES[m] for m in called))  # `commands`: the /meet slash command
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_no_dm_channel_is_opened_so_no_im_write():
    assert "conversations.open" not in methods_called()
    assert "im:write" not in MANIFEST["oauth_config"]["scopes"]["bot"]


def test_socket_mode_interactivity_and_home():
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] is True and settings["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]


def test_messages_tab_is_read_only():
    home = MANIFEST["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is True
