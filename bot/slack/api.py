"""Calling Slack's Web API safely: every failure is one of three kinds, and none escapes as a crash.

slack_sdk raises `SlackApiError` (Slack answered `ok: false`), `SlackClientError`, and plain `OSError`s from
urllib (`URLError` when the connection failed, `TimeoutError` or a reset when the answer never came). Callers
catch `SLACK_ERRORS`; `may_have_happened` tells a request Slack may have acted on (the answer was lost) from
one it never received, which matters for `chat.postMessage`: that one is never repeated blindly.
"""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.settings import Settings

SLACK_ERRORS: tuple[type[Exception], ...] = (SlackApiError, SlackClientError, OSError)


def reason(exc: Exception) -> str:
    """Slack's error code (`not_in_channel`), else the exception's type (`TimeoutError`): for logs and notes."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    return type(exc).__name__


def may_have_happened(exc: Exception) -> bool:
    """True when the request may have reached Slack and been acted on, though no answer came back."""
    if isinstance(exc, (SlackApiError, URLError)):
        return False  # Slack answered (it refused), or the connection was never made
    return isinstance(exc, OSError)  # TimeoutError, ConnectionResetError, RemoteDisconnected after sending


def slack_client(settings: Settings, token: str | None = None) -> WebClient:
    """The Web API client: an explicit timeout, 429s waited out, and a retry only for connections that were
    never made (a reset after sending might repeat a post). `token`: a workspace's own (many workspaces),
    else SLACK_BOT_TOKEN."""
    if token is None:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.meetbot_slack_timeout,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1, error_types=[URLError]),
                        RateLimitErrorRetryHandler(max_retry_count=2)],
    )
