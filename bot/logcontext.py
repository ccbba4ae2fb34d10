"""The request context of a log line (team, user, request key, provider), as context variables.

The Slack middleware binds team and user when a request arrives, the scheduler binds the request key and
provider when it works on a request; `Jobs` copies the context into the jobs it runs, so a line logged on a
lane still says whose request it was. Log records pick the fields up in `bot.logsafe` (JSON lines).
Ids only: never a title, a URL or a token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("team", "user", "request_key", "provider")
_vars: dict[str, ContextVar[str | None]] = {name: ContextVar(f"meetbot_{name}", default=None) for name in FIELDS}


def bind(**fields: str | None) -> None:
    """Set context fields for the rest of this context (a request's thread, or a job's copied context)."""
    for name, value in fields.items():
        _vars[name].set(value or None)


@contextmanager
def bound(**fields: str | None) -> Iterator[None]:
    """Set context fields for the `with` block only."""
    tokens = [(_vars[name], _vars[name].set(value or None)) for name, value in fields.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current() -> dict[str, str]:
    """The fields set now (unset ones left out)."""
    return {name: value for name, var in _vars.items() if (value := var.get()) is not None}
