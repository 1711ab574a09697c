"""A company's people: one account per address, however the address is written.

World facts written here: ``tenancy.answer`` (the addition's), ``tenancy.people`` (the people before it)."""

from __future__ import annotations

from typing import Any

from hamcrest import assert_that, equal_to, has_entries

from support.areas.common.addresses import WRITTEN, email_of
from support.clients.paths import Tenancy
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World


def _people(world: World) -> list[dict[str, Any]]:
    return world.actor(OWNER_PERSONA).lists(Tenancy.USERS)


def adds_colleague_with_address_of(world: World, name: str, who: str, how: str) -> None:
    """``name`` adds a colleague whose address is ``who``'s written ``how``; the people before are kept."""
    address = WRITTEN[how](email_of(world, who))
    world.tenancy.people = _people(world)
    colleague = {"email": address, "name": "Second Account", "role": "sales", "password": "Second-pass-1"}
    world.tenancy.answer = world.actor(name).api.post(Tenancy.USERS, colleague)


def refused_as_taken(world: World) -> None:
    answer = world.tenancy.answer
    assert_that(answer.status, equal_to(409), f"adding a second account for one address: {answer.body}")
    assert_that(
        answer.body["error"],
        has_entries(code="email_taken", field="email"),
        "the refusal names the address as the one already taken, not a clash the database found",
    )


def people_as_they_were(world: World) -> None:
    assert_that(_people(world), equal_to(world.tenancy.people), "the company's people after the refused addition")
