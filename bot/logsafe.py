"""Logging that cannot leak: a filter redacting tokens, secrets, host links and response_urls.

httpx logs every request URL at INFO and slack_sdk logs bodies at DEBUG, so their loggers sit at WARNING
and every record passes `RedactingFilter` on the way out.
"""

from __future__ import annotations

import logging
import re

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
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    install_redaction()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "slack_sdk", "slack_bolt", "waitress.queue"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
