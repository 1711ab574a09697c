"""Reports over a tenant's data, served from the tenant's cache when fresh."""

from __future__ import annotations

from typing import Any

from app.adapters.tenant_cache import TenantCache
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.roles import Permission
from app.service_layer.principal import Principal


def sales_summary(uow: UnitOfWorkFactory, cache: TenantCache, principal: Principal) -> dict[str, Any]:
    principal.require(Permission.READ_REPORTS)

    def compute() -> dict[str, Any]:
        with uow() as u:
            per_currency = u.reports.sales_summary(principal.tenant_id)
        return {"currencies": [{"currency": c, **{k: f"{v:.2f}" for k, v in amounts.items()}}
                               for c, amounts in sorted(per_currency.items())]}

    return cache.cached(principal.tenant_id, "sales-summary", compute)
