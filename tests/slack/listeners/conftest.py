from __future__ import annotations

import pytest

from tests.harness import make_settings, running_meetbot


@pytest.fixture
def meetbot(tmp_path, slack, backend):
    with running_meetbot(make_settings(tmp_path, slack.base_url, **backend)) as running:
        yield running
