"""Signing in again and again: wrong passwords counted per account and per address, then a pause enforced.

World facts written here: ``operations.sign_in_answer``, ``operations.sign_in_answers``."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter

from hamcrest import (
    all_of,
    assert_that,
    equal_to,
    greater_than,
    has_entries,
    has_key,
    is_not,
    less_than_or_equal_to,
    none,
)

from support.areas.common.addresses import WRITTEN, email_of
from support.clients.paths import Compliance, Tenancy
from support.clients.platform_api import Answer, PlatformApi
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.eventually import eventually
from support.scenario.together import sent_together
from support.scenario.world import World

WRONG_PASSWORD = "certainly-not-the-password-1"


def _attempt(
    world: World,
    email: str,
    password: str,
    source: str | None = None,
    platform_url: str | None = None,
    *,
    forwarding_for: str | None = None,
) -> Answer:
    """``forwarding_for``: the address the request claims to pass on for, as a proxy would say it."""
    api = PlatformApi(platform_url or world.inspectors.config.platform_url or "", source_address=source)
    claim = {"X-Forwarded-For": forwarding_for} if forwarding_for else None
    return api.post(Tenancy.SIGN_IN, {"tenant": world.home.slug, "email": email, "password": password}, headers=claim)


def own_sign_in(world: World, who: str, *, source: str | None = None, platform_url: str | None = None) -> Answer:
    """``who`` signs in with her own password (from ``source``, on ``platform_url``), as a new session."""
    return _attempt(world, email_of(world, who), world.home.passwords[who], source, platform_url)


def guessing_address(world: World) -> str:
    """The loopback address this scenario's guesses come from, its own (from its company's name): failures
    counted per address never add up across scenarios, whatever runs before or beside it."""
    digest = hashlib.sha256(world.home.slug.encode()).digest() if world.home else secrets.token_bytes(3)
    return f"127.{digest[0] % 200 + 20}.{digest[1] % 250 + 1}.{digest[2] % 250 + 1}"


def wrong_passwords(world: World, who: str, times: int, source: str | None = None) -> None:
    email, source = email_of(world, who), source or guessing_address(world)
    world.operations.sign_in_answers = [_attempt(world, email, WRONG_PASSWORD, source) for _ in range(times)]


def wrong_passwords_at_once(world: World, who: str, times: int) -> None:
    """``times`` wrong passwords for ``who`` sent at the same moment from this scenario's address."""
    email, source = email_of(world, who), guessing_address(world)
    world.operations.sign_in_answers = sent_together(times, lambda _: _attempt(world, email, WRONG_PASSWORD, source))


def at_once_refused_and_told_to_wait(world: World, unknown: int, waiting: int, at_most_seconds: int) -> None:
    """Of the attempts made at once, ``unknown`` were refused as unknown (let in, and wrong) and ``waiting``
    told to wait at most ``at_most_seconds``: the account's limit held, however many came together."""
    answers = world.operations.sign_in_answers
    attach_json("the attempts made at once", [{"status": a.status, "error": a.error_code} for a in answers])
    assert_that(
        Counter(a.status for a in answers),
        equal_to(Counter({401: unknown, 429: waiting})),
        "the attempts made at once, by answer: refused as unknown (401), told to wait (429)",
    )
    for answer in answers:
        if answer.status == 429:
            told_to_wait(answer, at_most_seconds)


def wrong_passwords_spelled(world: World, who: str, times: int, how: str) -> None:
    """Wrong passwords for ``who``'s address written another way (``WRITTEN``): the same account's."""
    email, source = WRITTEN[how](email_of(world, who)), guessing_address(world)
    attach_json(f"{who}'s address written {how}, tried from {source}", email)
    world.operations.sign_in_answers = [_attempt(world, email, WRONG_PASSWORD, source) for _ in range(times)]


def many_accounts_guessed(world: World, source: str, accounts: int, *, claiming_to_forward: bool = False) -> None:
    """``claiming_to_forward``: each attempt says it passes on another address's request (203.0.113.x), as a
    client that is no proxy of the platform's may say to be counted elsewhere."""
    answers = [
        _attempt(
            world,
            f"{builders.unique_ref(f'guess{n}')}@nowhere.example",
            WRONG_PASSWORD,
            source,
            forwarding_for=f"203.0.113.{n + 1}" if claiming_to_forward else None,
        )
        for n in range(accounts)
    ]
    world.operations.sign_in_answers = answers


