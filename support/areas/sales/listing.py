"""Many records of one kind, and reading them back page by page as a client following the ``Link`` header would.

World facts written here: ``sales.captured``, ``sales.page_answer``, ``sales.pages``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from hamcrest import assert_that, equal_to

from support.clients import database_seed
from support.clients.paths import Sales
from support.clients.platform_api import PlatformApi
from support.report.evidence import attach_json
from support.scenario.actors import Actor
from support.scenario.matchers import refused_because
from support.scenario.world import World

SENDERS = 8


def many_leads(world: World, seller: str, count: int) -> None:
    """``count`` leads of ``seller``'s: written straight into the database when the run can reach it (the
    subject here is reading them), captured through the API otherwise."""
    actor = world.actor(seller)
    database_url = world.inspectors.config.database_url
    if database_url:
        world.sales.captured = database_seed.leads(database_url, world.home.id, actor.user_id, count)
        return
    captured_through_the_api(world, actor, count)


def captured_through_the_api(world: World, actor: Actor, count: int) -> None:
    """``actor`` captures ``count`` leads, eight senders at a time, each on one kept-alive connection of its own."""

    def send(first: int) -> list[tuple[str, str]]:
        api = PlatformApi(actor.api.base_url, token=actor.token)
        made = []
        for n in range(first, count, SENDERS):
            body = {"company": f"Lead {n:05d}", "contact_name": "Buyer", "estimated_value": f"{Decimal(n + 1):.2f}"}
            lead = api.post(Sales.LEADS, body).expect_ok("capturing a lead")
            made.append((lead["created_at"], lead["id"]))
        return made

    with ThreadPoolExecutor(SENDERS) as pool:
        made = sorted(lead for sent in pool.map(send, range(SENDERS)) for lead in sent)
    world.sales.captured = [lead_id for _, lead_id in made]


def reads_leads_in_pages(world: World, reader: str, size: int | None) -> None:
    """Follows the pages of the leads, asking for ``size`` a page (None: the platform's own page size)."""
    asked = {"limit": size} if size is not None else {}
    world.sales.pages = world.actor(reader).ids_page_by_page(Sales.LEADS, most_pages=1001, **asked)


def read_every_lead_once(world: World, pages: int, count: int) -> None:
    read, made = world.sales.pages, world.sales.captured
    attach_json("leads on each page", [len(page) for page in read])
    assert_that(len(read), equal_to(pages), "pages read (requests made)")
    everything = [lead_id for page in read for lead_id in page]
    assert_that(len(everything), equal_to(count), "leads read in all")
    assert_that(len(set(everything)), equal_to(count), "leads read once each")
    assert_that(everything, equal_to(made), "the leads, oldest first")


def asks_for_one_page(world: World, reader: str, size: int) -> None:
    world.sales.page_answer = world.actor(reader).api.get(Sales.LEADS, limit=size)


def page_outcome(world: World, size: int, outcome: str) -> None:
    """``read``: the first page holds ``size`` leads or all there are; ``refused``: 422 naming the page size."""
    answer, made = world.sales.page_answer, world.sales.captured
    if outcome == "read":
        assert_that(answer.status, equal_to(200), f"a page of {size} asked for: {answer.body}")
        assert_that(len(answer.body), equal_to(min(size, len(made))), "leads on the page")
    else:
        assert_that(answer, refused_because("validation_error"), "a page size past what a page may hold")
        assert_that(answer.body["error"].get("field"), equal_to("limit"), "the part of the request named")
