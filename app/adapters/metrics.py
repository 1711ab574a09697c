"""Counters an operator relies on, kept per process and served as Prometheus text at /metrics.

Each instance counts what it did; a monitoring system sums the instances. Names
follow Prometheus's conventions (``_total`` for counters, labels for the kind).
"""

from __future__ import annotations

import threading
from collections import Counter

HELP = {
    "platform_http_requests_total": "HTTP answers by status code",
    "platform_payments_total": "Answers to card payments by outcome: recorded, held for approval, declined (a replay counts again)",
    "platform_assistant_runs_total": "Assistant questions by how they ended",
    "platform_assistant_events_total": "Assistant events appended to runs' logs",
    "platform_db_pool_timeouts_total": "Requests told to try again because every database connection was busy, by pool",
}


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()

    def add(self, name: str, amount: int = 1, **labels: str) -> None:
        with self._lock:
            self._counts[(name, tuple(sorted(labels.items())))] += amount

    def prometheus(self) -> list[str]:
        with self._lock:
            counts = dict(self._counts)
        lines = []
        for name, meaning in HELP.items():
            lines += [f"# HELP {name} {meaning}", f"# TYPE {name} counter"]
            for (counted, labels), value in sorted(counts.items()):
                if counted == name:
                    shown = ",".join(f'{key}="{value_}"' for key, value_ in labels)
                    lines.append(f"{name}{{{shown}}} {value}" if shown else f"{name} {value}")
        return lines


COUNTERS = Counters()  # one per process, as a Prometheus client library keeps its registry
