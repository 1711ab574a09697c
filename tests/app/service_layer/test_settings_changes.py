"""A threshold given without its currency keeps the company's currency, or takes the default one when the
company never gave any; the change is audited with what it changed."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.approvals import THRESHOLD_CURRENCY
from app.domain.roles import Role
from app.service_layer.principal import Principal
from app.service_layer.settings import change_settings


def _changed(stored_currency: str | None, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What was saved and what the audit entry says, for a company whose threshold currency is the one given."""
    saved: dict[str, Any] = {}
    audited: dict[str, Any] = {}
    work = SimpleNamespace(
        settings=SimpleNamespace(
            of=lambda: {"approval_threshold_currency": stored_currency}, save=lambda v: saved.update(v) or v
        ),
        audit=SimpleNamespace(append=lambda **entry: audited.update(entry)),
    )

    @contextmanager
    def uow(**_: Any):
        yield work

    owner = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.OWNER)
    change_settings(uow, owner, values)
    return saved, audited


@pytest.mark.parametrize(("stored", "kept"), [(None, THRESHOLD_CURRENCY), ("USD", "USD")])
def test_a_threshold_without_its_currency_keeps_the_companys_or_the_default(stored, kept):
    saved, audited = _changed(stored, {"approval_threshold": Decimal("5000.00")})
    expected = {"approval_threshold": Decimal("5000.00"), "approval_threshold_currency": kept}
    assert saved == expected
    assert (audited["action"], audited["data"]) == ("settings_changed", expected), "audited with what changed"


def test_a_change_without_a_threshold_leaves_the_currency_alone():
    saved, audited = _changed(None, {"assistant_runs_per_minute": 5})
    assert saved == audited["data"] == {"assistant_runs_per_minute": 5}
