"""After the post: Edit, Cancel and "Start as host" (organiser only; anyone else is told who can).

Edit opens the scheduling modal pre-filled with the meeting as it is (its submission is handled in
modal.py); Cancel was confirmed by Slack's own dialog on the button. The changes themselves run after the
ack in `bot.domain.changes`, which makes a double click change nothing twice.
"""

from __future__ import annotations

import logging
import time
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App

from bot import messages
from bot.domain.meeting import MeetingRecord
from bot.domain.status import CHANGEABLE
from bot.errors import ProviderError
from bot.formatting import escape
from bot.slack import blocks
from bot.slack.api import SLACK_ERRORS, reason
from bot.slack.listeners.command import TRIGGER_BUDGET_SECONDS
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.events import publish_home
from bot.timeparse import describe_rrule

log = logging.getLogger("meetbot.manage")


def _clicked(body: dict) -> tuple[str, str, str, str]:
    """(key, user, channel, response_url) of a button click on a message."""
    action = (body.get("actions") or [{}])[0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    return str(action.get("value") or ""), body["user"]["id"], channel, body.get("response_url", "")


def _organisers_record(deps: Deps, body: dict) -> MeetingRecord | None:
    """The meeting if the clicker organised it; otherwise they are told who can change it, and None."""
    key, user_id, channel_id, response_url = _clicked(body)
    record = deps.store.get_meeting(key) if key else None
    team_id = (body.get("team") or {}).get("id") or ""
    if record is None or (team_id and record.request.team_id and record.request.team_id != team_id):
        return None  # not a meeting of this workspace
    if record.request.user_id != user_id:
        deps.notifier.tell(record.request.team_id, channel_id, user_id, response_url,
                           messages.only_organiser(record.request.user_id))
        return None
    return record


def when_text(record: MeetingRecord) -> str:
    """The meeting's time written the way the parser reads it back (its own zone's wall time)."""
    request = record.request
    try:
        start = request.start.astimezone(ZoneInfo(request.timezone))
    except (KeyError, ValueError):
        start = request.start
    text = f"{start:%Y-%m-%d %H:%M} for {request.duration_minutes}m"
    if request.rrule:
        text += " " + describe_rrule(request.rrule)
    return text


def register(app: App, deps: Deps) -> None:
    @app.action("meet_edit")
    def edit(ack: Ack, body: dict) -> None:
        ack()
        deps.jobs.submit_ui(open_edit, deps, body, time.monotonic())

    @app.action("meet_cancel")
    def cancel(ack: Ack, body: dict) -> None:
        ack()
        deps.jobs.submit(cancel_meeting, deps, body)

    @app.action("meet_host_link")
    def host_link(ack: Ack, body: dict) -> None:
        ack()
        deps.jobs.submit(send_host_link, deps, body)


def open_edit(deps: Deps, body: dict, received: float) -> None:
    record = _organisers_record(deps, body)
    if record is None:
        return
    _, user_id, channel_id, response_url = _clicked(body)
    if record.status not in CHANGEABLE:
        deps.notifier.tell(record.request.team_id, channel_id, user_id, response_url, messages.not_changeable())
        return
    if time.monotonic() - received > TRIGGER_BUDGET_SECONDS:
        deps.notifier.tell(record.request.team_id, channel_id, user_id, response_url, messages.modal_too_late())
        return
    request = record.request
    ctx = blocks.ModalContext(channel_id, user_id, request.team_id, "", request.timezone, edit_key=record.key)
    choices = [(request.provider, deps.providers.label(request.provider))]
    view = blocks.schedule_modal(ctx, choices, request.provider, request.title, when_text(record), "",
                                 blocks.reminder_choice(request.reminder_minutes))
    try:
        deps.slack(request.team_id).views_open(trigger_id=body["trigger_id"], view=view)
    except SLACK_ERRORS as exc:
        log.warning("views.open for an edit failed: %s", reason(exc))
        deps.notifier.tell(request.team_id, channel_id, user_id, response_url, messages.modal_failed(reason(exc)))


def cancel_meeting(deps: Deps, body: dict) -> None:
    record = _organisers_record(deps, body)
    if record is not None:
        deps.changes.cancel(record.key, record.request.user_id)
        if (body.get("view") or {}).get("type") == "home":  # clicked on the Home tab: show it gone there too
            publish_home(deps, record.request.team_id, record.request.user_id)


def send_host_link(deps: Deps, body: dict) -> None:
    """A fresh start link from the provider (Zoom's expire after two hours), to the organiser only."""
    record = _organisers_record(deps, body)
    if record is None or record.meeting is None:
        return
    _, user_id, channel_id, response_url = _clicked(body)
    try:
        url = deps.providers.host_url(record.request, record.meeting.meeting_id)
    except ProviderError as exc:
        label = deps.providers.label(record.request.provider)
        deps.notifier.tell(record.request.team_id, channel_id, user_id, response_url,
                           escape(messages.provider_problem(label, exc)))
        return
    deps.notifier.host_link(record, channel_id, url)
