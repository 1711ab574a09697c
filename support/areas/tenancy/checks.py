"""Outcomes of the tenancy and access scenarios, asserted with PyHamcrest.

World facts written here: ``tenancy.answer``, ``tenancy.sessions``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hamcrest import assert_that, described_as, empty, equal_to, has_length, is_not, only_contains

from support.clients import session_tokens as tokens
from support.clients.paths import Sales, Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario.matchers import refused_because
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

TENANT_KEY = re.compile(r"^tenant:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:")
# platform-wide keys that hold no company's data: circuit states, the analytics ingester's lease, and failed
# sign-ins counted per account
# (a hash of company and e-mail) and per source address
PLATFORM_KEY = re.compile(
    r"^platform:(breaker:[a-z_]+(:probe)?|analytics:ingester|sign-in:account:[0-9a-f]{64}|sign-in:source:[0-9a-f.:]+)$"
)


def every_attempt_held(world: World) -> None:
    attempts = world.tenancy.attempts
    assert_that(attempts, is_not(empty()), "the sweep tried some operations")
    failures = [f"{a.operation} {a.attack}: expected {a.expected}, got {a.got}" for a in attempts if not a.held]
    assert_that(failures, described_as("every attempt answered as the rule says", empty()))


def records_unchanged(world: World, company: str) -> None:
    world.records_made_for(company)
    before, after = world.tenancy.snapshot, world.tenancy.sweep.snapshot(world.actor(OWNER_PERSONA).api)
    changed = sorted(read for read in before.keys() | after.keys() if before.get(read) != after.get(read))
    assert_that(
        changed, described_as("reads of the records (and the audit trail) that changed during the sweep", empty())
    )


def told_it_does_not_exist(world: World) -> None:
    answer = world.tenancy.answer
    assert_that(answer, refused_because("not_found"), "another company's record, asked for by id")
    assert_that(answer.status, equal_to(404), "not found, never forbidden")


def sees_none_of_the_records(world: World, company: str) -> None:
    world.records_made_for(company)
    answer = world.tenancy.answer
    leaked = [v for v in world.tenancy.records.values() if v in str(answer.body)]
    assert_that(answer.status, equal_to(200), "the listing of the person's own company")
    assert_that(leaked, described_as("none of the other company's records in the answer", empty()))


def session_gone_bad(world: World, name: str, state: str) -> PlatformApi:
    actor = world.actor(name)
    if state == "signed out":
        actor.api.post(Tenancy.SIGN_OUT)
        token = actor.token
    elif state == "tampered with":
        token = tokens.tampered(actor.token)
    elif state == "signed with another key":
        token = tokens.signed_with_another_key(actor.token)
    elif state == "expired":
        token = tokens.expired(actor.token, world.inspectors.config.token_secret or "")
    else:
        raise KeyError(f"unknown session state {state!r}")
    world.tenancy.sessions[name] = actor.api.as_user(token)
    return world.tenancy.sessions[name]


def asked_to_sign_in(world: World, name: str) -> None:
    answer = world.tenancy.sessions[name].get(Tenancy.ME)
    assert_that(answer, refused_because("unauthenticated"), "the session that has ended")
    assert_that(answer.status, equal_to(401), "the ended session: asked to sign in again")


FORGED_TENANT = {
    "in the address": lambda api, victim: api.get(Tenancy.company_leads(victim)),
    "in the query": lambda api, victim: api.get(Sales.LEADS, tenant_id=victim),
    "in a header": lambda api, victim: api.call("GET", Sales.LEADS, headers={"X-Tenant-ID": victim}),
    "in the body": lambda api, victim: api.post(
        Sales.LEADS, {"company": "Forged", "contact_name": "Mallory", "estimated_value": "1.00", "tenant_id": victim}
    ),
}


def reach_naming_tenant(world: World, intruder: str, victim: str, where: str) -> None:
    api = world.actor(OWNER_PERSONA, intruder).api
    world.tenancy.answer = FORGED_TENANT[where](api, world.tenant(victim).id)


def nothing_of_theirs_seen_or_written(world: World, victim: str) -> None:
    answer = world.tenancy.answer
    victims_leads = world.actor(OWNER_PERSONA, victim).lists(Sales.LEADS)
    assert_that(
        [lead["id"] for lead in victims_leads if lead["id"] in str(answer.body)],
        described_as("none of their leads in the answer", empty()),
    )
    assert_that(
        [lead["company"] for lead in victims_leads],
        only_contains(is_not("Forged")),
        "no lead was written into their company",
    )
    assert_that(answer.status, is_not(equal_to(500)), "naming another company in the request: never a server failure")


def every_cache_key_namespaced(world: World) -> None:
    keys = world.cache.keys("*")
    if keys is None:
        return
    assert_that(
        [k for k in keys if not TENANT_KEY.match(k) and not PLATFORM_KEY.match(k)],
        described_as("cache keys outside a tenant's namespace (besides the platform's circuit states)", empty()),
    )
    own = world.cache.keys(f"tenant:{world.tenant_id}:report:*")
    assert_that(own, has_length(1), "this company's cached sales summary, under its own namespace")


def open_pipeline_seen(world: World, name: str, company: str | None, amount: Decimal, currency: str) -> None:
    summary = world.actor(name, company).reads_sales_summary()
    pipeline = {row["currency"]: Decimal(row["open_pipeline"]) for row in summary["currencies"]}
    assert_that(pipeline.get(currency, Decimal("0.00")), equal_to(amount), f"the open pipeline in {currency}")
