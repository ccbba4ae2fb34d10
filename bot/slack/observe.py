"""Every Slack request, counted and timed (by surface and outcome) and given its log context (team, user).

`ObservedApp.dispatch` wraps Bolt's dispatch, which both transports call (the WSGI adapter in HTTP mode, the
Socket Mode handler over the websocket); with `process_before_response` the listener has acked and handed
its slow work to `Jobs` when dispatch returns, so the time measured is the app's whole answer up to the ack.
(Bolt's global middleware runs before the listeners, not around them, so it cannot time them.)
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot import logcontext, metrics

_SURFACES = {"view_submission": "view_submission", "view_closed": "view_closed", "block_actions": "action",
             "block_suggestion": "action", "event_callback": "event", "shortcut": "shortcut",
             "message_action": "shortcut", "url_verification": "event"}


def surface(body: Any) -> str:
    """Which Slack surface a request came from: command, view_submission, action, event, shortcut, other."""
    if not isinstance(body, dict):
        return "other"
    if body.get("command"):
        return "command"
    return _SURFACES.get(str(body.get("type")), "other")


def outcome(response: BoltResponse) -> str:
    """ok, errors (a modal answered with inline errors), unhandled (no listener) or error."""
    if response.status == 404:
        return "unhandled"
    if response.status >= 300:
        return "error"
    return "errors" if '"response_action": "errors"' in (response.body or "") else "ok"


def _ids(body: Any) -> tuple[str | None, str | None]:
    """(team, user) ids of a request, wherever the surface keeps them."""
    if not isinstance(body, dict):
        return None, None
    team, user = body.get("team_id") or body.get("team"), body.get("user_id") or body.get("user")
    event = body.get("event")
    event = event if isinstance(event, dict) else {}
    team = team.get("id") if isinstance(team, dict) else team
    user = user.get("id") if isinstance(user, dict) else user or event.get("user")
    return (team if isinstance(team, str) else None), (user if isinstance(user, str) else None)


class ObservedApp(App):
    """Bolt's App, counting and timing each request it dispatches."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        kind = surface(req.body)
        team, user = _ids(req.body)
        logcontext.bind(team=team, user=user, request_key=None, provider=None)
        answer = super().dispatch(req)
        metrics.ack_seconds.labels(kind).observe(time.perf_counter() - started)
        metrics.slack_requests.labels(kind, outcome(answer)).inc()
        return answer
