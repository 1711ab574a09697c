"""Business journeys built from actor tasks; each remembers what it made in the world.

World facts written here: ``sales.client_name``, ``sales.clients_won``, ``sales.conversion``, ``sales.deal``,
``sales.lead``, ``sales.project``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.clients.platform_api import Answer
from support.scenario.facts import SalesFacts, known
from support.scenario.personas import SALES_PERSONA
from support.scenario.world import World


def captured_lead(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    world.sales.lead = world.actor(seller).captures_lead(company, value, currency)
    return world.sales.lead


def qualified_lead(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    lead = captured_lead(world, seller, company, value, currency)
    world.sales.lead = world.actor(seller).qualifies(lead)
    return world.sales.lead


def client_name_of(length: int) -> str:
    """A client's name exactly ``length`` characters long, readable at both ends."""
    return ("Northwind Trading " * 20)[: length - 1] + "Z"


def qualified_lead_named_at_length(world: World, seller: str, length: int) -> dict[str, Any]:
    name = world.sales.client_name = client_name_of(length)
    return qualified_lead(world, seller, name, Decimal("1000.00"), "EUR")


def convert_lead(world: World, seller: str) -> Answer:
    answer = world.actor(seller).converts(world.sales.lead)
    if answer.ok:
        world.sales.deal = answer.body
    world.sales.conversion = answer
    return world.sales.conversion


def open_deal(world: World, seller: str, company: str, value: Decimal, currency: str) -> dict[str, Any]:
    qualified_lead(world, seller, company, value, currency)
    return convert_lead(world, seller).expect_ok(f"{seller} turning the lead into a deal")


def win_deal(world: World, seller: str) -> dict[str, Any]:
    if not known(world.sales, SalesFacts.deal):
        convert_lead(world, seller).expect_ok(f"{seller} turning the lead into a deal")
    deal = world.sales.deal = world.actor(seller).wins(world.sales.deal)
    world.sales.project = world.actor(seller).looks_at("projects", deal["project_id"])
    return deal


def lose_deal(world: World, seller: str, reason: str) -> dict[str, Any]:
    world.sales.deal = world.actor(seller).loses(world.sales.deal, reason)
    return world.sales.deal


def won_project(
    world: World, company: str, value: Decimal = Decimal("1000.00"), currency: str = "EUR"
) -> dict[str, Any]:
    open_deal(world, SALES_PERSONA, company, value, currency)
    win_deal(world, SALES_PERSONA)
    return world.sales.project


def deals_won_in_turn(world: World, seller: str, count: int) -> list[str]:
    """``seller`` wins a deal of each of ``count`` clients (Client 1, Client 2, ...), one after the other."""
    world.sales.clients_won = [f"Client {number}" for number in range(1, count + 1)]
    for client in world.sales.clients_won:
        project_delivered_by(world, seller, client)
    return world.sales.clients_won


def project_delivered_by(world: World, seller: str, company: str) -> dict[str, Any]:
    """``seller`` won ``company``'s deal and is delivering its project."""
    open_deal(world, seller, company, Decimal("1000.00"), "EUR")
    win_deal(world, seller)
    return world.sales.project
