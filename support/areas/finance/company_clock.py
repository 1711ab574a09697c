"""The scenario's company's clock made to stand at an instant on every platform instance (a test stack's
operators may), so that "now" falls exactly on an edge: the very moment an invoice is due.

World facts written here: ``finance.clock_stands_at``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support.clients.paths import Operations
from support.clients.platform_api import PlatformApi
from support.report.evidence import attach_json
from support.scenario.world import World


def stands_still(world: World) -> datetime:
    """The company's clock stands at this moment (to the whole second) on every instance, until the scenario
    ends."""
    at = datetime.now(UTC).replace(microsecond=0)
    _stand_at(world, at)
    world.on_cleanup(lambda: _stand_at(world, None))
    return at


def moves_on(world: World, seconds: int) -> datetime:
    """The standing clock moves on ``seconds`` and stands there."""
    at = world.finance.clock_stands_at + timedelta(seconds=seconds)
    _stand_at(world, at)
    return at


def _stand_at(world: World, at: datetime | None) -> None:
    config = world.inspectors.config
    company = world.tenant_id
    for url in config.instance_urls:
        PlatformApi(url, admin_key=config.admin_key).call(
            "PUT", Operations.company_clock(company), json={"at": at.isoformat() if at else None}
        ).expect_ok(f"the operator making the company's clock stand at {at} on {url}")
    if at is not None:
        world.finance.clock_stands_at = at
    attach_json("the company's clock", {"company": str(company), "stands_at": at.isoformat() if at else "runs"})
