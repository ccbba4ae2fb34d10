"""Provider HTTP, translated at the boundary: httpx errors and status codes become `bot.errors.Provider*`.

Only provider modules call this. Retry policy (reference §4): a request that never left (connect error) is
retried; 429 honours Retry-After (seconds, an HTTP date, or Zoom's ISO timestamp) when the wait is short;
5xx is retried with backoff and full jitter; a POST that timed out after sending is *not* retried, because
the provider may have acted: that is `ProviderOutcomeUnknown`. A request sent `once` (an OAuth code exchange
or refresh: the provider rotates tokens when it acts) is only retried when it never left.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from bot import metrics
from bot.errors import ProviderAuthError, ProviderOutcomeUnknown, ProviderRateLimited, ProviderRejected, ProviderUnavailable

log = logging.getLogger("meetbot.providers.http")
MAX_ATTEMPTS = 3
MAX_RETRY_WAIT = 4.0  # seconds: a longer Retry-After is reported to the user instead of waited out


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: `120`, `Wed, 21 Oct 2026 07:28:00 GMT` or `2026-05-31T00:00:00Z`."""
    if not value:
        return None
    value = value.strip()
    now = now or datetime.now(timezone.utc)
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    moment: datetime | None = None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


def error_message(response: httpx.Response) -> str:
    """The provider's own words from an error body (Zoom `message`+`errors`, Dialpad `error.message`)."""
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return f"HTTP {response.status_code}"
    if not isinstance(data, dict):
        return f"HTTP {response.status_code}"
    message = data.get("message") or data.get("error_description") or data.get("reason")
    error = data.get("error")
    if isinstance(error, dict):
        message = message or error.get("message")
    elif isinstance(error, str) and not message:
        message = error
    details = data.get("errors") or (error.get("errors") if isinstance(error, dict) else None) or []
    parts = [str(message or f"HTTP {response.status_code}")]
    for item in details[:3] if isinstance(details, list) else []:
        if isinstance(item, dict) and item.get("message"):
            parts.append(f"{item.get('field') or item.get('reason') or ''}: {item['message']}".lstrip(": "))
    return "; ".join(parts)


def error_code(response: httpx.Response) -> str | None:
    """The machine-readable `error` of an (OAuth) error body, e.g. `invalid_grant`, or None."""
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) else None


def json_body(response: httpx.Response, provider: str, created: bool = False) -> dict[str, Any]:
    """A success body as a dict; an empty or non-JSON one is an error, never a crash. After a create
    (`created`), an unreadable success may still mean the meeting exists: that is ProviderOutcomeUnknown."""
    error = ProviderOutcomeUnknown if created else ProviderUnavailable
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise error(provider, f"HTTP {response.status_code}: not JSON", cause="unreadable") from exc
    if not isinstance(data, dict):
        raise error(provider, f"HTTP {response.status_code}: not a JSON object", cause="unreadable")
    return data


def error_kind(status: int) -> str:
    """The metrics label of an HTTP error status: `429`, `5xx`, `401` or `4xx` (a closed set: no raw codes)."""
    if status in (401, 429):
        return str(status)
    return "5xx" if status >= 500 else "4xx"


class ProviderHTTP:
    """Sends one logical request with the retry policy above, with the injected client's timeouts."""

    def __init__(self, client: httpx.Client, provider: str, sleep: Callable[[float], Any] | None = None) -> None:
        self.client = client
        self.provider = provider
        self._sleep = sleep or (lambda seconds: threading.Event().wait(seconds))

    def send(self, method: str, url: str, *, idempotent: bool, once: bool = False, **kwargs: Any) -> httpx.Response:
        """The response for a 2xx; raises a Provider* error otherwise. 401 is returned as ProviderAuthError.
        `once`: never repeated after it may have reached the provider (any answer, or a timeout after sending)."""
        idempotent = idempotent and not once
        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            started = time.perf_counter()
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
                timed_out = isinstance(exc, httpx.TimeoutException)
                cause = "unreachable" if never_sent else ("timeout" if timed_out else "broken")
                self._observe(started, cause)
                if not never_sent and not idempotent:  # it may have acted: never retried blindly
                    raise ProviderOutcomeUnknown(self.provider, type(exc).__name__, cause=cause) from exc
                if last or not (never_sent or timed_out):
                    raise ProviderUnavailable(self.provider, type(exc).__name__, cause=cause) from exc
                self._backoff(attempt)
                continue
            status = response.status_code
            self._observe(started, None if status < 400 else error_kind(status))
            if 200 <= status < 300:
                return response
            if status == 401:
                raise ProviderAuthError(self.provider, error_message(response))
            if status == 429:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                daily = "daily" in response.text.lower()
                if daily and wait is None:
                    wait = _seconds_to_utc_midnight()
                if not last and not once and not daily and (wait is None or wait <= MAX_RETRY_WAIT):
                    self._sleep(wait if wait is not None else self._jitter(attempt))
                    continue
                raise ProviderRateLimited(self.provider, error_message(response), retry_after=wait)
            if status >= 500:
                if not last and not once:
                    self._backoff(attempt)
                    continue
                raise ProviderUnavailable(self.provider, f"HTTP {status}", cause="server_error")
            raise ProviderRejected(self.provider, error_message(response), code=error_code(response))  # 3xx (Zoom uses 300) and 4xx
        raise AssertionError("unreachable")  # pragma: no cover

    def _observe(self, started: float, kind: str | None) -> None:
        name = self.provider.lower()  # `Zoom` → `zoom`, as the other series name providers
        metrics.provider_seconds.labels(name).observe(time.perf_counter() - started)
        if kind is not None:
            metrics.provider_errors.labels(name, kind).inc()

    def _jitter(self, attempt: int) -> float:
        return random.uniform(0, min(2.0, 0.25 * 2**attempt))  # full jitter, capped

    def _backoff(self, attempt: int) -> None:
        self._sleep(self._jitter(attempt))


def _seconds_to_utc_midnight() -> float:
    now = datetime.now(timezone.utc)
    tomorrow = datetime(now.year, now.month, now.day, tzinfo=timezone.utc).timestamp() + 86400
    return tomorrow - now.timestamp()
