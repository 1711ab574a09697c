"""Reports over the tenant's own data."""

from __future__ import annotations

from fastapi import APIRouter

from app.domain.roles import Permission
from app.entrypoints.http.deps import CurrentUser, PlatformDep, needs
from app.entrypoints.http.schemas import SalesSummaryOut
from app.service_layer import reports

router = APIRouter(tags=["reports"])


@router.get("/reports/sales-summary", response_model=SalesSummaryOut, openapi_extra=needs(Permission.READ_REPORTS))
def sales_summary(principal: CurrentUser, platform: PlatformDep) -> dict:
    """Open pipeline, won, invoiced, received and outstanding amounts, per currency."""
    return reports.sales_summary(platform.uow, platform.cache, principal)