def signs_in_with_own_password(world: World, who: str, source: str | None = None) -> Answer:
    world.operations.sign_in_answer = own_sign_in(world, who, source=source)
    return world.operations.sign_in_answer


def attempts_refused_as_unknown(world: World, first: int, last: int) -> None:
    answers = world.operations.sign_in_answers[first - 1 : last]
    attach_json("the attempts checked", [{"status": a.status, "error": a.error_code} for a in answers])
    assert_that([a.status for a in answers], equal_to([401] * len(answers)), "the answers: refused, not throttled")
    assert_that(
        {a.body["error"]["message"] for a in answers},
        equal_to({"unknown tenant, email or password"}),
        "one message whatever was wrong",
    )


def told_to_wait(answer: Answer, at_most_seconds: int) -> int:
    assert_that(answer.status, equal_to(429), "the answer to a sign-in while throttled")
    assert_that(answer.body, has_entries(error=has_entries(code="too_many_attempts")), "why")
    assert_that(answer.headers.get("Retry-After"), is_not(none()), "the answer says when to try again (Retry-After)")
    wait = int(answer.headers["Retry-After"])
    assert_that(wait, all_of(greater_than(0), less_than_or_equal_to(at_most_seconds)), "seconds to wait")
    return wait


def last_attempt_told_to_wait(world: World, at_most_seconds: int) -> None:
    told_to_wait(world.operations.sign_in_answers[-1], at_most_seconds)


def signed_in(world: World) -> None:
    answer = world.operations.sign_in_answer
    assert_that(answer.status, equal_to(200), "the sign-in with the right password")
    assert_that(answer.body, has_key("access_token"), "a token")


def can_sign_in(world: World, who: str) -> None:
    signs_in_with_own_password(world, who)
    signed_in(world)


def signs_in_after_waiting(world: World, who: str) -> None:
    """Signs in with the right password until it works, within the wait the platform announced (Retry-After)."""
    wait = int(world.operations.sign_in_answer.headers["Retry-After"])
    eventually(lambda: can_sign_in(world, who), timeout=wait + 0.5, interval=0.25)


SECURITY_WORDS = {"signed_in": "signed in", "sign_in_failed": "sign-in failed", "signed_out": "signed out"}


def signs_out(world: World, name: str) -> None:
    answer = world.actor(name).api.post(Tenancy.SIGN_OUT)
    assert_that(answer.status, equal_to(204), f"{name} signing out")


def security_events_end_with(world: World, reader: str, name: str, events: list[str]) -> None:
    """``reader`` reads the audit trail; ``name``'s sign-in events, oldest first, end with ``events``."""
    user_id = world.actor(name).user_id
    entries = world.actor(reader).lists(Compliance.AUDIT)
    mine = [SECURITY_WORDS[e["action"]] for e in entries if e["action"] in SECURITY_WORDS and e["actor_id"] == user_id]
    attach_json(f"{name}'s security events in the audit trail", mine)
    assert_that(mine[-len(events) :], equal_to(events), f"the end of {name}'s security events")


OWN_ADDRESS = "127.0.0.1"  # where a person's own sign-in comes from (the harness's default loopback address)


def security_events_came_from(world: World, reader: str, name: str) -> None:
    """``reader`` reads the audit trail: ``name``'s last sign-in names her own address, her last failed sign-in
    the address the wrong password came from (``guessing_address``)."""
    user_id = world.actor(name).user_id
    entries = world.actor(reader).lists(Compliance.AUDIT)
    last = {e["action"]: e["data"].get("source") for e in entries if e["actor_id"] == user_id}
    attach_json(f"where {name}'s last sign-in and failed sign-in came from, as the trail says", last)
    assert_that(
        last,
        has_entries(signed_in=OWN_ADDRESS, sign_in_failed=guessing_address(world)),
        f"the addresses {name}'s sign-ins came from, as the security trail records them",
    )


def no_security_event_for(world: World, reader: str, email: str) -> None:
    entries = world.actor(reader).lists(Compliance.AUDIT)
    failed = [e for e in entries if e["action"] == "sign_in_failed"]
    attach_json("failed sign-ins in the audit trail", failed)
    assert_that(failed, equal_to([]), f"failed sign-ins written for {email}, an account that does not exist")
