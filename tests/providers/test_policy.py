"""Workspace policy (#14 §4) end to end: an admin edits it from the App Home's Settings; a member can't; it is
enforced in the modal (inline errors, the default provider) and the one-line path; posting to a channel with
more members than the policy's limit asks first."""

from __future__ import annotations

import json

from bot.domain.policy import WorkspacePolicy
from bot.slack.policy_blocks import CONFIRM_CALLBACK_ID, EDIT_ACTION, POLICY_CALLBACK_ID
from tests.providers.conftest import link, open_and_submit
from tests.slack_payloads import event, message_action, slash, view_submission

FORM = {"allowed_providers": ("checkboxes", ["zoom", "dialpad"]), "default_provider": ("static_select", "zoom"),
        "reminder": ("static_select", "15"), "confirm_over": "100"}


def home(meetbot, slack, user: str) -> str:
    slack.clear()
    meetbot.post(event({"type": "app_home_opened", "user": user, "tab": "home"}), content_type="application/json")
    [published] = slack.wait_for("views.publish")
    return json.dumps(published.body["view"])


def settings_form(meetbot, slack, user: str):
    """Press Edit settings in the Home tab as `user`: the opened form, or None."""
    slack.clear()
    meetbot.post(message_action(EDIT_ACTION, "", user=user, block_id="settings"))  # a button's block_actions
    meetbot.wait_idle()
    opened = slack.calls("views.open")
    return opened[0].body["view"] if opened else None


def save(meetbot, user: str, values: dict):
    view = {"type": "modal", "id": "VP", "callback_id": POLICY_CALLBACK_ID}
    return meetbot.post(view_submission(view, values, user=user))


def test_only_admins_see_and_change_the_settings(meetbot, slack):
    slack.set_admin("UADMIN")
    assert "Edit settings" in home(meetbot, slack, "UADMIN")
    assert "Edit settings" not in home(meetbot, slack, "U1")

    form = settings_form(meetbot, slack, "UADMIN")
    assert form["callback_id"] == POLICY_CALLBACK_ID
    assert {b["block_id"] for b in form["blocks"]} == {"allowed_providers", "default_provider", "reminder", "confirm_over"}
    saved = save(meetbot, "UADMIN", FORM)
    assert saved.status_code == 200 and saved.text == ""
    policy = meetbot.store.get_policy("T1")
    assert policy.allowed_providers == ("zoom", "dialpad") and policy.default_provider == "zoom"
    assert policy.reminder_minutes == 15 and policy.confirm_over_members == 100 and policy.updated_by == "UADMIN"
    meetbot.wait_idle()
    assert "more than 100 members" in home(meetbot, slack, "UADMIN")

    # a member: no form, and a forged submission changes nothing and says why
    assert settings_form(meetbot, slack, "U1") is None
    [told] = slack.wait_for("chat.postMessage")  # by DM: the Home tab has no channel
    assert told.body["channel"] == "U1" and "Only workspace admins" in json.dumps(told.body)
    refused = save(meetbot, "U1", {**FORM, "confirm_over": "5"}).json()
    assert refused["response_action"] == "errors" and "Only workspace admins" in json.dumps(refused["errors"])
    assert meetbot.store.get_policy("T1").confirm_over_members == 100


def test_bad_settings_get_inline_errors(meetbot, slack):
    slack.set_admin("UADMIN")
    answer = save(meetbot, "UADMIN", {**FORM, "confirm_over": "lots"}).json()
    assert answer["response_action"] == "errors" and "whole number" in answer["errors"]["confirm_over"]
    answer = save(meetbot, "UADMIN", {**FORM, "default_provider": ("static_select", "jitsi")}).json()
    assert "must be one of the allowed" in answer["errors"]["default_provider"]
    assert meetbot.store.get_policy("T1") == WorkspacePolicy("T1")


