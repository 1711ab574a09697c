"""A company's people: one account per address, however the address is written.

World facts written here: ``tenancy.answer`` (the addition's), ``tenancy.answers`` (additions sent at once),
``tenancy.people`` (the people before it), ``tenancy.added`` (the colleague a scenario added first)."""

from __future__ import annotations

from typing import Any

from hamcrest import assert_that, equal_to, has_entries

from support.areas.common.addresses import WRITTEN, email_of
from support.clients.paths import Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario import builders
from support.scenario.personas import OWNER_PERSONA
from support.scenario.together import done_once, sent_behind
from support.scenario.world import World


def _people(world: World) -> list[dict[str, Any]]:
    return world.actor(OWNER_PERSONA).lists(Tenancy.USERS)


COLLEAGUE_PASSWORD = "Colleague-pass-1"  # of every colleague a scenario adds by address


def adds_colleague_with_address_of(world: World, name: str, who: str, how: str) -> None:
    """``name`` adds a colleague whose address is ``who``'s written ``how``; the people before are kept."""
    adds_colleague_at(world, name, WRITTEN[how](email_of(world, who)))


def adds_colleague_at(world: World, name: str, address: str) -> None:
    """``name`` adds a colleague at ``address``; the people before are kept, the answer too."""
    world.tenancy.people = _people(world)
    colleague = {"email": address, "name": "Second Account", "role": "sales", "password": COLLEAGUE_PASSWORD}
    world.tenancy.answer = world.actor(name).api.post(Tenancy.USERS, colleague)


def has_added_colleague_at(world: World, name: str, address: str) -> None:
    """``name`` has added a colleague at ``address``: the one the scenario goes on with (``tenancy.added``)."""
    adds_colleague_at(world, name, address)
    world.tenancy.added = world.tenancy.answer.expect_record(f"adding a colleague at {address}")


def adds_colleagues_with_one_new_address_at_once(world: World, name: str, times: int) -> None:
    """``name`` adds a colleague with one new address ``times`` times at the same moment, behind a long job
    holding the company's records: every addition is under way, whatever the machine's speed, before it ends."""
    world.tenancy.people = _people(world)
    api = world.actor(name).api
    address = f"{builders.unique_ref('newcomer')}@{world.home.slug}.example.com"
    job = world.long_job_holding_records()
    [world.tenancy.answers] = sent_behind(
        job,
        (
            times,
            lambda n: api.post(
                Tenancy.USERS,
                {"email": address, "name": f"Newcomer {n + 1}", "role": "sales", "password": "Newcomer-pass-1"},
            ),
        ),
        what="the additions of one address",
    )


def one_added_the_others_refused_as_taken(world: World) -> None:
    """One addition made; each other refused naming the address as taken, as one sent after it would be."""
    answers = world.tenancy.answers
    done_once(
        answers,
        done=201,
        refused=(409, "email_taken"),
        what="the additions of one address sent at the same moment: the others refused as the address taken",
    )
    assert_that(
        {answer.error_field for answer in answers if not answer.ok},
        equal_to({"email"}),
        "each refusal names the address as taken, not a clash the database found",
    )
    assert_that(len(_people(world)), equal_to(len(world.tenancy.people) + 1), "the company's people: one more")


def refused_as_taken(world: World) -> None:
    answer = world.tenancy.answer
    assert_that(answer.status, equal_to(409), f"adding a second account for one address: {answer.body}")
    assert_that(
        answer.body["error"],
        has_entries(code="email_taken", field="email"),
        "the refusal names the address as the one already taken, not a clash the database found",
    )


def people_as_they_were(world: World) -> None:
    assert_that(_people(world), equal_to(world.tenancy.people), "the company's people after the refused addition")


def added_colleague_signs_in_at(world: World, address: str) -> None:
    """The colleague added first signs in at ``address`` (their own written another way): it is their account."""
    signed_in = PlatformApi(world.inspectors.config.platform_url or "").post(
        Tenancy.SIGN_IN, {"tenant": world.home.slug, "email": address, "password": COLLEAGUE_PASSWORD}
    )
    token = signed_in.expect_ok(f"signing in at {address}, the address of the colleague added, written another way")
    me = PlatformApi(world.inspectors.config.platform_url or "", token=token["access_token"]).get(Tenancy.ME)
    assert_that(
        me.expect_ok("reading who signed in")["id"],
        equal_to(world.tenancy.added["id"]),
        f"whose account {address} signs in to: the colleague's, however the address is written",
    )
