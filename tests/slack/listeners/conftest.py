from __future__ import annotations

import pytest

from tests.harness import make_settings, running_meetbot


@pytest.fixture
def meetbot(tmp_path, slack):
    with running_meetbot(make_settings(tmp_path, slack.base_url)) as running:
        yield running
