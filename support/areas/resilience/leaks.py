"""What the platform holds: its database connections (pg_stat_activity) and open files (/proc), and many
journeys run to see that it gives them back.

World facts written here: ``resilience.holdings_before``, ``resilience.journeys``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to, has_length, less_than_or_equal_to

from support.areas.journeys.lead_to_cash import lead_to_cash
from support.clients.platform_metrics import pool_figures
from support.clients.platform_processes import platform_processes
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.personas import FINANCE_PERSONA, SALES_PERSONA
from support.scenario.world import World

SLACK_FILES = 5  # sockets the kernel may still be closing when we look
POOLS = ("blocking", "asyncio", "payments")  # each instance's database pools, as its /metrics names them


def holdings(world: World) -> dict[str, Any]:
    connections = world.db.rows("platform_connections")
    urls = world.inspectors.config.instance_urls
    processes = platform_processes(urls)
    files = {str(p.pid): p.num_fds() for p in processes}
    pools = [pool_figures(url, pool) for url in urls for pool in POOLS]
    measured = {
        "database_connections": connections[0]["connections"] if connections else None,
        "pooled_connections": sum(p.get("in_use", 0) + p.get("idle", 0) for p in pools),
        "pooled_in_use": sum(p.get("in_use", 0) for p in pools),
        "pools_may_hold": sum(p.get("size", 0) for p in pools),
        "open_files_by_process": files,
        "open_files": sum(files.values()),
        "resident_mb_by_process": {str(p.pid): round(p.memory_info().rss / 2**20, 1) for p in processes},
    }
    attach_json("what the platform holds", measured)
    return measured


def measure_after_warm_up(world: World, journeys: int, at_a_time: int) -> None:
    if not platform_processes(world.inspectors.config.instance_urls) or not world.db.available:
        raise AssertionError("the leak check needs the embedded stack (its processes and database)")
    run_journeys(world, journeys, at_a_time)
    world.resilience.holdings_before = holdings(world)


def run_journeys(world: World, journeys: int, at_a_time: int) -> None:
    seller, biller = world.actor(SALES_PERSONA), world.actor(FINANCE_PERSONA)
    with ThreadPoolExecutor(at_a_time) as pool:
        done = list(pool.map(lambda i: lead_to_cash(seller, biller, f"Client {i}", Decimal("100.00")), range(journeys)))
    world.resilience.journeys = done


def every_journey_paid(world: World, journeys: int) -> None:
    done = world.resilience.journeys
    assert_that(done, has_length(journeys), "journeys finished")
    assert_that(
        sorted({j["payment"]["invoice_status"] for j in done}),
        equal_to(["paid"]),
        "invoice statuses after the journeys",
    )


def holdings_back_to_baseline(world: World, memory_margin_mb: int) -> None:
    """Connections and open files back to what they were after the warm-up; each instance's resident memory
    at most ``memory_margin_mb`` above its own after the warm-up (measured: 0.3 to 0.6 MB after 200 more
    journeys; an answer kept per request adds about 4 MB)."""
    before = world.resilience.holdings_before

    def back() -> None:
        now = holdings(world)
        assert_that(
            now["database_connections"],
            less_than_or_equal_to(max(before["database_connections"], now["pooled_connections"])),
            "database connections the platform holds, against after the first journeys and against those its pools"
            " hold (a pool may open the rest of its size for more work at once; none may live outside the pools)",
        )
        assert_that(now["pooled_connections"], less_than_or_equal_to(now["pools_may_hold"]), "connections pooled")
        assert_that(now["pooled_in_use"], equal_to(0), "pooled connections still in use once the journeys are done")
        assert_that(
            now["open_files"],
            less_than_or_equal_to(before["open_files"] + SLACK_FILES),
            f"open files of the platform's processes, against {before['open_files']} after the first journeys",
        )
        for pid, warm in before["resident_mb_by_process"].items():
            assert_that(
                now["resident_mb_by_process"].get(pid),
                less_than_or_equal_to(round(warm + memory_margin_mb, 1)),
                f"resident memory (MB) of platform process {pid}, against {warm} MB after the first journeys"
                f" and a margin of {memory_margin_mb} MB",
            )

    eventually(back, timeout=15)
