"""Block Kit builders: the scheduling modal and the messages meetbot posts. Pure functions returning dicts.

The modal's callback_id and block_ids are a public contract (tools drive the modal by them): `meet_schedule`;
`title`, `when`, `provider`, `channel`, `invitees`. Each input's action_id is `value`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot import messages
from bot.domain.meeting import LiveState, MeetingRecord
from bot.domain.status import CHANGEABLE
from bot.formatting import (MAX_TITLE, date_token, duration_words, escape, google_calendar_url, mention, outlook_url,
                            truncate)
from bot.timeparse import describe_rrule

CALLBACK_ID = "meet_schedule"
ACTION = "value"
WHEN_MAX = 500
PREVIEW_BLOCK = "when_preview"


@dataclass(frozen=True)
class ModalContext:
    """What travels in `private_metadata`: where `/meet` was typed, by whom, and their zone."""

    channel_id: str
    user_id: str
    team_id: str
    response_url: str = ""
    tz: str = ""
    edit_key: str = ""  # the meeting being edited (the modal then changes it instead of making one)
    thread_ts: str = ""  # the message the meeting is about: its link goes in that thread

    def dump(self) -> str:
        data = {"c": self.channel_id, "u": self.user_id, "t": self.team_id, "r": self.response_url, "z": self.tz}
        if self.edit_key:
            data["e"] = self.edit_key
        if self.thread_ts:
            data["h"] = self.thread_ts
        return json.dumps(data)

    @classmethod
    def load(cls, raw: str) -> "ModalContext":
        data = json.loads(raw or "{}")
        return cls(data.get("c", ""), data.get("u", ""), data.get("t", ""), data.get("r", ""), data.get("z", ""),
                   data.get("e", ""), data.get("h", ""))


def plain(text: str, emoji: bool = True) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": emoji}


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label), "value": value}


def schedule_modal(
    ctx: ModalContext,
    providers: list[tuple[str, str]],
    default_provider: str,
    title: str = "",
    when: str = "",
    preview: str = "",
    reminder: str = "10",
) -> dict[str, Any]:
    """The `/meet` modal. `providers` is [(value, label)]; `preview` is the context line under When;
    `reminder` the pre-selected choice (minutes, or `none`). Editing (`ctx.edit_key`) leaves out where the
    meeting is and where it was posted: those stay."""
    options = [option(value, label) for value, label in providers]
    initial = next((o for o in options if o["value"] == default_provider), options[0])
    title_element: dict[str, Any] = {"type": "plain_text_input", "action_id": ACTION, "max_length": MAX_TITLE,
                                     "placeholder": plain("Design review")}
    if title:
        title_element["initial_value"] = title[:MAX_TITLE]
    when_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ACTION,
        "max_length": WHEN_MAX,
        "placeholder": plain("tomorrow 3pm for 45m"),
        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
    }
    if when:
        when_element["initial_value"] = when[:WHEN_MAX]
    blocks: list[dict[str, Any]] = [
        {"type": "input", "block_id": "title", "label": plain("Title"), "element": title_element},
        {
            "type": "input",
            "block_id": "when",
            "label": plain("When"),
            "dispatch_action": True,
            "element": when_element,
            "hint": plain("e.g. tomorrow 3pm for 45m · every monday 10am · friday 9:15-10am. Press Enter to check."),
        },
        {"type": "context", "block_id": PREVIEW_BLOCK, "elements": [{"type": "mrkdwn", "text": truncate(preview or " ", 3000)}]},
        {
            "type": "input",
            "block_id": "provider",
            "label": plain("Where"),
            "element": {"type": "static_select", "action_id": ACTION, "options": options, "initial_option": initial},
        },
        {
            "type": "input",
            "block_id": "channel",
            "label": plain("Post the link in"),
            "element": {
                "type": "conversations_select",
                "action_id": ACTION,
                "default_to_current_conversation": True,
                "response_url_enabled": True,
                **({"initial_conversation": ctx.channel_id} if ctx.channel_id else {}),
            },
        },
        {
            "type": "input",
            "block_id": "invitees",
            "optional": True,
            "label": plain("Invite"),
            "element": {"type": "multi_users_select", "action_id": ACTION, "placeholder": plain("People to mention")},
        },
        reminder_input(reminder),
    ]
    if ctx.edit_key:
        blocks = [block for block in blocks if block.get("block_id") not in ("provider", "channel", "invitees")]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain("Edit the meeting" if ctx.edit_key else "Schedule a meeting"),
        "submit": plain("Save" if ctx.edit_key else "Create"),
        "close": plain("Cancel"),
        "private_metadata": ctx.dump(),
        "blocks": blocks,
    }


REMINDER_CHOICES = ("none", "5", "10", "15", "30")


def reminder_input(chosen: str) -> dict[str, Any]:
    """"Remind the channel" (block `reminder`): none, or 5/10/15/30 minutes before."""
    options = [option(value, "No reminder" if value == "none" else f"{value} minutes before") for value in REMINDER_CHOICES]
    initial = next((o for o in options if o["value"] == chosen), options[2])
    return {"type": "input", "block_id": "reminder", "optional": True, "label": plain("Remind the channel"),
            "element": {"type": "static_select", "action_id": ACTION, "options": options, "initial_option": initial}}


def reminder_choice(minutes: int | None) -> str:
    """The option value for a number of minutes (0 or None: `none`)."""
    return str(minutes) if minutes and str(minutes) in REMINDER_CHOICES else "none"


def preview_line(start: datetime, end: datetime, rrule: str | None, instant: bool) -> str:
    """`:calendar: Wed 25 Nov, 15:00–15:45 PST · weekly on Monday` (in the user's own zone)."""
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %d %b %H:%M")
    line = f":calendar: {'Now, ' if instant else ''}{start:%a %d %b}, {start:%H:%M}–{end_text} {start.strftime('%Z')}"
    if rrule:
        line += " · " + describe_rrule(rrule)
    return line


def preview_error(hint: str) -> str:
    return f":warning: {hint}"


@dataclass(frozen=True)
class MeetingPost:
    """Everything the channel message shows. Nothing host-only."""

    title: str
    start: datetime
    end: datetime
    duration_minutes: int
    rrule: str | None
    provider_label: str
    join_url: str
    organiser_id: str
    invitee_ids: tuple[str, ...] = ()
    passcode: str | None = None
    dial_in: str | None = None
    pin: str | None = None
    instant: bool = False
    key: str = ""  # the request's key: the organiser's Edit and Cancel buttons carry it
    cancelled: bool = False  # "Cancelled by @organiser", without Join, calendar or change buttons
    edited: bool = False
    ics_url: str = ""  # the signed .ics file's address (empty without MEETBOT_PUBLIC_URL)
    live: LiveState | None = None  # from the provider's events: started, in the call, ended


def live_line(live: LiveState) -> str:
    """`:red_circle: Live now · started 10:02 · 3 in the call`, then `Ended · 42 min`."""
    if live.ended_at is not None:
        return f"Ended · {duration_words(max(1, round((live.ended_at - live.started_at) / 60)))}"
    started = f"<!date^{int(live.started_at)}^{{time}}|{datetime.fromtimestamp(live.started_at, timezone.utc):%H:%M} UTC>"
    return f":red_circle: *Live now* · started {started} · {live.participants} in the call"


def change_buttons(key: str) -> list[dict[str, Any]]:
    """Edit and Cancel on the post (anyone may click; only the organiser is answered with a change)."""
    confirm = {"title": plain("Cancel this meeting?"), "text": plain(messages.cancel_confirm()),
               "confirm": plain("Cancel meeting"), "deny": plain("Keep it"), "style": "danger"}
    return [{"type": "button", "text": plain("Edit"), "action_id": "meet_edit", "value": key},
            {"type": "button", "text": plain("Cancel"), "action_id": "meet_cancel", "value": key, "style": "danger",
             "confirm": confirm}]


def meeting_message(post: MeetingPost) -> tuple[str, list[dict[str, Any]]]:
    """(notification text, blocks) for the channel. User text is escaped; links live in buttons."""
    title = escape(truncate(post.title, MAX_TITLE))
    when = "Starting now" if post.instant else date_token(post.start)
    facts = [when, duration_words(post.duration_minutes)]
    if post.rrule:
        facts.append(escape(describe_rrule(post.rrule)))
    facts.append(f"on {escape(post.provider_label)}")
    people = f"Organised by {mention(post.organiser_id)}"
    if post.invitee_ids:
        people += " · with " + ", ".join(mention(u) for u in post.invitee_ids)
    if post.cancelled:
        text = truncate(f"~*{title}*~\n{messages.cancelled_by(post.organiser_id)}", 3000)
        return f"{title} — cancelled", [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if post.edited:
        people += " · _edited_"
    if post.live is not None:
        people += "\n" + live_line(post.live)
    text = truncate(f"*{title}*\n{' · '.join(facts)}\n{people}", 3000)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
    ]
    extras = []
    if post.passcode and "pwd=" not in post.join_url:
        extras.append(f"Passcode: `{escape(post.passcode)}`")
    if post.dial_in:
        extras.append(f"Dial-in: {escape(post.dial_in)}" + (f" · PIN `{escape(post.pin)}`" if post.pin else ""))
    if extras:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(" · ".join(extras), 3000)}]})
    calendar = google_calendar_url(post.title, post.start, post.end, f"Join: {post.join_url}", post.rrule)
    buttons = [{"type": "button", "text": plain("Join"), "url": post.join_url, "style": "primary", "action_id": "join"}]
    if len(calendar) <= 3000:
        buttons.append({"type": "button", "text": plain("Add to Google Calendar"), "url": calendar, "action_id": "add_to_calendar"})
    outlook = outlook_url(post.title, post.start, post.end, f"Join: {post.join_url}")
    if len(outlook) <= 3000 and not post.rrule:  # Outlook's compose link has no way to say a repeat
        buttons.append({"type": "button", "text": plain("Outlook"), "url": outlook, "action_id": "add_to_outlook"})
    if post.ics_url and len(post.ics_url) <= 3000:
        buttons.append({"type": "button", "text": plain(".ics file"), "url": post.ics_url, "action_id": "add_ics"})
    if post.key:
        buttons += change_buttons(post.key)
    blocks.append({"type": "actions", "elements": buttons})
    fallback = f"{title} — {'now' if post.instant else post.start.strftime('%a %d %b %H:%M %Z')} — join: {post.join_url}"
    return fallback, blocks


