"""meetbot's own small error hierarchy.

    MeetbotError
    ├── MissingSetting          a command needs an environment variable that is not set
    ├── ParseError              the free-text time could not be understood (carries a user hint)
    ├── StoreError              the database could not be opened or written
    ├── StartupError            the app cannot start (Slack unreachable, token rejected)
    └── ProviderError           a meeting provider failed (raised by provider modules only)
        ├── ProviderAuthError       the user must (re)link their account
        │   └── ProviderNotLinked       no usable linked account at all
        ├── ProviderRateLimited     429: carries `retry_after` seconds when known
        ├── ProviderUnavailable     timeouts, connection errors, 5xx
        ├── ProviderOutcomeUnknown  the create call may or may not have succeeded (timeout after send)
        └── ProviderRejected        4xx validation: carries the provider's message
            ├── UnsupportedRecurrence   a repeat the provider can't express (`limit` says which rule)
            └── NoJoinLink              a success answer without a join link

Lower libraries' exceptions (httpx, sqlite3) are translated at the boundary with `raise … from exc`;
listeners map these to wording from `bot.messages`.
"""

from __future__ import annotations


class MeetbotError(Exception):
    """Base class of every error meetbot raises on purpose."""


class MissingSetting(MeetbotError):
    """A command needs a setting that is not configured."""

    def __init__(self, variable: str, purpose: str) -> None:
        self.variable = variable
        self.purpose = purpose
        super().__init__(f"{variable} is not set: it is {purpose}." if purpose else f"{variable} is not set.")


class ParseError(MeetbotError, ValueError):
    """The text did not parse; `hint` says what to type instead (shown to the user as is)."""

    def __init__(self, hint: str) -> None:
        self.hint = hint
        super().__init__(hint)


class StoreError(MeetbotError):
    """The database could not be opened, migrated or written."""


class StartupError(MeetbotError):
    """The app cannot start; the message says which setting to check."""


class ProviderError(MeetbotError):
    """A meeting provider failed; `provider` names it. `cause` is a short machine word (e.g. `timeout`),
    `str(exc)` a technical description for logs: the organiser's wording is `bot.messages.provider_problem`."""

    def __init__(self, provider: str, message: str = "", *, cause: str = "") -> None:
        self.provider = provider
        self.cause = cause
        super().__init__(message or cause or f"{provider} failed")


class ProviderAuthError(ProviderError):
    """The user's link is missing, revoked or expired beyond refresh: they must reconnect."""


class ProviderRateLimited(ProviderError):
    """The provider said 429; `retry_after` is seconds to wait when known."""

    def __init__(self, provider: str, message: str = "", retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(provider, message)


class ProviderUnavailable(ProviderError):
    """Timeout before sending, connection refused, or 5xx: safe to try again later."""


class ProviderOutcomeUnknown(ProviderError):
    """The request was sent but no answer came: the meeting may exist. Never retried blindly."""


class ProviderRejected(ProviderError):
    """The provider refused the request (4xx validation); the message is the provider's own. `code` is the
    machine-readable error when it sent one (OAuth's `invalid_grant`, say)."""

    def __init__(self, provider: str, message: str = "", code: str | None = None, *, cause: str = "") -> None:
        self.code = code
        super().__init__(provider, message, cause=cause)


class ProviderNotLinked(ProviderAuthError):
    """The organiser has no usable link to this provider (never linked, or unlinked since)."""


class UnsupportedRecurrence(ProviderRejected):
    """A repeat rule the provider cannot express, refused before any call; `limit` names the rule broken
    (`freq`, `interval`, `weekly_days`, `monthly_weekdays`, `monthly_position`, `count`), `value` its bound."""

    def __init__(self, provider: str, limit: str, value: str = "") -> None:
        self.limit = limit
        self.value = value
        super().__init__(provider, f"unsupported recurrence: {limit} {value}".strip(), cause="recurrence")


class NoJoinLink(ProviderRejected):
    """The provider answered success but sent no usable join link (the meeting may exist)."""
