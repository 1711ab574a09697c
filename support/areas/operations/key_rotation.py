"""The token signing key rotated (embedded stack): on the second instance by a restart, or on every instance with
no restart (its settings file read again on SIGHUP, or at the operator's one call); old sessions honoured, then
retired.

The keys are put back as the stack started them at cleanup. World facts written here: ``operations.new_key``,
``operations.reload_answer``, ``operations.rotation``, ``operations.sessions``."""

from __future__ import annotations

import secrets
import signal
from collections.abc import Callable
from pathlib import Path

import jwt
from hamcrest import assert_that, contains_string, equal_to, has_entries, is_not

from support.areas.operations import sign_in
from support.clients.faults import InstanceSettings
from support.clients.paths import Operations, Tenancy
from support.clients.platform_api import PlatformApi
from support.clients.platform_processes import platform_processes
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.facts import OperationsFacts, known
from support.scenario.world import World

INSTANCE = "platform-2"


def _instance_url(world: World, instance: int) -> str:
    urls = world.inspectors.config.instance_urls
    if instance not in (1, 2) or len(urls) < 2 or not world.inspectors.config.stack_control_url:
        raise AssertionError("the embedded stack's two instances are needed (STACK_CONTROL_URL)")
    return urls[instance - 1]


def signed_in_before(world: World, name: str) -> None:
    world.operations.sessions[("earlier", name)] = world.actor(name).token


def restarted_with(world: World, instance: int, *, keep_previous: bool) -> None:
    if instance != 2:
        raise AssertionError("only the embedded stack's second instance is restarted")
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


RELOADED = "settings reloaded"
REFUSED = "settings reload refused"
OPERATOR_CALL = "an operator's call"  # how an instance's log says who asked for a reload
SIGNAL = "SIGHUP"  # ... when sent the signal (a reload of its own, on hearing Redis again, says neither)


def rotated_without_restart(world: World, *, keep_previous: bool) -> None:
    """Every instance takes a new signing key (keeping the previous one or not) from its settings file, sent
    SIGHUP, with no restart; waits until each says it reloaded."""
    config = world.inspectors.config
    if not config.platform_settings_file or not config.token_secret:
        raise AssertionError("rotating without a restart needs the embedded stack's settings file and key")
    previous = config.token_secret if keep_previous else ""
    _reload_every_instance(world, f"TOKEN_SECRET={_new_key(world)}\nTOKEN_PREVIOUS_SECRETS={previous}\n")


def refused_change_without_restart(world: World, setting: str, value: str) -> None:
    """Every instance is given a new signing key (not keeping the previous one) and a setting that needs a
    restart, sent SIGHUP; each must refuse the whole change and say so, naming the setting."""
    config = world.inspectors.config
    if not config.platform_settings_file:
        raise AssertionError("changing settings without a restart needs the embedded stack's settings file")
    _reload_every_instance(world, f"TOKEN_SECRET={_new_key(world)}\n{setting}={value}\n", said=f"{REFUSED} ({SIGNAL})")


def each_instance_refused_naming(world: World, setting: str) -> None:
    logs = [Path(p) for p in (world.inspectors.config.platform_logs or "").split(",") if p]
    for log in logs:
        refusal = [line for line in log.read_text(errors="replace").splitlines() if REFUSED in line][-1]
        assert_that(refusal, contains_string(f"{setting} (changes only with a restart)"), f"what {log.stem} said")
        assert_that(refusal, is_not(contains_string(world.operations.new_key)), f"{log.stem} repeating the key")


def _new_key(world: World) -> str:
    """The scenario's new signing key, made once; at cleanup every instance reads its settings file emptied
    again (back to the keys the stack started with)."""
    if not known(world.operations, OperationsFacts.new_key):
        world.operations.new_key = secrets.token_urlsafe(48)
        world.on_cleanup(lambda: _reload_every_instance(world, ""))
    return world.operations.new_key


def operator_rotates(world: World, *, keep_previous: bool) -> None:
    """A new signing key (keeping the previous one or not) in the settings file, and the operator's one call to
    the first instance to reload every instance; waits until each instance says it reloaded at an operator's call."""
    config = world.inspectors.config
    if not config.platform_settings_file or not config.token_secret:
        raise AssertionError("rotating at an operator's call needs the embedded stack's settings file and key")
    previous = config.token_secret if keep_previous else ""
    settings = f"TOKEN_SECRET={_new_key(world)}\nTOKEN_PREVIOUS_SECRETS={previous}\n"
    _reload_every_instance(world, settings, said=f"{RELOADED} ({OPERATOR_CALL}", ask=lambda: _operator_call(world))


