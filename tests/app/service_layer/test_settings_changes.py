"""A threshold given without its currency keeps the company's currency, or takes the default one when the
company never gave any; a threshold given as null is removed with its currency; the change is audited with what it
changed."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from app.domain.approvals import THRESHOLD_CURRENCY
from app.domain.roles import Role
from app.entrypoints.http.schemas.assistant import SettingsIn
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


@pytest.mark.parametrize("currency", [{}, {"approval_threshold_currency": "GBP"}], ids=["alone", "a currency given"])
def test_a_threshold_removed_goes_with_its_currency(currency):
    """Nothing waits for approval any more; a null was taken as not given, and the threshold stayed for good."""
    saved, audited = _changed("USD", {"approval_threshold": None, **currency})
    assert saved == audited["data"] == {"approval_threshold": None, "approval_threshold_currency": None}


def test_a_change_that_changes_nothing_is_audited_with_what_was_asked():
    """Every write accepted is in the trail (a check that holds in every scenario counts them)."""
    saved, audited = _changed("USD", {"approval_threshold_currency": "USD"})
    assert saved == audited["data"] == {"approval_threshold_currency": "USD"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assistant_runs_per_minute": None}, "assistant_runs_per_minute"),
        ({"assistant_tool_timeout_ms": None}, "assistant_tool_timeout_ms"),
        ({"approval_threshold_currency": None}, "approval_threshold_currency"),
    ],
    ids=["a limit removed", "the other limit removed", "a currency without its threshold"],
)
def test_what_cannot_be_removed_is_refused_naming_it(body, field):
    with pytest.raises(ValidationError) as refused:
        SettingsIn.model_validate(body)
    [error] = refused.value.errors()
    assert error["loc"] == (field,)


def test_a_field_left_out_is_not_changed_and_a_null_threshold_is_a_removal():
    assert SettingsIn.model_validate({"approval_threshold": None}).model_dump(exclude_unset=True) == {
        "approval_threshold": None
    }
    assert SettingsIn.model_validate({"assistant_runs_per_minute": 5}).model_dump(exclude_unset=True) == {
        "assistant_runs_per_minute": 5
    }
