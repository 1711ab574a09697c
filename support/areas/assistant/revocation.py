"""Rights taken away while a person is connected: their open assistant connections and their runs in flight.

World facts written here: ``assistant.connections``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
from hamcrest import assert_that, contains_string, described_as, empty, equal_to

from support.areas.assistant import tasks
from support.clients.chat_client import ChatClient
from support.clients.paths import Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.world import World

POLICY_VIOLATION = 1008  # the close code of a connection whose session has ended
ENDINGS = {  # why a session ended, as a feature says it -> what the platform's close reason says
    "his session was signed out": "signed out",
    "her session was signed out": "signed out",
    "his session expired": "expired",
    "her session expired": "expired",
    "his company was removed": "company has been removed",
    "her company was removed": "company has been removed",
}
CLOSE_WITHIN_S = 5.0


def session_expiring_in(world: World, name: str, seconds: int) -> None:
    """Gives ``name`` a session that ends in ``seconds``: their own claims, signed with the platform's key."""
    secret = world.inspectors.config.token_secret
    if not secret:
        raise AssertionError("a session that expires soon needs the platform's signing key (TOKEN_SECRET)")
    actor = world.actor(name)
    claims = jwt.decode(actor.token, options={"verify_signature": False})
    claims["exp"] = datetime.now(UTC) + timedelta(seconds=seconds)
    actor.token = jwt.encode(claims, secret, algorithm="HS256")
    actor.api = actor.api.as_user(actor.token, caller=name, company=world.tenant_id)


def connections_open(world: World, name: str) -> list[ChatClient]:
    """``name`` opens the assistant on every platform instance."""
    instances = range(len(world.inspectors.config.instance_urls))
    clients = [chat(world, name, instance=n, fresh=True) for n in instances]
    world.assistant.connections = clients
    return world.assistant.connections


def company_removed(world: World, name: str) -> None:
    """The operator removes ``name``'s company (the scenario's own), with everything it holds."""
    config = world.inspectors.config
    operator = PlatformApi(config.platform_url, admin_key=config.admin_key)
    world.actor(name)  # a person of the scenario's own company, whose company it is
    operator.call("DELETE", Tenancy.company(world.tenant_id)).expect_ok(f"the operator removing {name}'s company")


def session_runs_out(world: World, name: str) -> None:
    """Waits until ``name``'s session has expired (the token's own end, as the platform reads it)."""
    claims = jwt.decode(world.actor(name).token, options={"verify_signature": False})
    left = claims["exp"] - datetime.now(UTC).timestamp()
    if left > CLOSE_WITHIN_S:
        raise AssertionError(f"{name}'s session runs out in {left:.0f} s; a step before must make it run out soon")


def connections_closed(world: World, name: str, why: str) -> None:
    """Every connection ``name`` had open is closed by the platform, with the code and the reason of an ended
    session (``why``, as the feature says it), within CLOSE_WITHIN_S (the token's own expiry included)."""
    clients: list[ChatClient] = world.assistant.connections

    async def all_closed() -> list[tuple[int | None, str | None]]:
        return list(await asyncio.gather(*(c.wait_closed(timeout=CLOSE_WITHIN_S + 3) for c in clients)))

    try:
        closes = run_async(all_closed())
    except TimeoutError:
        closes = [(c.close_code, c.close_reason) for c in clients]
    for client in clients:
        client.attach_transcript(f"{client.name}: closed {client.close_code} {client.close_reason}")
    assert_that(
        [code for code, _ in closes],
        equal_to([POLICY_VIOLATION] * len(clients)),
        f"how {name}'s open connections were closed once {why}",
    )
    for _, reason in closes:
        assert_that(reason or "", contains_string(ENDINGS[why]), f"the reason given to {name} for closing")


def old_session_cannot_reconnect(world: World, name: str) -> None:
    """A new connection with the ended session is closed at once, as an ended session's."""
    client = chat(world, name, fresh=True)
    code, _ = run_async(client.wait_closed(timeout=CLOSE_WITHIN_S))
    client.attach_transcript()
    assert_that(code, equal_to(POLICY_VIOLATION), f"a new connection with {name}'s ended session")


def run_ended_for_session(world: World, name: str) -> None:
    """``name`` signs in again and resumes the question asked before the sign-out: it ended because the
    session ended, and wrote nothing after its thinking."""
    run = tasks.run_of(world, name)
    world.tenant().actors.pop(name, None)  # the next mention signs in again
    follower = chat(world, name, fresh=True)
    run_async(follower.send({"type": "resume", "run_id": run.run_id, "after_seq": -1}))
    run.events = run_async(follower.wait_for(run.run_id))
    follower.attach_transcript()
    ends = run.events[-1]
    assert_that(ends["type"], equal_to("agent_failed"), f"how {name}'s question ended once he had signed out")
    assert_that(ends["data"]["code"], equal_to("session_ended"), "why it ended")
    written = [e for e in run.events if e["type"] == "tool_completed" and e["data"]["status"] == "ok"]
    assert_that(written, described_as("tool calls that ran after the session ended", empty()))
