"""Many records of one kind, and reading them back page by page as a client following the ``Link`` header would.

World memory keys written here: ``captured`` (ids of the leads made, in order), ``pages`` (each page's ids).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from hamcrest import assert_that, equal_to

from support.clients.platform_api import PlatformApi
from support.report.evidence import attach_json
from support.scenario.actors import next_cursor
from support.scenario.world import World


def many_leads(world: World, seller: str, count: int) -> None:
    """``seller`` captures ``count`` leads (eight at a time, each sender with its own connection)."""
    actor = world.actor(seller)

    def capture(n: int) -> tuple[str, str]:
        api = PlatformApi(actor.api.base_url, token=actor.token)
        lead = api.post(
            "/leads", {"company": f"Lead {n:05d}", "contact_name": "Buyer", "estimated_value": f"{Decimal(n + 1):.2f}"}
        ).expect_ok("capturing a lead")
        return lead["created_at"], lead["id"]

    with ThreadPoolExecutor(8) as pool:
        made = sorted(pool.map(capture, range(count)))
    world.remember("captured", [lead_id for _, lead_id in made])


def reads_leads_in_pages(world: World, reader: str, size: int) -> None:
    api, pages, params = world.actor(reader).api, [], {"limit": size}
    while True:
        answer = api.get("/leads", **params)
        pages.append([lead["id"] for lead in answer.expect_ok(f"{reader} reading a page of leads")])
        after = next_cursor(answer.headers.get("Link"))
        if after is None or len(pages) > 1000:
            break
        params = {"limit": size, "after": after}
    world.remember("pages", pages)


def read_every_lead_once(world: World, pages: int, count: int) -> None:
    read, made = world.recall("pages"), world.recall("captured")
    attach_json("leads on each page", [len(page) for page in read])
    assert_that(len(read), equal_to(pages), "pages read (requests made)")
    everything = [lead_id for page in read for lead_id in page]
    assert_that(len(everything), equal_to(count), "leads read in all")
    assert_that(len(set(everything)), equal_to(count), "leads read once each")
    assert_that(everything, equal_to(made), "the leads, oldest first")
