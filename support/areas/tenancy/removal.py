"""An operator removes a company with everything it holds, and no other company loses or gains anything.

World facts written here: ``tenancy.answers`` (removals sent at once), ``tenancy.holdings``, ``tenancy.removal``,
``tenancy.removed``, ``tenancy.written_meanwhile``."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hamcrest import assert_that, described_as, empty, equal_to, has_entries, is_in, only_contains

from support.clients.analytics_store_reader import AnalyticsStoreReader
from support.clients.paths import Billing, Compliance, Sales, Tenancy
from support.clients.platform_api import PlatformApi
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.eventually import eventually
from support.scenario.facts import TenancyFacts, known
from support.scenario.matchers import refused_because
from support.scenario.personas import COMPLIANCE_PERSONA, OWNER_PERSONA
from support.scenario.together import done_once, sent_behind, the_one_done
from support.scenario.world import World

LEAD_VALUE = Decimal("100.00")
# a lead sent as its company went: taken (and gone with it), refused as its writer's company no longer there,
# or as clashing with the removal (nothing of it kept)
TAKEN_OR_REFUSED_AS_GONE = [(201, None), (401, "unauthenticated"), (409, "conflict")]

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
    target = _about_to_remove(world, company)
    world.tenancy.removal = world.inspectors.operator().call("DELETE", Tenancy.company(target))


def operator_removes_while_leads_come(world: World, company: str, name: str, leads: int) -> None:
    """The operator removes ``company`` while ``name`` of it sends ``leads`` leads at the same moment, all behind
    a long job holding the company's records: the leads first, each written and waiting to be audited, then the
    removal, waiting behind them; then the job ends, and the leads are done before the removal is."""
    target = _about_to_remove(world, company)
    writer, operator = world.actor(name, company), world.inspectors.operator()
    job = world.long_job_holding_records(target)
    written, [removal] = sent_behind(
        job,
        (leads, lambda n: writer.sends_lead(f"Meanwhile {n + 1}", LEAD_VALUE, "EUR", with_email=False)),
        (1, lambda _: operator.call("DELETE", Tenancy.company(target))),
        what="the leads and the removal",
    )
    world.tenancy.removal, world.tenancy.written_meanwhile = removal, written


def operator_removes_twice_at_once(world: World, company: str) -> None:
    """The operator removes ``company`` twice at the same moment, behind a long job holding its records: both
    removals are under way, whatever the machine's speed, before the job ends."""
    target = _about_to_remove(world, company)
    operator = world.inspectors.operator()
    job = world.long_job_holding_records(target)
    [answers] = sent_behind(job, (2, lambda _: operator.call("DELETE", Tenancy.company(target))), what="the removals")
    world.tenancy.answers = answers
    world.tenancy.removal = the_one_done(answers)


def removed_once(world: World) -> None:
    """One removal done; the other told the company does not exist, as one sent after it would be."""
    done_once(
        world.tenancy.answers,
        done=204,
        refused=(404, "not_found"),
        what="two removals of one company sent at the same moment",
    )


def written_meanwhile_went_with_it(world: World, name: str, company: str) -> None:
    """Each lead sent as the company went was taken before it went (and went with it), or refused as written to
    a company no longer there, with nothing kept: no answer of the platform's own failure."""
    answers = world.tenancy.written_meanwhile
    attach_json(f"what {name} was told of each lead sent as {company} went", [a.body for a in answers])
    assert_that(
        [(answer.status, answer.error_code) for answer in answers],
        only_contains(is_in(TAKEN_OR_REFUSED_AS_GONE)),
        f"{name}'s leads sent as {company} was removed: taken, or refused with nothing kept",
    )


def _about_to_remove(world: World, company: str | None) -> str:
    """Every company's holdings noted, and the one to remove remembered: its id (a new one for None)."""
    for name in world.companies_named():
        world.actor(COMPLIANCE_PERSONA, name)  # signed in before the count: a sign-in is itself audited
    world.tenancy.holdings = {name: holdings(world, name) for name in world.companies_named()}
    target = world.tenant(company).id if company else str(uuid.uuid4())
    if company:
        world.tenancy.removed = {"name": company, "id": target, "tenant": world.tenant(company)}
    return target


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
    store = AnalyticsStoreReader(world.inspectors.config.analytics_url)
    if store.available:  # the ingester forgets its events within a moment of the removal
        eventually(
            lambda: assert_that(
                store.rows_lying(removed["id"]),
                equal_to((0, 0)),
                f"{company}'s events in the analytics store (rows, events)",
            ),
            timeout=10.0,
            interval=0.2,
        )


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
