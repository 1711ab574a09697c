"""The outcomes a scenario checks, each through the API and, where it matters, in the database.

Every function asserts with PyHamcrest and leaves its evidence in the report.
"""

from __future__ import annotations

from hamcrest import (
    assert_that,
    contains_exactly,
    empty,
    equal_to,
    has_entries,
    has_length,
    is_not,
    only_contains,
)

from support.areas.sales import tasks as sales
from support.clients.paths import Sales
from support.scenario.matchers import refused_because
from support.scenario.personas import OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World


def project_opened_with_kickoff(world: World, company: str) -> None:
    deal = world.sales.deal
    assert_that(deal["project_id"], is_not(None), "a won deal names its delivery project")
    project = world.actor(OWNER_PERSONA).looks_at("projects", deal["project_id"])
    client = world.actor(OWNER_PERSONA).looks_at("clients", project["client_id"])
    assert_that(client["name"], equal_to(company), "the project is for the deal's client")
    assert_that(project["tasks"], has_length(3), "a new project has its kick-off tasks")
    assert_that(
        [t["status"] for t in project["tasks"]], only_contains("open"), "a new project's kick-off tasks, all open"
    )
    assert_that(
        [(t["assignee_id"], t["written_via"]) for t in project["tasks"]],
        only_contains((deal["owner_id"], "platform")),
        "whom the kick-off tasks are assigned to (the deal's seller), and that the platform wrote them",
    )
    rows = world.db.rows("projects_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, has_length(1), f"exactly one project is stored for {company}")
        tasks = world.db.rows("tasks_of_project", tenant=world.tenant_id, id=project["id"])
        assert_that(
            [t["title"] for t in tasks],
            contains_exactly(*[t["title"] for t in project["tasks"]]),
            "the project's tasks as stored",
        )


def lead_cannot_become_deal(world: World, seller: str) -> None:
    assert_that(
        sales.convert_lead(world, seller),
        refused_because("invalid_state"),
        "turning a lead that may not become a deal into one",
    )


def no_deal_or_project_for(world: World, company: str) -> None:
    owner = world.actor(OWNER_PERSONA)
    lead = owner.looks_at("leads", world.sales.lead["id"])
    assert_that(lead["opportunity_id"], equal_to(None), "the lead has no deal")
    assert_that(owner.lists(Sales.DEALS), empty(), "the tenant's deals")
    no_project_for(world, company)
    rows = world.db.rows("deals_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, empty(), f"stored deals for {company}")


def no_project_for(world: World, company: str) -> None:
    assert_that(world.actor(OWNER_PERSONA).lists(Sales.PROJECTS), empty(), "the tenant's delivery projects")
    rows = world.db.rows("projects_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, empty(), f"stored projects for {company}")


CLOSING_STAGES = ("won", "lost")  # a deal won or lost is closed for good, and says when


def deal_stage_is(world: World, stage: str) -> None:
    """The deal as it is read back: at ``stage``, with no project yet, saying when it was closed if the stage
    closes it (and, lost, why: the reason it was lost for)."""
    deal = world.actor(OWNER_PERSONA).looks_at("opportunities", world.sales.deal["id"])
    assert_that(deal, has_entries(stage=stage, project_id=None), "the deal's stage, with no project yet")
    closed = stage in CLOSING_STAGES
    assert_that(deal["closed_at"] is not None, equal_to(closed), "whether the deal, read back, says when it closed")
    if stage == "lost":
        assert_that(deal["lost_reason"], equal_to(world.sales.deal["lost_reason"]), "why the deal was lost, read back")
    rows = world.db.rows("deals_for_company", tenant=world.tenant_id, company=world.sales.lead["company"])
    if rows is not None:
        assert_that([r["stage"] for r in rows], contains_exactly(stage), "the stored deal's stage")


def deal_titled(world: World, title: str) -> None:
    """``the client's name and "deal"`` or ``the client's name alone``, as the deal is stored and read."""
    name = world.sales.client_name
    expected = {'the client\'s name and "deal"': f"{name} deal", "the client's name alone": name}[title]
    deal = world.sales.deal
    assert_that(deal["title"], equal_to(expected), f"the title of the deal for a name of {len(name)} characters")
    read = world.actor(SALES_PERSONA).api.get(Sales.deal(deal["id"])).expect_ok("reading the deal")
    assert_that(read["title"], equal_to(expected), "the title as the deal is read again")
