"""The scheduling modal: live preview on Enter, validation in the ack, creation after it, and Retry.

Validation answers inside the ack (`response_action: errors`, keyed by block_id) because that is the only
way to show an error under the field; everything slow happens on the job pool after the modal has closed.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.slack import blocks
from bot.errors import ParseError, ProviderError
from bot.domain.meeting import MeetingRequest
from bot.formatting import MAX_TITLE
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners import policy
from bot.slack.listeners.deps import Deps
from bot.timeparse import ParsedWhen, parse_when

log = logging.getLogger("meetbot.modal")
VIEW_KEYS = ("type", "callback_id", "title", "submit", "close", "private_metadata", "blocks", "notify_on_close")


def _value(state: dict, block_id: str) -> Any:
    action = (state.get(block_id) or {}).get(blocks.ACTION) or {}
    kind = action.get("type")
    if kind == "static_select":
        return (action.get("selected_option") or {}).get("value")
    if kind == "conversations_select":
        return action.get("selected_conversation")
    if kind == "multi_users_select":
        return action.get("selected_users") or []
    return action.get("value")


def _zone(deps: Deps, ctx: blocks.ModalContext, user_id: str) -> str:
    """The user's zone: a fresh lookup beats the guess the modal was opened with."""
    cached = deps.directory.cached(ctx.team_id, user_id)
    return cached.tz if cached else (ctx.tz or deps.directory.tz(ctx.team_id, user_id))


def register(app: App, deps: Deps) -> None:
    @app.action({"block_id": "when", "action_id": blocks.ACTION})
    def when_entered(ack: Ack, body: dict) -> None:
        ack()
        deps.jobs.submit_ui(update_preview, deps, body)

    @app.view(blocks.CALLBACK_ID)
    def submitted(ack: Ack, body: dict, view: dict) -> None:
        values = (view.get("state") or {}).get("values") or {}
        ctx = blocks.ModalContext.load(view.get("private_metadata", ""))
        user_id = body["user"]["id"]
        team_id = (body.get("team") or {}).get("id") or ctx.team_id
        title = " ".join((_value(values, "title") or "").split())
        when = (_value(values, "when") or "").strip()
        reminder = _reminder_minutes(_value(values, "reminder"), deps.default_reminder(team_id))
        if ctx.edit_key:
            edit_submitted(ack, deps, ctx, user_id, title, when, reminder)
            return
        errors, parsed = _title_and_when(deps, ctx, user_id, title, when)
        provider = _value(values, "provider") or "jitsi"
        choices, _ = deps.provider_choices(team_id, user_id)
        if provider not in [value for value, _label in choices]:
            label = deps.providers.label(provider)
            errors["provider"] = (messages.provider_not_linked(label, provider) if deps.store.get_policy(team_id).allows(provider)
                                  else messages.provider_not_allowed(label))
        if parsed is not None and "when" not in errors and provider in deps.providers.names():
            problem = _provider_check(deps, provider, title, parsed)
            if problem:
                errors["when"] = problem
        channel_id = _value(values, "channel") or ctx.channel_id
        if not errors and channel_id != ctx.channel_id:
            problem = _membership_problem(deps, team_id, channel_id, user_id)
            if problem:
                errors["channel"] = problem
        if errors or parsed is None:
            ack(response_action="errors", errors=errors)
            return
        response_url = next((r.get("response_url", "") for r in body.get("response_urls") or [] if r.get("channel_id") == channel_id), "")
        if not response_url and channel_id == ctx.channel_id:
            response_url = ctx.response_url
        invitees = tuple(u for u in _value(values, "invitees") if u != user_id)
        request = MeetingRequest(
            key=f"view:{team_id}:{view.get('id')}",
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            origin_channel_id=ctx.channel_id or channel_id,
            provider=provider,
            title=title,
            start=parsed.start,
            duration_minutes=parsed.duration_minutes,
            timezone=parsed.timezone,
            rrule=parsed.rrule,
            instant=parsed.instant,
            invitee_ids=invitees,
            response_url=response_url,
            origin_response_url=ctx.response_url,
            reminder_minutes=reminder,
            thread_ts=ctx.thread_ts if channel_id == ctx.channel_id else "",  # made from a message: reply there
        )
        members = policy.members_to_confirm(deps, team_id, channel_id)
        confirm = policy.confirmation(request, members) if members else None
        if confirm is not None:  # the workspace asks before posting to a channel this big
            ack(response_action="push", view=confirm)
            return
        ack()
        deps.jobs.submit(schedule_with_emails, deps, request)

    @app.action("meet_retry")
    def retry(ack: Ack, body: dict, action: dict) -> None:
        ack()
        deps.jobs.submit(deps.scheduler.retry, action.get("value", ""), body["user"]["id"])

    @app.action("join")
    @app.action("add_to_calendar")
    @app.action("add_to_outlook")
    @app.action("add_ics")
    def link_buttons(ack: Ack) -> None:
        ack()  # URL buttons still send an action; acking keeps Slack from showing a warning


