"""Business journeys built from actor tasks; each remembers what it made in the world.

World memory keys written here: ``lead``, ``deal``, ``project``, ``invoice``,
``payments`` (every payment answer, oldest first) and ``payment_request``
(the last one sent, to send again).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.clients.platform_api import Answer
from support.scenario.personas import SALES_PERSONA
from support.scenario.world import World


def captured_lead(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    return world.remember("lead", world.actor(seller).captures_lead(company, value, currency))


def qualified_lead(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    lead = captured_lead(world, seller, company, value, currency)
    return world.remember("lead", world.actor(seller).qualifies(lead))


def client_name_of(length: int) -> str:
    """A client's name exactly ``length`` characters long, readable at both ends."""
    return ("Northwind Trading " * 20)[: length - 1] + "Z"


def qualified_lead_named_at_length(world: World, seller: str, length: int) -> dict[str, Any]:
    name = world.remember("client_name", client_name_of(length))
    return qualified_lead(world, seller, name, Decimal("1000.00"), "EUR")


def convert_lead(world: World, seller: str) -> Answer:
    answer = world.actor(seller).converts(world.recall("lead"))
    if answer.ok:
        world.remember("deal", answer.body)
    return world.remember("conversion", answer)


def open_deal(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    qualified_lead(world, seller, company, value, currency)
    return convert_lead(world, seller).expect_ok(f"{seller} turning the lead into a deal")


def win_deal(world: World, seller: str) -> dict[str, Any]:
    if not world.knows("deal"):
        convert_lead(world, seller).expect_ok(f"{seller} turning the lead into a deal")
    deal = world.remember("deal", world.actor(seller).wins(world.recall("deal")))
    world.remember("project", world.actor(seller).looks_at("projects", deal["project_id"]))
    return deal


def lose_deal(world: World, seller: str, reason: str) -> dict[str, Any]:
    return world.remember("deal", world.actor(seller).loses(world.recall("deal"), reason))


def won_project(
    world: World, company: str, value: Decimal = Decimal("1000.00"), currency: str = "EUR"
) -> dict[str, Any]:
    open_deal(world, SALES_PERSONA, company, value, currency)
    win_deal(world, SALES_PERSONA)
    return world.recall("project")


def project_delivered_by(world: World, seller: str, company: str) -> dict[str, Any]:
    """``seller`` won ``company``'s deal and is delivering its project."""
    open_deal(world, seller, company, Decimal("1000.00"), "EUR")
    win_deal(world, seller)
    return world.recall("project")
