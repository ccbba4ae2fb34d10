"""Wording that carries text someone else chose (a provider account's email or name) is escaped for mrkdwn."""

from __future__ import annotations

from bot import messages


def test_linked_escapes_what_the_provider_called_the_account():
    text = messages.linked("Zoom", "<!channel> & <https://evil.example|click>", is_default=True)
    assert "<!channel>" not in text and "<https://" not in text
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in text
