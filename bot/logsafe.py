"""Logging that cannot leak: a filter redacting tokens, secrets, host links and response_urls.

httpx logs every request URL at INFO and slack_sdk logs bodies at DEBUG, so their loggers sit at WARNING
and every record passes `RedactingFilter` on the way out. The record factory redacts the message and the
formatted exception (a secret inside an exception's text, or a traceback's source lines) when the record is
made, and attaches the request context (bot/logcontext.py); `MEETBOT_LOG_FORMAT=json` writes each record as
one JSON object a line (`JsonFormatter`).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

from bot import logcontext

_PATTERNS = [
    re.compile(r"xox[abposr]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*"),
    re.compile(r"(?i)(zak|refresh_token|access_token|code|client_secret|token|pwd)=[^&\s\"']+"),
    re.compile(r"https://hooks\.slack\.com/[^\s\"']+"),
    re.compile(r"https?://[^\s\"']*/s/\d+\?[^\s\"']*"),  # Zoom start_url
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) + "=[redacted]") if m.re.groups else "[redacted]", text)
    return text


_installed = False


def install_redaction() -> None:
    """Redact every log record at creation, so no handler (ours, a library's, a test's) sees a secret."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is left for logging to report
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        _redact_exception(record)
        record.context = logcontext.current()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


_EXCEPTIONS = logging.Formatter()


def _redact_exception(record: logging.LogRecord) -> None:
    """Format the record's exception and stack once, redacted; every formatter reuses `exc_text`."""
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(_EXCEPTIONS.formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request context, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        _redact_exception(record)
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            **getattr(record, "context", {}),
        }
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        _redact_exception(record)
        return True



def configure_logging(level: int = logging.INFO, log_format: str = "text") -> None:
    """Log to stderr as text (the default) or JSON lines (`MEETBOT_LOG_FORMAT=json`), redacted either way."""
    install_redaction()
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "slack_sdk", "slack_bolt", "waitress.queue"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
