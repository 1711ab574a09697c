"""The soak's closing check reads the stack's database as the platform does (a primary and its standby's seat in
one URL, which SQLAlchemy's own URL cannot hold): it broke once that URL gained the standby, unseen until a soak
ran."""

from __future__ import annotations

from bench.soak import steady_state
from support.scenario.config import SpecConfig
from support.scenario.tenants import Tenant


def test_the_steady_state_is_read_from_a_stack_whose_database_has_a_standby(stack):
    assert "," in stack.env["DATABASE_URL"], "the embedded stack's URL names the primary and its standby"
    Tenant.provision(SpecConfig.of(stack.env), "soak steady state")

    state = steady_state(stack, {})

    assert state["companies"] >= 1, f"the soak's companies are found: {state}"
    assert {name: count for name, count in state.items() if name != "companies" and count} == {}, state