def operator_sets(world: World, setting: str, value: str, *, others_hear: bool = True) -> None:
    """One setting that may change while running written to the settings file, and the operator's one call;
    waits until each instance says it reloaded at the call (the instance called alone when the others cannot
    hear it: ``others_hear`` False, Redis away). At cleanup every instance reads the file emptied again."""
    if not world.inspectors.config.platform_settings_file:
        raise AssertionError("changing settings at an operator's call needs the embedded stack's settings file")
    world.on_cleanup(lambda: _reload_every_instance(world, ""))
    _reload_every_instance(
        world,
        f"{setting}={value}\n",
        said=f"{RELOADED} ({OPERATOR_CALL}",
        ask=lambda: _operator_call(world),
        instances=None if others_hear else 1,
    )


def operator_asks_for_a_change_needing_a_restart(world: World, setting: str, value: str) -> None:
    """A new signing key and a setting that needs a restart in the settings file, and the operator's call."""
    if not world.inspectors.config.platform_settings_file:
        raise AssertionError("changing settings at an operator's call needs the embedded stack's settings file")
    _write_settings(world, f"TOKEN_SECRET={_new_key(world)}\n{setting}={value}\n")
    _operator_call(world)


def operator_told_what_changed(world: World, changed: list[str], others: int) -> None:
    answer = world.operations.reload_answer
    assert_that(
        answer.expect_ok("the operator's call to reload the settings"),
        has_entries(changed=equal_to(changed), instances_told=equal_to(others)),
        "the settings the instance called took anew, and how many others were told",
    )


def operator_told_refused(world: World, setting: str) -> None:
    answer = world.operations.reload_answer
    assert_that(answer.status, equal_to(422), f"the answer to a change needing a restart: {answer.body}")
    assert_that(answer.error_code, equal_to("settings_refused"), "why the change was refused")
    assert_that(answer.body["error"]["field"], equal_to(setting), "the setting named as what was wrong")
    message = answer.body["error"]["message"]
    assert_that(message, contains_string(f"{setting} (changes only with a restart)"), "the setting named")
    assert_that(message, is_not(contains_string(world.operations.new_key)), "the refusal repeating the key")


def each_instance_logged_the_operator(world: World) -> None:
    """Each instance's last reload in its log says it was at an operator's call (who asked is kept)."""
    for log in [Path(p) for p in (world.inspectors.config.platform_logs or "").split(",") if p]:
        reloads = [line for line in log.read_text(errors="replace").splitlines() if RELOADED in line]
        assert_that(reloads and reloads[-1], contains_string(OPERATOR_CALL), f"who {log.stem} says asked")


def _operator_call(world: World) -> None:
    world.operations.reload_answer = world.inspectors.operator().post(Operations.SETTINGS_RELOAD, {})


def _write_settings(world: World, settings: str) -> None:
    Path(world.inspectors.config.platform_settings_file or "").write_text(
        f"# settings over the environment\n{settings}"
    )
    attach_json(
        "settings file changed",
        {"settings": sorted(line.split("=")[0] for line in settings.splitlines() if "=" in line)},
    )


def _reload_every_instance(
    world: World,
    settings: str,
    said: str = f"{RELOADED} ({SIGNAL})",
    ask: Callable[[], None] | None = None,
    instances: int | None = None,
) -> None:
    """The settings file written, then every instance sent SIGHUP (or ``ask`` called: the operator's call);
    waits until each instance's log (the first ``instances`` only, when given) says ``said`` once more."""
    config = world.inspectors.config
    logs = [Path(p) for p in (config.platform_logs or "").split(",") if p][:instances]
    before = [log.read_text(errors="replace").count(said) for log in logs]
    _write_settings(world, settings)
    if ask is None:
        for process in platform_processes(config.instance_urls):
            process.send_signal(signal.SIGHUP)
    else:
        ask()

    def each_reloaded() -> None:
        now = [log.read_text(errors="replace").count(said) for log in logs]
        assert_that(now, equal_to([n + 1 for n in before]), f"instances that said: {said}")

    eventually(each_reloaded, timeout=10, interval=0.1)
