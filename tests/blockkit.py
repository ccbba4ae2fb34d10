"""Block Kit validation of everything meetbot sent to the fake Slack (slack_sdk's own models)."""

from __future__ import annotations


def assert_valid_block_kit(calls) -> None:
    """Every view and message meetbot sent must pass slack_sdk's Block Kit validation (limits included)."""
    from slack_sdk.models.blocks import Block
    from slack_sdk.models.views import View

    for call in calls:
        body = call.body if isinstance(call.body, dict) else {}
        if isinstance(body.get("view"), dict):
            View(**body["view"]).validate_json()
        if isinstance(body.get("blocks"), list):
            assert len(body["blocks"]) <= 50, call.method
            for block in Block.parse_all(body["blocks"]):
                block.validate_json()
        if call.method in ("chat.postMessage", "chat.postEphemeral", "response_url") and "text" in body:
            assert len(body["text"]) <= 40_000
