"""Scraping `GET /metrics` in tests: the exposition parsed into {(series, labels): value}."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

Series = dict[tuple[str, frozenset], float]


def scrape(base_url: str) -> tuple[Series, str]:
    """(values by (sample name, frozenset of label pairs), raw text) from a running meetbot."""
    answer = httpx.get(f"{base_url}/metrics", timeout=5)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    values = {(sample.name, frozenset(sample.labels.items())): sample.value
              for family in text_string_to_metric_families(answer.text) for sample in family.samples}
    return values, answer.text


def value(series: Series, name: str, **labels: str) -> float:
    return series.get((name, frozenset(labels.items())), 0.0)


def delta(after: Series, before: Series, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def label_values(series: Series) -> set[str]:
    return {v for _name, labels in series for _k, v in labels}
