"""The company's settings: anyone may read them, the owner changes them (audited)."""

from __future__ import annotations

from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.approvals import THRESHOLD_CURRENCY
from app.domain.records import SettingsRecord
from app.domain.roles import Permission
from app.service_layer.principal import Principal


def read_settings(uow: UnitOfWorkFactory, principal: Principal) -> SettingsRecord:
    with uow(company=principal.company_id) as u:
        return u.settings.of()


def change_settings(uow: UnitOfWorkFactory, principal: Principal, values: dict[str, Any]) -> SettingsRecord:
    principal.require(Permission.MANAGE_USERS)
    with uow(company=principal.company_id) as u:
        if values.get("approval_threshold") is not None and "approval_threshold_currency" not in values:
            stored = u.settings.of()["approval_threshold_currency"]
            values = {**values, "approval_threshold_currency": stored or THRESHOLD_CURRENCY}
        saved = u.settings.save(values)
        u.audit.append(
            action="settings_changed",
            actor_id=principal.user_id,
            entity_type="tenant",
            entity_id=principal.company_id,
            data=values,
        )
        return saved
