"""What the platform instances count (``/metrics``, Prometheus text), summed over every instance."""

from __future__ import annotations

import re
from collections import Counter

import requests

from support.clients.paths import Operations
from support.report.evidence import attach_text

SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>-?[0-9.]+)$")


def counters(instance_urls: list[str], *, attach: bool = True) -> Counter[str]:
    """Every sample as ``name{labels}`` → value, summed over the instances; each instance's text attached
    unless ``attach`` is false (a figure sampled many times)."""
    total: Counter[str] = Counter()
    for url in instance_urls:
        response = requests.get(url.rstrip("/") + Operations.METRICS, timeout=10)
        response.raise_for_status()
        if attach:
            attach_text(f"GET {url}{Operations.METRICS}", response.text)
        for line in response.text.splitlines():
            sample = SAMPLE.match(line)
            if sample:
                labels = sample["labels"] or ""
                total[f"{sample['name']}{{{labels}}}" if labels else sample["name"]] += float(sample["value"])
    return total


def pool_figures(instance_url: str, pool: str) -> dict[str, float]:
    """One instance's database pool now: its connections by state (in_use, idle, overflow, size) and waiting."""
    samples = counters([instance_url], attach=False)
    prefix = f'platform_db_pool_connections{{pool="{pool}",state="'
    return {name[len(prefix) : -2]: value for name, value in samples.items() if name.startswith(prefix)}