def test_the_modal_offers_and_accepts_only_allowed_providers(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    meetbot.store.save_policy(WorkspacePolicy("T1", allowed_providers=("zoom",), default_provider="zoom"))
    answer = open_and_submit(meetbot, slack, provider="jitsi").json()
    opened = json.dumps(slack.calls("views.open")[0].body["view"])
    assert '"value": "zoom"' in opened and '"value": "jitsi"' not in opened  # Jitsi isn't offered
    assert answer["response_action"] == "errors" and "don't allow Jitsi" in answer["errors"]["provider"]
    assert meetbot.store.get_meeting("view:T1:V42") is None


def test_the_one_line_path_uses_the_workspace_default_and_refuses_when_nothing_is_allowed(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom")
    meetbot.store.save_policy(WorkspacePolicy("T1", default_provider="zoom"))
    slack.clear()
    meetbot.post(slash("now Standup", user="U1"))
    slack.wait_for("chat.postMessage", timeout=10)
    meetbot.wait_idle()
    assert len(zoom.meetings) == 1  # U1 chose no default: the workspace's (Zoom)

    meetbot.store.save_policy(WorkspacePolicy("T1", allowed_providers=("dialpad",)))
    slack.clear()
    meetbot.post(slash("now Standup", user="U2", trigger_id="t-2"))
    note = json.dumps(slack.wait_for_note("U2", "allow only Dialpad").body)
    assert "/meet link" in note
    assert slack.calls("chat.postMessage") == [] and len(zoom.meetings) == 1


def test_posting_to_a_big_channel_asks_first(meetbot, slack):
    meetbot.store.save_policy(WorkspacePolicy("T1", confirm_over_members=100))
    slack.set_conversation("C1", private=False, num_members=250)
    answer = open_and_submit(meetbot, slack, provider="jitsi").json()
    assert answer["response_action"] == "push" and answer["view"]["callback_id"] == CONFIRM_CALLBACK_ID
    assert "250 members" in json.dumps(answer["view"])
    meetbot.wait_idle()
    assert slack.calls("chat.postMessage") == [] and meetbot.store.get_meeting("view:T1:V42") is None
    confirmed = meetbot.post(view_submission(answer["view"], {}, view_id="V-confirm"))
    assert confirmed.json() == {"response_action": "clear"}
    [post] = slack.wait_for("chat.postMessage", timeout=10)
    assert post.body["channel"] == "C1" and meetbot.store.get_meeting("view:T1:V42") is not None

    slack.set_conversation("C1", private=False, num_members=20)  # a small channel: no question
    assert open_and_submit(meetbot, slack, provider="jitsi", view_id="V43").text == ""


def test_meet_now_in_a_big_channel_asks_first(meetbot, slack):
    meetbot.store.save_policy(WorkspacePolicy("T1", confirm_over_members=100))
    slack.set_conversation("C1", private=False, num_members=250)
    meetbot.post(slash("now Standup", user="U1"))
    question = slack.wait_for_note("U1", "250 members").body
    meetbot.wait_idle()
    assert slack.calls("chat.postMessage") == []
    button = next(e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"])
    meetbot.post(message_action(button["action_id"], button["value"], user="U1"))
    [post] = slack.wait_for("chat.postMessage", timeout=10)
    assert post.body["channel"] == "C1" and "Standup" in json.dumps(post.body)
    meetbot.post(message_action(button["action_id"], button["value"], user="U1", response_url=slack.response_url("again")))
    meetbot.wait_idle()
    assert len(slack.calls("chat.postMessage")) == 1  # a second press is the same meeting, not another


def test_a_member_cannot_make_a_disallowed_provider_their_default(meetbot, slack):
    meetbot.store.save_policy(WorkspacePolicy("T1", allowed_providers=("zoom",)))
    meetbot.post(slash("default jitsi", user="U1"))
    slack.wait_for_note("U1", "don't allow Jitsi")
    assert meetbot.store.get_default_provider("T1", "U1") is None
