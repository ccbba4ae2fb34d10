"""Message formatting for Slack: escaping, date tokens, calendar links. Pure functions, no I/O.

Every piece of user text that goes into mrkdwn passes `escape` first: Slack treats `&`, `<` and `>` as
control characters, so an unescaped title could ping `<!channel>` or hide a `<https://evil|link>`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlencode

MAX_SECTION_TEXT = 3000
MAX_TITLE = 200


def escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn treats as markup (and only those, as Slack asks)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, for Block Kit's hard limits."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def date_token(moment: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """`<!date^EPOCH^{date_short_pretty} at {time}|fallback>`: every reader sees their own zone."""
    fallback = moment.strftime("%a %d %b %Y %H:%M %Z").strip()
    return f"<!date^{int(moment.timestamp())}^{fmt}|{escape(fallback)}>"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(title: str, start: datetime, end: datetime, details: str, rrule: str | None = None) -> str:
    """An "Add to Google Calendar" template link (no API call, no account needed)."""
    params = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc_stamp(start)}/{_utc_stamp(end)}",
        "details": details,
        "ctz": getattr(start.tzinfo, "key", "UTC"),
    }
    if rrule:
        params["recur"] = f"RRULE:{rrule}"
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if user_id.isalnum() else escape(user_id)


def duration_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def outlook_url(title: str, start: datetime, end: datetime, body: str) -> str:
    """An "Add to Outlook" compose link for Outlook on the web (no API call, no account needed here)."""
    params = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
              "startdt": start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "enddt": end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "body": body}
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(params)
