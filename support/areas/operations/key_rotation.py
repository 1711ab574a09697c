"""The token signing key rotated on the second platform instance (embedded stack): old sessions honoured, then retired.

The instance is restarted as it was at cleanup. World facts written here: ``operations.new_key``, ``operations.rotation``, ``operations.sessions``."""

from __future__ import annotations

import secrets

import jwt
from hamcrest import assert_that, equal_to

from support.areas.operations import sign_in
from support.clients.faults import InstanceSettings
from support.clients.paths import Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario.facts import OperationsFacts, known
from support.scenario.world import World

INSTANCE = "platform-2"


def _instance_url(world: World, instance: int) -> str:
    urls = world.inspectors.config.instance_urls
    if instance != 2 or len(urls) < 2 or not world.inspectors.config.stack_control_url:
        raise AssertionError("only the embedded stack's second instance can be restarted (STACK_CONTROL_URL)")
    return urls[1]


def signed_in_before(world: World, name: str) -> None:
    world.operations.sessions[("earlier", name)] = world.actor(name).token


def restarted_with(world: World, instance: int, *, keep_previous: bool) -> None:
    _instance_url(world, instance)
    old_key = world.inspectors.config.token_secret
    if not old_key:
        raise AssertionError("the stack's signing key is needed (TOKEN_SECRET)")
    if not known(world.operations, OperationsFacts.new_key):
        world.operations.new_key = secrets.token_urlsafe(48)
    new_key = world.operations.new_key
    settings = {"TOKEN_SECRET": new_key, "TOKEN_PREVIOUS_SECRETS": old_key if keep_previous else ""}
    rotation = InstanceSettings(world.inspectors.config.stack_control_url or "", INSTANCE, settings)
    if not known(world.operations, OperationsFacts.rotation):  # restored once, as the stack started it
        world.on_cleanup(rotation.heal)
    world.operations.rotation = rotation


def _me(world: World, instance: int, token: str) -> int:
    return PlatformApi(_instance_url(world, instance), token=token).get(Tenancy.ME).status


def session_answered(world: World, name: str, which: str, instance: int, status: int) -> None:
    token = world.operations.sessions[(which, name)]
    assert_that(
        _me(world, instance, token), equal_to(status), f"who-am-I with the {which} session on instance {instance}"
    )


def new_sign_in(world: World, name: str, instance: int) -> None:
    answer = sign_in.own_sign_in(world, name, platform_url=_instance_url(world, instance))
    token = answer.expect_ok(f"{name} signing in on instance {instance}")["access_token"]
    world.operations.sessions[("new", name)] = token


def new_session_signed_with_new_key(world: World) -> None:
    token = next(token for (which, _), token in reversed(world.operations.sessions.items()) if which == "new")
    claims = jwt.decode(token, world.operations.new_key, algorithms=["HS256"])
    assert_that(claims["tid"], equal_to(world.tenant_id), "the new token, verified with the new key")
    try:
        jwt.decode(token, world.inspectors.config.token_secret or "", algorithms=["HS256"])
    except jwt.InvalidSignatureError:
        return
    raise AssertionError("the new token also verifies with the old key: it was not signed with the new one")
