"""Compliance outcomes: the audit trail's integrity, completeness and the business actions it records.

World facts written here: ``compliance.tampered_seq``.
"""

from __future__ import annotations

from typing import Any

from hamcrest import (
    assert_that,
    contains_exactly,
    described_as,
    empty,
    equal_to,
    greater_than,
    has_entries,
    has_length,
)

from support.clients import audit_chain
from support.clients.database_tamper import (
    remove_every_audit_entry,
    remove_newest_audit_entry,
    tamper_with_audit_entry,
    tamper_with_audit_entry_at,
)
from support.clients.paths import Compliance
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

ADMINISTRATION = frozenset({"tenant_created", "user_added", "settings_changed"})
SECURITY = frozenset(
    {"signed_in", "sign_in_failed", "signed_out", "assistant_tool_refused", "access_denied", "role_changed"}
)
NOT_BUSINESS = ADMINISTRATION | SECURITY  # left out when a scenario checks the business events of a trail


def verification(world: World, name: str) -> dict:
    return world.actor(name).api.get(Compliance.AUDIT_VERIFY).expect_ok(f"{name} verifying the audit trail")


def audit_intact(world: World, name: str) -> None:
    result = verification(world, name)
    assert_that(result, has_entries(intact=True, broken_at_seq=None), "the verification")
    rows = world.db.rows("audit_actions", tenant=world.tenant_id)
    if rows is not None:
        assert_that(result["entries"], equal_to(len(rows)), "entries verified, against entries stored")


def chain_recomputed_by_an_outsider(world: World, name: str) -> None:
    """The whole trail, read oldest first, recomputed from the documented recipe: it starts from the documented
    value and each hash is that of its own entry's fields."""
    entries = sorted(world.actor(name).lists(Compliance.AUDIT), key=lambda entry: entry["seq"])
    assert_that(entries, described_as("entries of the trail", has_length(greater_than(0))))
    assert_that(entries[0]["prev_hash"], equal_to(audit_chain.STARTING_VALUE), "what the first entry follows")
    assert_that(audit_chain.breaks(entries), empty(), "the chain recomputed from the documented recipe")


def works_for_the_company(world: World, name: str) -> None:
    """``name`` joins the company now (her joining is itself an audit entry, written before what follows)."""
    world.actor(name)


def tamper(world: World, entry_words: str) -> None:
    """Alters one entry: "the oldest", "the newest", or the one of an action ("invoice issued")."""
    database_url = world.inspectors.config.database_url
    if not database_url:
        raise AssertionError("tampering needs DATABASE_URL")
    if entry_words in ("the oldest", "the newest"):
        seq = tamper_with_audit_entry_at(database_url, world.tenant_id, entry_words.removeprefix("the "))
    else:
        seq = tamper_with_audit_entry(database_url, world.tenant_id, entry_words.replace(" ", "_"))
    world.compliance.tampered_seq = seq


REMOVALS = {"the newest entry": remove_newest_audit_entry, "every entry": remove_every_audit_entry}


def remove_entries(world: World, which: str) -> None:
    """Removes ``which`` entries of the company's trail (``REMOVALS``) in the database, behind the platform's
    back; the first one missing is the one the verification must name."""
    database_url = world.inspectors.config.database_url
    if not database_url:
        raise AssertionError("tampering needs DATABASE_URL")
    world.compliance.tampered_seq = REMOVALS[which](database_url, world.tenant_id)


def audit_broken_at_tampered_entry(world: World, name: str) -> None:
    assert_that(
        verification(world, name),
        has_entries(intact=False, broken_at_seq=world.compliance.tampered_seq),
        "the verification names the altered entry",
    )


def audit_complete(world: World, name: str, actions: list[str]) -> None:
    """Exactly these business events, once each, in order, each with who did it and when (increasing)."""
    entries = [e for e in world.actor(name).lists(Compliance.AUDIT) if e["action"] not in NOT_BUSINESS]
    assert_that(
        [e["action"].replace("_", " ") for e in entries],
        contains_exactly(*actions),
        "one entry per business event, in order",
    )
    assert_that([e["seq"] for e in entries if not e["actor_id"]], described_as("entries without an actor", empty()))
    times = [e["occurred_at"] for e in entries]
    assert_that(times, equal_to(sorted(times)), "entry times follow their order")
    assert_that(
        len({(e["action"], e["entity_id"]) for e in entries}), equal_to(len(entries)), "no event recorded twice"
    )


def audit_read_in_pages(world: World, name: str, size: int) -> None:
    """Read ``size`` entries at a time, each page after the last one's seq, the trail is the whole trail:
    every entry once, in order, and no page longer than asked."""
    auditor = world.actor(name)
    whole = [e["seq"] for e in auditor.lists(Compliance.AUDIT)]
    pages: list[list[int]] = []
    after = 0
    while len(pages) <= len(whole):  # never more pages than entries: a reader that repeats itself ends
        page = [e["seq"] for e in auditor.api.get(Compliance.AUDIT, after_seq=after, limit=size).expect_ok("a page")]
        if not page:
            break
        pages.append(page)
        after = page[-1]
    assert_that(len(whole), greater_than(size), f"a trail longer than one page of {size}")
    assert_that([seq for page in pages for seq in page], equal_to(whole), f"the trail read {size} entries at a time")
    assert_that([len(page) for page in pages if len(page) > size], described_as("pages longer than asked", empty()))


def _business_actions(world: World) -> list[str]:
    entries = world.actor(OWNER_PERSONA).lists(Compliance.AUDIT)
    from_api = [e["action"] for e in entries if e["action"] not in NOT_BUSINESS]
    rows = world.db.rows("audit_actions", tenant=world.tenant_id)
    if rows is not None:
        assert_that(
            [r["seq"] for r in rows], equal_to(list(range(1, len(rows) + 1))), "audit entries are numbered without gaps"
        )
        from_db = [r["action"] for r in rows if r["action"] not in NOT_BUSINESS]
        assert_that(from_db, equal_to(from_api), "the stored audit trail matches the one the platform shows")
    return [action.replace("_", " ") for action in from_api]


def trail_entries(world: World) -> list[dict[str, Any]]:
    """Every entry of the company's trail as the platform shows it, oldest first (security and administration
    included)."""
    return sorted(world.actor(OWNER_PERSONA).lists(Compliance.AUDIT), key=lambda entry: entry["seq"])


def audit_trail_is(world: World, actions: list[str]) -> None:
    assert_that(_business_actions(world), contains_exactly(*actions), "the audit trail, in order")


def audit_trail_ends_with(world: World, actions: list[str]) -> None:
    trail = _business_actions(world)
    assert_that(trail[-len(actions) :], contains_exactly(*actions), "the end of the audit trail")


def entries_each_once(world: World, name: str, count: int, action_words: str) -> None:
    """``count`` entries of the action, each for its own record, the trail numbered without a gap or a repeat."""
    entries = world.actor(name).lists(Compliance.AUDIT)
    seqs = [e["seq"] for e in entries]
    assert_that(seqs, equal_to(list(range(1, len(seqs) + 1))), "the trail's entries, numbered without gap or repeat")
    action = action_words.replace(" ", "_")
    records = [e["entity_id"] for e in entries if e["action"] == action]
    assert_that(len(records), equal_to(count), f"{action_words} entries")
    assert_that(len(set(records)), equal_to(count), f"{action_words} entries, one per record")
