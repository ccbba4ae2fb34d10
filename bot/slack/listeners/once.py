"""Each Slack request is handled once: a replay (the same signed request sent again within Slack's 5-minute
window) or a Slack retry (`X-Slack-Retry-Num`, or Socket Mode's redelivery) of a request already handled is
acknowledged and not run again.

A request is known by its event_id (events keep it across retries) or else by a hash of its exact body,
which carries a one-use trigger_id or action_ts for commands and interactions. The record is a row in a file
shared by every process (`Store.requests`), so it holds across processes; rows older than
RETRY_HORIZON_SECONDS are pruned (Slack's last retry comes about 5 minutes after the first attempt, and
older signed requests are refused anyway). If that file cannot be written the request is handled anyway:
losing a user's request would be worse than running a replay.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse

from bot.errors import StoreError
from bot.slack.listeners.deps import Deps

log = logging.getLogger("meetbot.once")
RETRY_HORIZON_SECONDS = 10 * 60


def request_key(request: BoltRequest) -> str:
    event_id = request.body.get("event_id") if isinstance(request.body, dict) else None
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    return "body:" + hashlib.sha256(request.raw_body.encode("utf-8", "surrogatepass")).hexdigest()


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def handle_once(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        try:
            first = deps.store.requests.claim(request_key(req), time.time(), RETRY_HORIZON_SECONDS)
        except StoreError as exc:
            log.error("could not record a request, handling it anyway: %s", exc)
            first = True
        if first:
            return next()
        retry = (req.headers.get("x-slack-retry-num") or [""])[0]
        log.info("request already handled: acknowledged, not run again%s", f" (Slack retry {retry})" if retry else "")
        return BoltResponse(status=200, body="")
