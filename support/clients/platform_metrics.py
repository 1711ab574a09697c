"""What the platform instances count (``/metrics``, Prometheus text), summed over every instance."""

from __future__ import annotations

import re
from collections import Counter

import requests

from support.clients.paths import Operations
from support.report.evidence import attach_text

SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>-?[0-9.]+)$")


def counters(instance_urls: list[str]) -> Counter[str]:
    """Every sample as ``name{labels}`` → value, summed over the instances; each instance's text attached."""
    total: Counter[str] = Counter()
    for url in instance_urls:
        response = requests.get(url.rstrip("/") + Operations.METRICS, timeout=10)
        response.raise_for_status()
        attach_text(f"GET {url}{Operations.METRICS}", response.text)
        for line in response.text.splitlines():
            sample = SAMPLE.match(line)
            if sample:
                labels = sample["labels"] or ""
                total[f"{sample['name']}{{{labels}}}" if labels else sample["name"]] += float(sample["value"])
    return total
