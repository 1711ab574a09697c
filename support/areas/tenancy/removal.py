"""An operator removes a company with everything it holds, and no other company loses or gains anything.

World facts written here: ``tenancy.holdings``, ``tenancy.removal``, ``tenancy.removed``."""

from __future__ import annotations

import uuid

from hamcrest import assert_that, described_as, empty, equal_to, has_entries

from support.clients.paths import Billing, Compliance, Sales, Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario import builders
from support.scenario.facts import TenancyFacts, known
from support.scenario.matchers import refused_because
from support.scenario.personas import COMPLIANCE_PERSONA, OWNER_PERSONA
from support.scenario.world import World

# What a company's owner reads of it through the platform; every one must stay as it was.
LISTINGS = {
    "leads": Sales.LEADS,
    "deals": Sales.DEALS,
    "clients": Sales.CLIENTS,
    "delivery projects": Sales.PROJECTS,
    "invoices": Billing.INVOICES,
    "people": Tenancy.USERS,
}


def holdings(world: World, company: str) -> dict[str, object]:
    """What the company holds: its listings as its owner reads them, its audit trail, and its rows by table."""
    owner, auditor = world.actor(OWNER_PERSONA, company), world.actor(COMPLIANCE_PERSONA, company)
    held: dict[str, object] = {
        name: sorted(str(record["id"]) for record in owner.lists(path)) for name, path in LISTINGS.items()
    }
    held["audit trail"] = [entry["seq"] for entry in auditor.lists(Compliance.AUDIT)]
    rows = world.db.company_rows_by_table(world.tenant(company).id)
    if rows is not None:
        held["rows by table"] = rows
    return held


def operator_removes(world: World, company: str | None) -> None:
    """The operator removes ``company`` (None: a company that does not exist); every company's holdings noted first."""
    for name in world.companies_named():
        world.actor(COMPLIANCE_PERSONA, name)  # signed in before the count: a sign-in is itself audited
    world.tenancy.holdings = {name: holdings(world, name) for name in world.companies_named()}
    target = world.tenant(company).id if company else str(uuid.uuid4())
    if company:
        world.tenancy.removed = {"name": company, "id": target, "tenant": world.tenant(company)}
    world.tenancy.removal = world.inspectors.operator().call("DELETE", Tenancy.company(target))


def removal_done(world: World) -> None:
    answer = world.tenancy.removal
    assert_that(answer.status, equal_to(204), f"the operator's removal was answered {answer.status}: {answer.body}")


def told_no_such_company(world: World) -> None:
    answer = world.tenancy.removal
    assert_that(answer, refused_because("not_found"), "removing a company that does not exist")
    assert_that(answer.status, equal_to(404), "the removal of a company that does not exist")


def nothing_remains(world: World, company: str) -> None:
    removed = _removed(world, company)
    removal_done(world)
    rows = world.db.company_rows_by_table(removed["id"])
    if rows is not None:
        left = {table: count for table, count in rows.items() if count}
        assert_that(left, described_as(f"no row of {company} in any table", equal_to({})))
    keys = world.cache.keys(f"tenant:{removed['id']}:*")
    if keys is not None:
        assert_that(sorted(keys), described_as(f"no cache entry of {company}", empty()))


def people_locked_out(world: World, name: str, company: str) -> None:
    """The removed company's person: her session is refused, and signing in again fails as for anyone unknown."""
    tenant = _removed(world, company)["tenant"]
    session = tenant.actor(name).api.get(Tenancy.ME)
    assert_that(session.status, equal_to(401), f"{name}'s session after her company was removed: {session.body}")
    sign_in = PlatformApi(world.inspectors.config.platform_url).post(
        Tenancy.SIGN_IN,
        {"tenant": tenant.slug, "email": builders.email_for(name, tenant.slug), "password": tenant.passwords[name]},
    )
    assert_that(sign_in, refused_because("unauthenticated"), "signing in to a removed company")


def keeps_everything(world: World, company: str) -> None:
    before = world.tenancy.holdings[company]
    after = holdings(world, company)
    assert_that(after, described_as(f"what {company} holds, against before the removal", equal_to(before)))
    verified = world.actor(COMPLIANCE_PERSONA, company).api.get(Compliance.AUDIT_VERIFY).expect_ok("verifying")
    assert_that(verified, has_entries(intact=True), f"{company}'s audit trail")


def _removed(world: World, company: str) -> dict:
    removed = world.tenancy.removed if known(world.tenancy, TenancyFacts.removed) else None
    if removed is None or removed["name"] != company:
        raise AssertionError(f"the step names {company!r}, but the company removed was {removed and removed['name']!r}")
    return removed
