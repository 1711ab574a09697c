"""The company's settings: anyone may read them, the owner changes them (audited)."""

from __future__ import annotations

from decimal import Decimal
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
    """Changes the settings ``values`` names, and only those, audited with them (every write accepted is in the
    trail, one that changes nothing too): a threshold given without its currency keeps the one it had (EUR for a
    first one); a threshold of None is removed with its currency: no deal or payment asks for approval from then
    on (those already waiting are still decided by a person)."""
    principal.require(Permission.MANAGE_USERS)
    with uow(company=principal.company_id) as u:
        if "approval_threshold" in values:
            if values["approval_threshold"] is None:
                values = {**values, "approval_threshold_currency": None}
            elif "approval_threshold_currency" not in values:
                values = {
                    **values,
                    "approval_threshold_currency": u.settings.of()["approval_threshold_currency"] or THRESHOLD_CURRENCY,
                }
        saved = u.settings.save(_as_stored(values))
        u.audit.append(
            action="settings_changed",
            actor_id=principal.user_id,
            entity_type="tenant",
            entity_id=principal.company_id,
            data=values,
        )
        return saved


def _as_stored(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the settings hold them (a threshold as a Decimal, as read back): the answer holds what was
    stored."""
    return {
        name: Decimal(value) if name == "approval_threshold" and value is not None else value
        for name, value in values.items()
    }
