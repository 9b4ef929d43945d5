"""Reading a /metrics page in tests, with prometheus_client's own parser."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(page: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the page by (name, labels)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


def value(page: str, name: str, **labels: str) -> float:
    """One sample's value; a KeyError names what the page lacks."""
    found = samples(page)
    key = (name, frozenset(labels.items()))
    if key not in found:
        raise KeyError(f"{name}{labels} is not on the page; it has {sorted(n for n, _ in found)}")
    return found[key]
