"""Liveness and readiness, each dependency reported on its own."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.entrypoints.http.deps import PlatformDep

router = APIRouter(tags=["health"])


@router.get("/health/live")
def live() -> dict:
    """The process is up and serving."""
    return {"status": "up"}


@router.get("/health/ready")
def ready(platform: PlatformDep) -> JSONResponse:
    """Ready when the database answers; the cache and payment processor are reported too."""
    checks = {"database": _database_up(platform), "cache": _cache_up(platform),
              "payment_processor": platform.payments.ping(), "model": platform.model.ping()}
    dependencies = {name: "up" if ok else "down" for name, ok in checks.items()}
    ready_now = checks["database"]
    status = "ready" if ready_now and all(checks.values()) else ("degraded" if ready_now else "unavailable")
    return JSONResponse({"status": status, "dependencies": dependencies}, status_code=200 if ready_now else 503)


def _database_up(platform) -> bool:
    try:
        with platform.engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


def _cache_up(platform) -> bool:
    try:
        return bool(platform.redis.ping())
    except Exception:
        return False
