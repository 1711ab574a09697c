"""A follow-up the assistant is writing, held up at the database while the asker's rights change.

The delivery project's row is locked by the harness before the person asks, so the assistant's write
waits in the middle of its transaction (its task refers to the project). A watcher lets it go as soon as
another database session waits behind the write (the change of rights waiting for it, as it must), or
after ``LET_GO_AFTER_S`` if none ever does (the change went through while the write was still under
way, which the trail then shows). Well inside the write's own time limit (5 s by default).

World facts written here: ``assistant.held_write``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from hamcrest import assert_that, contains_exactly, has_items, has_length

from support.areas.assistant import tasks
from support.areas.compliance.checks import trail_entries
from support.clients.faults import HeldProjectRow
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.world import World

WRITE_REACHES_HOLD_S = 5.0  # how long the write may take to reach the held project
LET_GO_AFTER_S = 2.0  # the longest the write is held once it waits, when no change waits behind it
CHANGES = {  # a change of rights, as a feature says it -> the audit trail's action for it
    "his role changed": "role_changed",
    "her role changed": "role_changed",
    "he signed out": "signed_out",
    "she signed out": "signed_out",
}


@dataclass
class HeldWrite:
    hold: HeldProjectRow
    writer: int  # the database session of the write waiting for the hold
    let_go: threading.Event = field(default_factory=threading.Event)
    seen: dict[str, object] = field(default_factory=dict)  # what the watcher saw, for the report


def asked_with_the_write_held(world: World, name: str, question: str) -> HeldWrite:
    """``name`` asks ``question`` (a follow-up) while the project's row is held; returns once the write waits
    for it, with a watcher that lets it go as the module says."""
    url = world.inspectors.config.database_url
    if not url:
        raise AssertionError("holding a write at the database needs DATABASE_URL")
    hold = HeldProjectRow(url, str(world.sales.project["id"]))
    world.holding(hold)
    tasks.ask(world, name, question, wait_for=None)
    waiting = eventually(lambda: _one_write(hold), timeout=WRITE_REACHES_HOLD_S)
    held = HeldWrite(hold, waiting)
    threading.Thread(target=_watch, args=(held,), name="held-write watcher", daemon=True).start()
    world.assistant.held_write = held
    return held


def _one_write(hold: HeldProjectRow) -> int:
    waiting = hold.waiting_for()
    assert_that(waiting, has_length(1), "database sessions waiting for the held project (the assistant's write)")
    return waiting[0]


def _watch(held: HeldWrite) -> None:
    began = time.monotonic()
    behind: list[int] = []
    while time.monotonic() - began < LET_GO_AFTER_S and not behind:
        time.sleep(0.02)
        behind = held.hold.waiting_for(held.writer)
    held.hold.release()
    held.seen.update(
        {
            "held_s": round(time.monotonic() - began, 2),
            "let_go_because": "a change of rights waited behind the write" if behind else "nothing waited behind it",
        }
    )
    held.let_go.set()


def written_before(world: World, name: str, change: str) -> None:
    """``name``'s follow-up, written while it was held, comes before ``change`` in the company's trail: what
    the assistant wrote, it wrote with rights the person still had."""
    held: HeldWrite = world.assistant.held_write
    if not held.let_go.wait(LET_GO_AFTER_S + 5):
        raise AssertionError("the held write was never let go")
    attach_json("the held write", held.seen)
    wanted, person = CHANGES[change], str(world.actor(name).user_id)
    mine = {  # the person's follow-up (they asked, the assistant wrote it) and the change of their own rights
        "task_created": lambda entry: str(entry["actor_id"]) == person,
        wanted: lambda entry: str(entry["entity_id"]) == person,
    }

    def both_in_the_trail() -> list[str]:
        actions = [e["action"] for e in trail_entries(world) if e["action"] in mine and mine[e["action"]](e)]
        assert_that(actions, has_items(*mine), f"{name}'s entries in the trail, once the follow-up was let go")
        return actions

    actions = eventually(both_in_the_trail, timeout=WRITE_REACHES_HOLD_S)
    order = sorted(mine, key=lambda action: _last(actions, action))
    assert_that(
        order,
        contains_exactly("task_created", wanted),
        f"{name}'s follow-up and the moment {change}, in the trail's order: a change of rights waits for a write "
        "the assistant has begun, so nothing is written after the rights are gone",
    )


def _last(actions: list[str], action: str) -> int:
    return len(actions) - 1 - actions[::-1].index(action)
