"""What a look-up hands the model is bounded: its text is cut at 500 characters (marked "…").

World facts written here: ``assistant.lookup_summary_full``."""

from __future__ import annotations

from decimal import Decimal

from hamcrest import assert_that, equal_to, has_length

from support.clients.paths import Sales
from support.scenario.personas import SALES_PERSONA
from support.scenario.world import World

# The client look-up's summary, as the platform writes it: "Clients matching '<asked>': " then, for each
# client, "<name>: <deals> deal(s), invoiced <amount>", joined by "; ". Each client here has one deal, nothing invoiced.
PER_CLIENT = len(": 1 deal(s), invoiced 0.00")
SEPARATOR = len("; ")


def _client(world: World, name: str) -> None:
    seller = world.actor(SALES_PERSONA)
    lead = seller.qualifies(seller.captures_lead(name, Decimal("100.00"), "EUR"))
    seller.converts(lead).expect_ok(f"turning the lead of {name} into a deal")


def clients_named(world: World, count: int, prefix: str) -> None:
    """``count`` clients, each with one deal: "<prefix> 001", "<prefix> 002", ..."""
    for n in range(1, count + 1):
        _client(world, f"{prefix} {n:03d}")


def three_clients_making_a_summary_of(world: World, prefix: str, size: int) -> None:
    """Three clients named "<prefix>…" whose look-up for ``prefix`` makes a summary of exactly ``size`` characters."""
    fixed = len(f"Clients matching '{prefix}': ") + 3 * PER_CLIENT + 2 * SEPARATOR
    names_total = size - fixed
    lengths = [names_total // 3 + (1 if i < names_total % 3 else 0) for i in range(3)]
    for i, length in enumerate(lengths):
        _client(world, (f"{prefix} {'ABC'[i]} " + "Trading " * 30)[: length - 1] + "Z")
    world.assistant.lookup_summary_full = size


def handed_the_model(world: World, listed: int, length: int, ending: str) -> None:
    """``ending``: "whole" (nothing cut) or "cut" (500 characters kept, then "…")."""
    result = _the_look_up(world)
    assert_that(result["clients"], has_length(listed), "clients handed to the model")
    summary = result["summary"]
    assert_that(len(summary), equal_to(length), f"the summary's length: {summary[-40:]!r}")
    assert_that(summary.endswith("…"), equal_to(ending == "cut"), f"the summary marked as cut: {summary[-40:]!r}")


def clients_handed(world: World, listed: int) -> None:
    """The client look-up handed the model the first ``listed`` clients, oldest first."""
    clients = _the_look_up(world)["clients"]
    names = [client["name"] for client in clients]
    assert_that(names, has_length(listed), f"clients handed to the model: {names}")
    figures = [(client["deals"], client["invoiced"]) for client in clients]
    assert_that(figures, equal_to([(1, "0.00")] * listed), "each client's deals and amount invoiced")
    ids = {client["name"]: client["id"] for client in world.actor(SALES_PERSONA).lists(Sales.CLIENTS)}
    assert_that(
        [client.get("client_id") for client in clients],
        equal_to([ids.get(name) for name in names]),
        "each client handed with its id, as the company's clients name it",
    )
    assert_that(names, equal_to(sorted(names)), "the oldest first")


def only_client_handed(world: World, name: str) -> None:
    """The client look-up handed the model the client ``name``, and no other (none whose name only looks alike)."""
    names = [client["name"] for client in _the_look_up(world)["clients"]]
    assert_that(names, equal_to([name]), f"the clients a look-up for {name!r} handed the model")


def _the_look_up(world: World) -> dict:
    """The one look-up of the last run that answered: what the platform handed the model."""
    events = world.assistant.run.events
    results = [e["data"]["result"] for e in events if e["type"] == "tool_completed" and e["data"]["status"] == "ok"]
    assert_that(results, has_length(1), "the client look-ups that answered")
    return results[0]
