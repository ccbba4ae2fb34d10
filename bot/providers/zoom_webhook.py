"""`POST /zoom/webhook`: Zoom's URL validation, `app_deauthorized` (delete that user's tokens), and the
meeting events that show a post's live state (`meeting.started`, `meeting.participant_joined`,
`meeting.participant_left`, `meeting.ended`), handed to `on_meeting` as (provider, meeting id, kind, epoch
seconds, participant).

Every request must carry a valid `x-zm-signature` (HMAC-SHA256 of `v0:{timestamp}:{body}` under
ZOOM_WEBHOOK_SECRET) and a timestamp within 5 minutes; anything else is 401 and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import metrics

if TYPE_CHECKING:
    from bot.stores import AccountStore

log = logging.getLogger("meetbot.zoom_webhook")
# The events counted by name in /metrics; any other name counts as `other` (a label never carries free text).
KNOWN_EVENTS = frozenset({"endpoint.url_validation", "app_deauthorized", "meeting.started", "meeting.ended",
                          "meeting.participant_joined", "meeting.participant_left"})
MAX_SKEW_SECONDS = 300
MAX_BODY = 64 * 1024
MEETING_EVENTS = {"meeting.started": "started", "meeting.participant_joined": "joined",
                  "meeting.participant_left": "left", "meeting.ended": "ended"}
MeetingEvents = Callable[[str, str, str, float, str], Any]


def _hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def handle(secret: str, store: AccountStore, body: bytes, headers: dict[str, str], now: float | None = None,
           on_meeting: MeetingEvents | None = None) -> tuple[str, dict]:
    """(HTTP status line, JSON answer) for one webhook delivery."""
    now = time.time() if now is None else now
    timestamp = headers.get("x-zm-request-timestamp", "")
    signature = headers.get("x-zm-signature", "")
    try:
        fresh = abs(now - int(timestamp)) <= MAX_SKEW_SECONDS
    except ValueError:
        fresh = False
    text = body.decode("utf-8", "replace")
    expected = "v0=" + _hex(secret, f"v0:{timestamp}:{text}")
    if not secret or not fresh or not hmac.compare_digest(expected, signature):
        return "401 Unauthorized", {"error": "invalid signature"}
    try:
        event = json.loads(text)
    except json.JSONDecodeError:
        return "400 Bad Request", {"error": "invalid JSON"}
    kind = event.get("event")
    metrics.webhook_events.labels("zoom", kind if kind in KNOWN_EVENTS else "other").inc()
    payload = event.get("payload") or {}
    if kind == "endpoint.url_validation":
        plain = str(payload.get("plainToken", ""))
        return "200 OK", {"plainToken": plain, "encryptedToken": _hex(secret, plain)}
    if kind == "app_deauthorized":
        removed = 0
        for account in store.find_accounts_by_provider_user("zoom", str(payload.get("user_id", ""))):
            removed += store.delete_account(account.team_id, account.user_id, "zoom")
        log.info("Zoom app_deauthorized: removed %d linked accounts", removed)
    if kind in MEETING_EVENTS and on_meeting is not None:
        meeting = payload.get("object") or {}
        person = meeting.get("participant") or {}
        who = str(person.get("participant_uuid") or person.get("id") or person.get("user_id") or person.get("user_name") or "")
        on_meeting("zoom", str(meeting.get("id") or ""), MEETING_EVENTS[kind], _event_time(event, meeting, now), who)
    return "200 OK", {}


def _event_time(event: dict, meeting: dict, now: float) -> float:
    """When it happened: the meeting's own start/end time when given, else the delivery's `event_ts` (ms)."""
    stamp = meeting.get("end_time") if event.get("event") == "meeting.ended" else None
    if event.get("event") == "meeting.started":
        stamp = meeting.get("start_time")
    if stamp:
        try:
            return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    try:
        return float(event["event_ts"]) / 1000
    except (KeyError, TypeError, ValueError):
        return now


def wsgi_route(secret: str, store: AccountStore, on_meeting: MeetingEvents | None = None) -> Callable:
    def app(environ: dict, start_response: Callable) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            status, answer = "413 Payload Too Large", {"error": "too large"}
        else:
            body = environ["wsgi.input"].read(length) if length else b""
            headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
            status, answer = handle(secret, store, body, headers, on_meeting=on_meeting)
        data = json.dumps(answer).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    return app
