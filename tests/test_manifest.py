"""manifest.yml stays in step with the code: the command, events and scopes the listeners rely on."""

from __future__ import annotations

from pathlib import Path

import yaml

MANIFEST = yaml.safe_load((Path(__file__).parent.parent / "manifest.yml").read_text())


def test_meet_command_with_usage_hint():
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/meet" and command["usage_hint"]


def test_scopes_cover_what_the_app_calls():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "users:read.email", "im:write"} <= scopes


def test_socket_mode_interactivity_and_home():
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] is True and settings["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