def replaced_message(title: str, start: datetime, new_post_url: str) -> tuple[str, list[dict[str, Any]]]:
    """The old post of a meeting made again (Dialpad edit): no Join or change buttons, a link to the new post."""
    title = escape(truncate(title, MAX_TITLE))
    new_post = f"<{escape(new_post_url)}|the new post>" if new_post_url else ""
    text = truncate(f"~*{title}*~\n{messages.replaced_by(date_token(start), new_post)}", 3000)
    return f"{title} — replaced by a new meeting", [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]


def notice(text: str) -> list[dict[str, Any]]:
    """A one-section message (errors, help, fallbacks)."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}]


def retry_blocks(text: str, key: str) -> list[dict[str, Any]]:
    """An error with a Retry button that re-runs the saved request (value = its idempotency key)."""
    return notice(text) + [
        {"type": "actions", "elements": [{"type": "button", "text": plain("Retry"), "action_id": "meet_retry", "value": key}]}
    ]


def connect_blocks(text: str, label: str, url: str) -> list[dict[str, Any]]:
    """The ephemeral Connect button (the URL is a one-use capability for this user only)."""
    button = {"type": "button", "text": plain(f"Connect {label}"), "url": url, "style": "primary", "action_id": "connect_link"}
    return notice(text) + [{"type": "actions", "elements": [button]}]


def reconnect_blocks(text: str, provider: str, label: str) -> list[dict[str, Any]]:
    button = {"type": "button", "text": plain(f"Reconnect {label}"), "action_id": "meet_link", "value": provider}
    return notice(text) + [{"type": "actions", "elements": [button]}]


def host_blocks(text: str, host_url: str | None) -> list[dict[str, Any]]:
    """The organiser's private note: the host link lives in a button, never in mrkdwn or a channel."""
    if not host_url or len(host_url) > 3000:
        return notice(text)
    button = {"type": "button", "text": plain("Start as host"), "url": host_url, "action_id": "join"}
    return notice(text) + [{"type": "actions", "elements": [button]}]


