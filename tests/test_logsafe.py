"""The redacting log filter: tokens, host links and response_urls never reach a log line."""

from __future__ import annotations

import logging

import pytest

from bot.logsafe import RedactingFilter, redact

SECRETS = [
    "xoxb-1234-5678-abcdefghijkl",
    "xapp-1-A111-222-abcdef",
    "https://hooks.slack.com/commands/T1/123/abcDEF",
    "https://us02web.zoom.us/s/81234567890?zak=eyJ0eXAiOiJKV1QiLCJhbGc",
    "eyJhbGciOiJIUzUxMiJ9.eyJ2ZXIiOjd9.c2lnbmF0dXJl",
]


@pytest.mark.parametrize("secret", SECRETS)
def test_redact(secret):
    assert secret not in redact(f"calling with {secret} now")


def test_query_tokens_keep_their_name():
    assert redact("POST /token?refresh_token=abc123&x=1") == "POST /token?refresh_token=[redacted]&x=1"


def test_filter_rewrites_formatted_records(caplog):
    logger = logging.getLogger("meetbot.test")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("token %s for %s", SECRETS[0], "U1")
    assert SECRETS[0] not in caplog.text and "U1" in caplog.text


def test_installed_redaction_covers_every_handler(caplog):
    from bot.logsafe import install_redaction

    install_redaction()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("some.library").debug("body: %s", {"text": SECRETS[3]})
    assert SECRETS[3] not in caplog.text and "[redacted]" in caplog.text


def test_exception_tracebacks_are_redacted(caplog):
    from bot.logsafe import install_redaction

    install_redaction()
    with caplog.at_level(logging.INFO):
        try:
            raise RuntimeError(f"Slack said no to {SECRETS[0]}")
        except RuntimeError:
            logging.getLogger("meetbot.test").exception("calling Slack failed")
    assert "RuntimeError" in caplog.text and SECRETS[0] not in caplog.text and "[redacted]" in caplog.text


def test_json_lines_carry_the_request_context_and_stay_redacted():
    import contextvars
    import json

    from bot import logcontext
    from bot.logsafe import JsonFormatter, install_redaction

    install_redaction()
    logger = logging.getLogger("meetbot.json-test")
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(JsonFormatter().format(record))  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        with logcontext.bound(team="T1", user="U1", request_key="view:T1:V1", provider="zoom"):
            try:
                raise ValueError(SECRETS[3])
            except ValueError:
                logger.exception("posting %s failed", SECRETS[2])
        contextvars.Context().run(logger.warning, "outside")  # no request context set
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "ERROR" and first["logger"] == "meetbot.json-test" and first["time"].endswith("+00:00")
    assert (first["team"], first["user"], first["request_key"], first["provider"]) == ("T1", "U1", "view:T1:V1", "zoom")
    assert "ValueError" in first["exception"] and "[redacted]" in first["message"]
    assert not any(secret in line for line in lines for secret in SECRETS)
    assert "team" not in second and second["message"] == "outside"
