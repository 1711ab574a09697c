"""/metrics gives each circuit's state as the number its help line promises, whatever the state: a state
without its number (half-open, reached only between an outage's pause and the probe) would fail the whole
answer, every other sample with it."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from app.adapters.circuit_breaker import CLOSED, HALF_OPEN, OPEN, UNKNOWN
from app.entrypoints.http import routes_health

PROMISED = {CLOSED: "0", HALF_OPEN: "1", OPEN: "2", UNKNOWN: "-1"}  # as the metric's help line says


@dataclass
class Breaker:
    name: str
    now: str

    def state(self) -> dict:
        return {"state": self.now, "failures": 0, "times_opened": 3}


@pytest.mark.parametrize("state", sorted(PROMISED))
def test_each_circuit_state_is_shown_as_the_number_the_help_line_promises(monkeypatch, state):
    gateway = SimpleNamespace(breaker=Breaker("payment_processor", state))
    monkeypatch.setattr(routes_health, "_guarded", lambda platform: (gateway,))
    monkeypatch.setattr(routes_health, "_pool_gauges", lambda platform: [])
    text = routes_health.metrics(platform=None)
    assert f'platform_circuit_state{{dependency="payment_processor"}} {PROMISED[state]}\n' in text
    assert 'platform_circuit_opened_total{dependency="payment_processor"} 3\n' in text
    assert f"{PROMISED[state]} {state.replace('_', '-')}" in text.splitlines()[0]


def test_every_family_of_samples_is_named_and_typed_before_its_samples(monkeypatch):
    """Prometheus reads a family's samples by the HELP and TYPE lines before them: a counter without its TYPE is
    taken as untyped (its rate not a counter's)."""
    gateway = SimpleNamespace(breaker=Breaker("payment_processor", CLOSED))
    monkeypatch.setattr(routes_health, "_guarded", lambda platform: (gateway,))
    monkeypatch.setattr(routes_health, "_pool_gauges", lambda platform: [])
    described: dict[str, set[str]] = {}
    for line in routes_health.metrics(platform=None).splitlines():
        if line.startswith("# "):
            kind, family = line.split()[1:3]
            described.setdefault(family, set()).add(kind)
        elif line:
            family = line.split("{")[0].split()[0]
            assert described.get(family) == {"HELP", "TYPE"}, f"{family}'s samples come without its HELP and TYPE"
