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
