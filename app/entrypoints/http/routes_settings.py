"""The settings that may change while the platform runs, reloaded at an operator's call; a test stack's clocks."""

from __future__ import annotations

import logging
import uuid

from fastapi import APIRouter, Request, Response, status

from app.domain import clock
from app.domain.errors import Forbidden, RuleViolation
from app.entrypoints.http.deps import AdminKey, PlatformDep
from app.entrypoints.http.schemas.common import ErrorBody
from app.entrypoints.http.schemas.settings import ClockIn, SettingsReloadOut
from app.hot_settings import SettingsRefused, reload

router = APIRouter(tags=["operations"])
log = logging.getLogger("app.settings")


def _operators_call(request: Request) -> str:
    """Who asked, as an instance's log says it."""
    return f"an operator's call from {request.client.host if request.client else 'an unknown address'}"


@router.post(
    "/admin/settings/reload",
    response_model=SettingsReloadOut,
    dependencies=[AdminKey],
    responses={422: {"model": ErrorBody, "description": "The change is refused as a whole; nothing changed."}},
)
async def reload_settings(request: Request, platform: PlatformDep) -> dict:
    """Every instance reads its settings file again (platform operators only): this one at once, then every other
    one, told through Redis. A change is taken as a whole or refused as a whole (the running settings stay),
    naming every setting that is wrong and never a value; each instance logs what it did and who asked."""
    by = _operators_call(request)
    try:
        changed = reload(platform, by)
    except SettingsRefused as refused:
        named = ", ".join(problem.split(" ", 1)[0] for problem in refused.problems)  # the settings, as fields
        raise RuleViolation("settings_refused", f"the change is refused as a whole: {refused}", field=named) from None
    return {"changed": changed, "instances_told": await platform.fanout.request_settings_reload({"by": by})}


@router.put(
    "/admin/companies/{company_id}/clock",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[AdminKey],
    responses={403: {"model": ErrorBody, "description": "This platform's clocks run with the real time."}},
)
def set_company_clock(company_id: uuid.UUID, body: ClockIn, request: Request, platform: PlatformDep) -> Response:
    """Makes one company's clock stand at an instant, or run again (``at`` null), on this instance (a test
    stack's operators only: refused unless the platform runs with ``CLOCK_SETTABLE``, which production refuses).
    Whatever this instance then does for the company reads that instant: a test places "now" on an edge. Each
    change is in the instance's log, with who asked."""
    if not platform.settings.clock_settable:
        raise Forbidden("this platform's clocks run with the real time and cannot be set")
    clock.stand_at(company_id, body.at)
    log.warning(
        "platform: the clock of company %s %s (%s)",
        company_id,
        f"stands at {body.at.isoformat()}" if body.at else "runs with the real time again",
        _operators_call(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
