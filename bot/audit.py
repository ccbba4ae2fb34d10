"""`meetbot requests`: what happened to a meeting request — the request, and each state change with its time
and reason (the history the scheduler records with every transition)."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone

from bot.domain.meeting import MeetingRecord, StatusChange
from bot.domain.status import MeetingStatus
from bot.errors import ParseError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """Epoch seconds from `--since`: an age (`90s`, `30m`, `1h`, `2d`, `1w`) or an ISO-8601 date or time (UTC
    when naive)."""
    now = time.time() if now is None else now
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text.lower())
    if match:
        return now - float(match.group(1)) * _UNITS[match.group(2)]
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"--since takes an age such as 1h, 30m or 2d, or a date such as 2026-11-18, not “{text}”.") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def parse_state(text: str) -> MeetingStatus:
    try:
        return MeetingStatus(text.strip().lower())
    except ValueError:
        names = ", ".join(status.value for status in MeetingStatus)
        raise ParseError(f"--state is one of {names}, not “{text}”.") from None


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def as_text(record: MeetingRecord, history: list[StatusChange]) -> str:
    """The request in one line, then its history, one change a line."""
    request = record.request
    lines = [f"{record.key}  {record.status.value}  {request.provider}  {request.team_id}/{request.user_id}"
             f" → {request.channel_id or '-'}  “{request.title}” at {request.start.isoformat()}"
             f"  (requested {_when(record.created_at)})"]
    if record.error:
        lines.append(f"    error: {record.error}")
    for change in history:
        moved = f"{change.from_status.value} → {change.to_status.value}" if change.from_status else f"→ {change.to_status.value}"
        lines.append(f"    {_when(change.at)}  {moved:<22} {change.reason}")
    return "\n".join(lines)


def as_json(record: MeetingRecord, history: list[StatusChange]) -> str:
    """One JSON object: the request's identity and state, and its history. Never the host link."""
    request = record.request
    return json.dumps({
        "key": record.key, "status": record.status.value, "provider": request.provider, "team": request.team_id,
        "user": request.user_id, "channel": request.channel_id, "title": request.title,
        "start": request.start.isoformat(), "requested_at": record.created_at, "updated_at": record.updated_at,
        "error": record.error, "join_url": record.join_url,
        "history": [{"at": c.at, "from": c.from_status.value if c.from_status else None, "to": c.to_status.value,
                     "reason": c.reason} for c in history],
    }, ensure_ascii=False)
