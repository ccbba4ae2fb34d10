"""Hostile or broken requests to POST /slack/events get 4xx and do nothing."""

from __future__ import annotations

import time

from tests.slack_payloads import signed_headers, slash


def test_missing_signature_headers(meetbot, slack):
    body = slash("")
    response = meetbot.http.post(f"{meetbot.base_url}/slack/events", content=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401
    slack.assert_no_call("views.open", within=0.2)


def test_timestamp_in_the_future_or_garbage(meetbot, slack):
    assert meetbot.post(slash(""), timestamp=int(time.time()) + 6 * 60).status_code == 401
    headers = {**signed_headers(slash("")), "X-Slack-Request-Timestamp": "yesterday"}
    assert meetbot.http.post(f"{meetbot.base_url}/slack/events", content=slash(""), headers=headers).status_code == 401
    slack.assert_no_call("views.open", within=0.2)


def test_oversized_body_is_refused(meetbot, slack):
    body = slash("x" * (2 * 1024 * 1024))
    response = meetbot.post(body)
    assert response.status_code == 413
    slack.assert_no_call("views.open", within=0.2)


def test_wrong_content_type_is_a_client_error(meetbot, slack):
    body = slash("")
    response = meetbot.post(body, content_type="application/json")
    assert 400 <= response.status_code < 500
    slack.assert_no_call("views.open", within=0.2)


def test_get_is_not_allowed(meetbot):
    assert meetbot.http.get(f"{meetbot.base_url}/slack/events").status_code == 405


def test_server_still_answers_after_bad_requests(meetbot, slack):
    meetbot.post(slash(""), secret="nope")
    meetbot.post(slash("x" * (2 * 1024 * 1024)))
    assert meetbot.post(slash("")).status_code == 200
    slack.wait_for("views.open")