def _reminder_minutes(choice: str | None, default: int | None) -> int | None:
    """The `reminder` select's value as minutes (None: no reminder; absent, as from a modal opened before
    the choice existed: the deployment's default)."""
    if choice is None:
        return default or None
    return int(choice) if choice.isdigit() and int(choice) > 0 else None


def _title_and_when(deps: Deps, ctx: blocks.ModalContext, user_id: str, title: str,
                    when: str) -> tuple[dict[str, str], ParsedWhen | None]:
    """The field errors of the title and When inputs (keyed by block_id), and the parsed time if it reads."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = messages.title_required()
    elif len(title) > MAX_TITLE:
        errors["title"] = messages.title_too_long(MAX_TITLE)
    try:
        return errors, parse_when(when, _zone(deps, ctx, user_id), deps.now())
    except ParseError as exc:
        errors["when"] = exc.hint
        return errors, None


def edit_submitted(ack: Ack, deps: Deps, ctx: blocks.ModalContext, user_id: str, title: str, when: str,
                   reminder: int | None) -> None:
    """The edit modal: checked like a new meeting (inline errors), then changed after the ack."""
    record = deps.store.get_meeting(ctx.edit_key)
    errors, parsed = _title_and_when(deps, ctx, user_id, title, when)
    if record is None or record.request.user_id != user_id:
        errors["title"] = messages.only_organiser(record.request.user_id if record else user_id)
    elif parsed is not None and "when" not in errors:
        problem = _provider_check(deps, record.request.provider, title, parsed)
        if problem:
            errors["when"] = problem
    if errors or parsed is None or record is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    changed = record.request.but(title=title, start=parsed.start, duration_minutes=parsed.duration_minutes,
                                 timezone=parsed.timezone, rrule=parsed.rrule, reminder_minutes=reminder)
    deps.jobs.submit(deps.changes.edit, record.key, user_id, changed)


def _membership_problem(deps: Deps, team_id: str, channel_id: str, user_id: str) -> str | None:
    """Why the organiser may not post in `channel_id`, or None: any public channel, or a private
    conversation they are a member of (the picker's choice alone is not proof of that)."""
    try:
        slack = deps.slack(team_id)
        info = slack.conversations_info(channel=channel_id).get("channel") or {}
        if not (info.get("is_private") or info.get("is_im") or info.get("is_mpim")):
            return None
        if info.get("is_im"):
            return None if info.get("user") == user_id else messages.not_a_member()
        cursor = None
        while True:
            page = slack.conversations_members(channel=channel_id, cursor=cursor, limit=1000)
            if user_id in (page.get("members") or []):
                return None
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return messages.not_a_member()
    except SLACK_ERRORS as exc:
        log.info("cannot check membership of %s: %s", channel_id, reason(exc))
        return messages.conversation_unverifiable()


def _provider_check(deps: Deps, provider_name: str, title: str, parsed) -> str | None:
    """A provider's own refusal known before any call (e.g. a repeat Zoom can't express), as a field error."""
    check = getattr(deps.providers.get(provider_name), "check", None)
    if check is None:
        return None
    request = MeetingRequest(title=title or "x", start=parsed.start, duration_minutes=parsed.duration_minutes,
                             timezone=parsed.timezone, rrule=parsed.rrule, instant=parsed.instant)
    try:
        check(request)
    except ProviderError as exc:
        return messages.provider_problem(deps.providers.label(provider_name), exc)
    return None


def schedule_with_emails(deps: Deps, request: MeetingRequest) -> None:
    """Providers that invite by email (Dialpad) get the invitees' emails, looked up after the ack."""
    provider = deps.providers.get(request.provider)
    if provider is not None and provider.needs_account and request.invitee_ids:
        emails = tuple(e for e in (deps.directory.get(request.team_id, u).email for u in request.invitee_ids) if e)
        request = request.but(invitee_emails=emails)
    deps.scheduler.submit(request)


def update_preview(deps: Deps, body: dict) -> None:
    view = body.get("view") or {}
    ctx = blocks.ModalContext.load(view.get("private_metadata", ""))
    user_id = body["user"]["id"]
    team_id = (body.get("team") or {}).get("id") or ctx.team_id
    when = ""
    for action in body.get("actions") or []:
        if action.get("block_id") == "when":
            when = action.get("value") or ""
    tz = _zone(deps, ctx, user_id)
    try:
        parsed = parse_when(when, tz, deps.now())
        preview = blocks.preview_line(parsed.start, parsed.end, parsed.rrule, parsed.instant)
    except ParseError as exc:
        preview = blocks.preview_error(exc.hint)
    new_view = {key: view[key] for key in VIEW_KEYS if key in view}
    new_view["blocks"] = [
        {**block, "elements": [{"type": "mrkdwn", "text": preview}]} if block.get("block_id") == blocks.PREVIEW_BLOCK else block
        for block in view.get("blocks") or []
    ]
    try:
        deps.slack(team_id).views_update(view_id=view.get("id"), hash=view.get("hash"), view=new_view)
    except SlackApiError as exc:
        if exc.response.get("error") != "hash_conflict":  # the user already changed the view: fine
            log.info("views.update for the preview failed: %s", exc.response.get("error"))
    except SLACK_ERRORS as exc:
        log.info("views.update for the preview failed: %s", reason(exc))
