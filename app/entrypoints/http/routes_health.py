"""Liveness, readiness with each dependency on its own, and metrics.

Readiness pings the processor and the model; when a circuit is due for its
half-open probe, that ping is the probe, so a recovered dependency's circuit
closes without risking a real payment on it.

A dependency is ``up``, ``degraded`` (it answers, but its circuit is not
closed, so calls are being refused or probed) or ``down``. The platform is
ready while the database is up: without Redis it serves correct answers with
the cache bypassed; without the processor, the model or the analytics store
only the operations needing them answer 503.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from app.adapters import counted_pools
from app.adapters.circuit_breaker import CLOSED, HALF_OPEN, OPEN, UNKNOWN
from app.adapters.metrics import COUNTERS
from app.entrypoints.http.deps import PlatformDep

router = APIRouter(tags=["health"])
STATE_NUMBERS = {CLOSED: 0, HALF_OPEN: 1, OPEN: 2, UNKNOWN: -1}
UNKNOWN_CIRCUIT = {"state": UNKNOWN, "failures": None, "times_opened": None}


@router.get("/health/live")
def live() -> dict:
    """The process is up and serving."""
    return {"status": "up"}


@router.get("/health/ready")
def ready(platform: PlatformDep) -> JSONResponse:
    """Ready (200) while the database answers; ``degraded`` when anything else is not fully up."""
    dependencies, circuits = dependency_states(platform)
    ready_now = dependencies["database"] == "up"
    everything_up = all(state == "up" for state in dependencies.values())
    status = "ready" if ready_now and everything_up else ("degraded" if ready_now else "unavailable")
    return JSONResponse(
        {
            "status": status,
            "profile": platform.settings.platform_profile,
            "dependencies": dependencies,
            "circuits": circuits,
        },
        status_code=200 if ready_now else 503,
    )


def dependency_states(platform) -> tuple[dict[str, str], dict[str, dict]]:
    """Each dependency ``up``, ``degraded`` or ``down``, and the circuits' states; each check is bounded by its
    client's time-outs, so one that never answers is ``down`` in seconds. The circuits live in Redis: without
    it they are ``unknown`` and not asked (each question would wait out Redis's time-out again)."""
    cache_up = _cache_up(platform)
    answers = {}
    for gateway in _guarded(platform):  # a check due as a half-open probe counts as one
        answers[gateway.breaker.name] = gateway.ping()
        if cache_up:
            gateway.breaker.record_probe(answers[gateway.breaker.name])
    circuits: dict[str, dict[str, Any]] = {
        gateway.breaker.name: gateway.breaker.state() if cache_up else UNKNOWN_CIRCUIT for gateway in _guarded(platform)
    }
    dependencies = {
        "database": "up" if _database_up(platform) else "down",
        "cache": _cache_state(platform, cache_up),
        **({"analytics": "up" if platform.analytics.ping() else "down"} if platform.analytics else {}),
        **{name: _behind_breaker(answers[name], circuits[name]["state"]) for name in answers},
    }
    return dependencies, circuits


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(platform: PlatformDep) -> str:
    """Prometheus text format: each circuit's state (0 closed, 1 half-open, 2 open, -1 unknown) and counts."""
    lines = [
        "# HELP platform_circuit_state 0 closed, 1 half-open, 2 open, -1 unknown (Redis unreachable)",
        "# TYPE platform_circuit_state gauge",
    ]
    counts = [
        "# HELP platform_circuit_opened_total Times the circuit opened",
        "# TYPE platform_circuit_opened_total counter",
    ]
    for gateway in _guarded(platform):
        state = gateway.breaker.state()
        lines.append(f'platform_circuit_state{{dependency="{gateway.breaker.name}"}} {STATE_NUMBERS[state["state"]]}')
        counts.append(
            f'platform_circuit_opened_total{{dependency="{gateway.breaker.name}"}} {state["times_opened"] or 0}'
        )
    return "\n".join(lines + counts + _pool_gauges(platform) + COUNTERS.prometheus()) + "\n"


def _pool_gauges(platform) -> list[str]:
    """Each database pool's connections: in use, idle, beyond its size and its size, and the requests waiting for
    one (the asyncio pool of the event loop: the assistant and most HTTP requests; the payments' asyncio pool; the
    blocking pool of the routes that run in worker threads)."""
    lines = [
        "# HELP platform_db_pool_connections Database connections of each pool by state, and the requests waiting",
        "# TYPE platform_db_pool_connections gauge",
    ]
    for name, pool in (
        ("blocking", platform.engine.pool),
        ("asyncio", platform.async_engine.pool),
        ("payments", platform.payments_engine.pool),
    ):
        states = {
            "in_use": pool.checkedout(),
            "idle": pool.checkedin(),
            "overflow": max(0, pool.overflow()),
            "size": pool.size(),
            "waiting": counted_pools.waiting(pool),
        }
        lines += [f'platform_db_pool_connections{{pool="{name}",state="{state}"}} {n}' for state, n in states.items()]
    return lines


def _guarded(platform) -> tuple:
    """The dependencies called through a circuit breaker."""
    return platform.payments, platform.model


def _behind_breaker(answers: bool, circuit: str) -> str:
    if not answers:
        return "down"
    return "up" if circuit in (CLOSED, UNKNOWN) else "degraded"


def _database_up(platform) -> bool:
    try:
        with platform.engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


def _cache_state(platform, cache_up: bool) -> str:
    """``down`` while Redis does not answer; ``degraded`` while it answers but this instance has not yet heard
    from it again (its subscription, resumed after Redis came back: live events and the other instances'
    notices, which Redis keeps for nobody, would be missed)."""
    if not cache_up:
        return "down"
    return "up" if platform.fanout.hearing else "degraded"


def _cache_up(platform) -> bool:
    try:
        return bool(platform.redis.ping())
    except Exception:
        return False