def host_link_blocks(text: str, key: str) -> list[dict[str, Any]]:
    """The organiser's note with "Start as host": a click fetches a fresh start link (they expire in 2 h)."""
    button = {"type": "button", "text": plain("Start as host"), "action_id": "meet_host_link", "value": key,
              "style": "primary"}
    return notice(text) + [{"type": "actions", "elements": [button]}]


def reminder_blocks(title: str, minutes: int, join_url: str) -> tuple[str, list[dict[str, Any]]]:
    """The reminder posted in the meeting post's thread, with the Join button."""
    text = messages.reminder(escape(truncate(title, MAX_TITLE)), minutes)
    join = {"type": "button", "text": plain("Join"), "url": join_url, "style": "primary", "action_id": "join"}
    return text, notice(text) + [{"type": "actions", "elements": [join]}]


def help_blocks() -> list[dict[str, Any]]:
    return notice(messages.help_text())


@dataclass(frozen=True)
class HomeProvider:
    """One provider row on the Home tab."""

    name: str
    label: str
    linked_as: str | None  # email/id when linked and active
    connect_url: str | None  # None when linking isn't possible here
    needs_account: bool = True


def home_view(rows: list[HomeProvider], default_label: str, upcoming: list[MeetingRecord]) -> dict[str, Any]:
    """The App Home tab: providers with Connect/Disconnect, the default, and upcoming meetings made here."""
    home: list[dict[str, Any]] = [
        {"type": "header", "text": plain("meetbot")},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*New meetings go to:* {escape(default_label)} · change with `/meet default <provider>`"}},
        {"type": "divider"},
    ]
    for row in rows:
        if not row.needs_account:
            text = f"*{escape(row.label)}* · always available, no account needed"
            home.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
            continue
        state = f"connected as {escape(row.linked_as)}" if row.linked_as else "not connected"
        section: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(row.label)}* · {state}"}}
        if row.linked_as:
            section["accessory"] = {"type": "button", "text": plain("Disconnect"), "action_id": "home_disconnect",
                                    "value": row.name, "style": "danger"}
        elif row.connect_url:
            section["accessory"] = {"type": "button", "text": plain("Connect"), "action_id": "connect_link", "url": row.connect_url}
        home.append(section)
    home += [{"type": "divider"}, {"type": "section", "text": {"type": "mrkdwn", "text": "*Your upcoming meetings*"}}]
    if not upcoming:
        home.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "None yet. Type `/meet` in any channel."}]})
    labels = {row.name: row.label for row in rows}
    for record in upcoming[:20]:
        request = record.request
        text = f"*{escape(truncate(request.title, MAX_TITLE))}* · {date_token(request.start)} · {escape(labels.get(request.provider, request.provider))}"
        section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
        if record.join_url:
            section["accessory"] = {"type": "button", "text": plain("Join"), "url": record.join_url, "action_id": "join"}
        home.append(section)
        if record.status in CHANGEABLE:  # the list is the viewer's own meetings: they may change them
            home.append({"type": "actions", "elements": change_buttons(record.key)})
    return {"type": "home", "blocks": home[:100]}
