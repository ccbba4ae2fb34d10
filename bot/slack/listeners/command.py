"""`/meet`: ack at once, then open the modal (or post an instant meeting) on the job pool.

The trigger_id lives 3 s, so `views.open` is the first network call after the ack; the user's time zone is
looked up afterwards and the preview corrected with `views.update` if it differs from the guess.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from slack_bolt import Ack, App

from bot import messages
from bot.slack import blocks, policy_blocks
from bot.errors import ParseError
from bot.slack.listeners import accounts, policy
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners.deps import Deps
from bot.domain.meeting import MeetingRequest
from bot.timeparse import parse_when

log = logging.getLogger("meetbot.command")
ACCOUNT_COMMANDS = ("link", "unlink", "default", "status")
TRIGGER_BUDGET_SECONDS = 2.5  # Slack's trigger_id lives 3 s from issue; keep room for the views.open call itself


def register(app: App, deps: Deps) -> None:
    @app.command("/meet")
    def meet(ack: Ack, command: dict) -> None:
        text = " ".join((command.get("text") or "").split())
        first, _, rest = text.partition(" ")
        word = first.lower()
        if word in ("help", "?", "-h", "--help"):
            ack(text=messages.help_text(), blocks=blocks.help_blocks())
            return
        if word in ACCOUNT_COMMANDS:
            ack()
            deps.jobs.submit(accounts.run, deps, command, word, rest)
            return
        if word in ("now", "asap") or text.lower() == "right now":
            ack()
            deps.jobs.submit(instant_meeting, deps, command, "" if word == "right" else rest)
            return
        if text and " " not in text and not _looks_like_time(text, deps):
            ack(text=messages.help_text(unknown=first), blocks=blocks.notice(messages.help_text(unknown=first)))
            return
        ack()
        deps.jobs.submit_ui(open_modal, deps, command, text, time.monotonic())


def _looks_like_time(text: str, deps: Deps) -> bool:
    try:
        parse_when(text, deps.settings.meetbot_default_tz, deps.now())
    except ParseError as exc:
        return "couldn't find a time" not in exc.hint
    return True


def modal_fields(text: str, tz: str, deps: Deps) -> tuple[str, str, str]:
    """(title, when, preview) to pre-fill the modal from `/meet <text>`."""
    if not text:
        return "", "", ""
    try:
        parsed = parse_when(text, tz, deps.now())
    except ParseError as exc:
        return "", text, blocks.preview_error(exc.hint)
    return parsed.title or "", parsed.when_text, blocks.preview_line(parsed.start, parsed.end, parsed.rrule, parsed.instant)


def open_modal(deps: Deps, command: dict, text: str, received: float, about: tuple[str, str] | None = None) -> None:
    """Open the modal, unless the trigger_id is too old by now (the UI lane was busy): then say so at once
    instead of a views.open that would fail (or a form that pops up long after the user moved on).
    `about`: (title, thread ts) of a message the meeting is about (the message shortcut)."""
    user_id, team_id = command["user_id"], command.get("team_id", "")
    if time.monotonic() - received > TRIGGER_BUDGET_SECONDS:
        log.warning("trigger_id of %s is %.1f s old: not opening the modal late", user_id, time.monotonic() - received)
        deps.notifier.tell(team_id, command.get("channel_id", ""), user_id, command.get("response_url", ""), messages.modal_too_late())
        return
    cached = deps.directory.cached(team_id, user_id)
    guess_tz = cached.tz if cached else deps.settings.meetbot_default_tz
    # The metadata only carries a zone we know; with none, the submission looks it up itself.
    ctx = blocks.ModalContext(command.get("channel_id", ""), user_id, team_id, command.get("response_url", ""),
                              cached.tz if cached else "", thread_ts=about[1] if about else "")
    choices, default = deps.provider_choices(team_id, user_id)
    if not choices:
        deps.notifier.tell(team_id, ctx.channel_id, user_id, ctx.response_url, _nothing_allowed(deps, team_id))
        return
    title, when, preview = (about[0], "", "") if about else modal_fields(text, guess_tz, deps)
    view = blocks.schedule_modal(ctx, choices, default, title, when, preview,
                                 blocks.reminder_choice(deps.default_reminder(team_id)))
    try:
        opened = deps.slack(team_id).views_open(trigger_id=command["trigger_id"], view=view)
    except SLACK_ERRORS as exc:
        log.warning("views.open failed: %s", reason(exc))
        deps.notifier.tell(team_id, ctx.channel_id, user_id, ctx.response_url, messages.modal_failed(reason(exc)))
        return
    if cached is None:  # now the slow lookup; fix the guess if the user's zone differs
        tz = deps.directory.tz(team_id, user_id)
        if tz != guess_tz:
            ctx = blocks.ModalContext(ctx.channel_id, user_id, team_id, ctx.response_url, tz, thread_ts=ctx.thread_ts)
            if about is None:
                title, when, preview = modal_fields(text, tz, deps)
            view = blocks.schedule_modal(ctx, choices, default, title, when, preview,
                                         blocks.reminder_choice(deps.default_reminder(team_id)))
            opened_view = opened.get("view") or {}
            try:
                deps.slack(team_id).views_update(view_id=opened_view.get("id"), hash=opened_view.get("hash"), view=view)
            except SLACK_ERRORS as exc:
                log.info("views.update after the zone lookup failed: %s", reason(exc))


def _nothing_allowed(deps: Deps, team_id: str) -> str:
    allowed = deps.store.get_policy(team_id).allowed_providers
    return messages.no_provider_allowed(" or ".join(deps.providers.label(name) for name in allowed))


def instant_meeting(deps: Deps, command: dict, title: str, confirmed: bool = False) -> None:
    """`/meet now [title]`; `confirmed` once the organiser said yes to posting in a big channel."""
    user_id, team_id, channel_id = command["user_id"], command.get("team_id", ""), command.get("channel_id", "")
    members = None if confirmed else policy.members_to_confirm(deps, team_id, channel_id)
    if members:  # the workspace asks before posting to a channel this big
        value = json.dumps({"title": title[:200], "trigger_id": command.get("trigger_id") or uuid.uuid4().hex})
        text = messages.confirm_big_channel_now(members)
        deps.notifier.tell(team_id, channel_id, user_id, command.get("response_url", ""), text,
                           policy_blocks.confirm_now_blocks(text, value))
        return
    user = deps.directory.get(team_id, user_id)
    now = deps.now()
    title = title.strip() or "Instant meeting"
    choices, default = deps.provider_choices(team_id, user_id)
    if not choices:
        deps.notifier.tell(team_id, channel_id, user_id, command.get("response_url", ""), _nothing_allowed(deps, team_id))
        return
    parsed = parse_when("now", user.tz, now)
    request = MeetingRequest(
        # One command, one meeting: its trigger_id is unique to it and survives any redelivery (a time
        # window would split a redelivery across its edge, and merge two commands typed on purpose).
        key=f"now:{team_id}:{command.get('trigger_id') or uuid.uuid4().hex}",
        team_id=team_id,
        user_id=user_id,
        channel_id=channel_id,
        origin_channel_id=channel_id,
        provider=default,
        title=title[:200],
        start=parsed.start,
        duration_minutes=parsed.duration_minutes,
        timezone=parsed.timezone,
        instant=True,
        response_url=command.get("response_url", ""),
        origin_response_url=command.get("response_url", ""),
    )
    deps.scheduler.submit(request)
