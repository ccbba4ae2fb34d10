from __future__ import annotations

import pytest

from tests.fakes.slack import FakeSlack
from tests.harness import make_settings, running_meetbot


@pytest.fixture
def slack():
    fake = FakeSlack()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def meetbot(tmp_path, slack):
    with running_meetbot(make_settings(tmp_path, slack.base_url)) as running:
        yield running
