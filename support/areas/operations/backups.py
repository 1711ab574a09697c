"""An operator backs up a company and restores it: whole, verifiable, and nothing of another company.

World facts written here: ``operations.backup``, ``operations.backed_up``, ``operations.restore_answer``,
``operations.restore_answers``,
``tenancy.holdings`` (every company's holdings, noted at the backup as before a removal)."""

from __future__ import annotations

import json

from hamcrest import assert_that, contains_string, described_as, equal_to, has_entries, is_not

from support.areas.tenancy import removal
from support.clients.analytics_store_reader import AnalyticsStoreReader
from support.clients.paths import Compliance, Tenancy
from support.clients.platform_api import Answer
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.matchers import refused_because
from support.scenario.personas import COMPLIANCE_PERSONA
from support.scenario.together import done_once, sent_together, the_one_done
from support.scenario.world import World

RESTORED = "company_restored"
SIGNED_IN = "signed_in"


def backs_up(world: World, company: str) -> None:
    """The operator takes the company's backup; every company's holdings are noted first."""
    for name in world.companies_named():
        world.actor(COMPLIANCE_PERSONA, name)  # signed in before the count: a sign-in is itself audited
    world.tenancy.holdings = {name: removal.holdings(world, name) for name in world.companies_named()}
    world.operations.backed_up = world.tenancy.holdings[company]
    world.operations.backup = (
        world.inspectors.operator().get(Tenancy.backup(world.tenant(company).id)).expect_ok("the backup")
    )


def restores(world: World, company: str) -> None:
    """The operator restores ``company`` from the backup taken earlier."""
    world.operations.restore_answer = world.inspectors.operator().post(Tenancy.RESTORE, _backup_of(world, company))


def signs_out_since(world: World, name: str, company: str) -> None:
    """``name`` of ``company`` signs out after the backup was taken."""
    world.actor(name, company).api.post(Tenancy.SIGN_OUT).expect_ok(f"{name} of {company} signing out")


def sessions_before_the_restore_refused(world: World, company: str, *, signed_out: str) -> None:
    """Every session of the company's people the scenario began, all before the restore, is refused as signed
    out (``signed_out``'s, signed out since the backup, among them); they are forgotten, and each person signs
    in again when next named."""
    tenant = world.tenant(company)
    if signed_out not in tenant.actors:
        raise AssertionError(f"{signed_out} of {company} began no session before the restore: nothing to refuse")
    answers = {name: actor.api.get(Tenancy.ME) for name, actor in tenant.actors.items()}
    attach_json(
        f"the sessions of {company} begun before its restore, as answered", {n: a.body for n, a in answers.items()}
    )
    assert_that(
        {name: (answer.status, _told(answer)) for name, answer in answers.items()},
        equal_to({name: (401, "this session has been signed out") for name in answers}),
        f"the sessions of {company}'s people begun before its restore",
    )
    tenant.actors.clear()


def _told(answer: Answer) -> object:
    """What an answer told: a refusal's message, else the whole body."""
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    return error.get("message") if isinstance(error, dict) else answer.body


def comes_back_whole(world: World, company: str) -> None:
    """Every record the company held at its backup, its audit trail the same with the restore after it, and
    after that only the sign-ins of its people coming back, verified."""
    answer = world.operations.restore_answer
    assert_that(answer.status, equal_to(201), f"the restore of {company}: {answer.body}")
    before = world.operations.backed_up
    trail = list(before["audit trail"])
    world.tenant(company).actors.clear()  # its people sign in again: their sessions ended with the restore
    after = removal.holdings(world, company)
    auditor = world.actor(COMPLIANCE_PERSONA, company).api
    since = auditor.get(Compliance.AUDIT, after_seq=len(trail)).expect_ok("the entries since the backup")
    actions = [entry["action"] for entry in since]
    assert_that(
        actions,
        equal_to([RESTORED, *[SIGNED_IN] * (len(actions) - 1)]),
        "the trail after the backup's last entry: the restore, then only its people signing in again",
    )
    expected = {**before, "audit trail": [*trail, *range(len(trail) + 1, len(trail) + 1 + len(actions))]}
    if "rows by table" in before:
        expected["rows by table"] = {
            **before["rows by table"],
            "audit_entries": before["rows by table"]["audit_entries"] + len(actions),
        }
    assert_that(after, described_as(f"what {company} holds after its restore, against its backup", equal_to(expected)))
    verified = auditor.get(Compliance.AUDIT_VERIFY).expect_ok("verifying the restored trail")
    assert_that(verified, has_entries(intact=True), f"{company}'s restored audit trail, from its first entry")


def analytics_copied_from_its_trail(world: World, company: str, *, restored: bool = True) -> None:
    """The analytics store holds each entry of the company's trail once (by seq and action), and nothing else: of a
    restored company, no event of it as it was before its removal (the ingester forgets those and copies the
    restored trail again); waited for, as the ingester copies within a moment."""
    store = AnalyticsStoreReader(world.inspectors.config.analytics_url)
    if not store.available:  # a deployment without analytics: nothing to hold (said in the report)
        attach_json(f"{company}'s analytics", {"checked": False, "why": "no analytics store is given (ANALYTICS_URL)"})
        return
    auditor = world.actor(COMPLIANCE_PERSONA, company)
    trail_named = "its restored trail" if restored else "its trail"

    def copied_once() -> None:
        trail = [(entry["seq"], entry["action"]) for entry in auditor.lists(Compliance.AUDIT)]
        assert_that(
            store.trail_copied(world.tenant(company).id),
            equal_to(trail),
            f"the entries of {company}'s trail the analytics store holds, against {trail_named}",
        )

    eventually(copied_once, timeout=10.0, interval=0.2)


def holds_one_company(world: World, company: str, other: str) -> None:
    """The backup holds every row of the company, by table, and nothing naming the other company."""
    backup = world.operations.backup
    mine, theirs = world.tenant(company), world.tenant(other)
    counts = {table: len(rows) for table, rows in backup["tables"].items()}
    in_database = world.db.company_rows_by_table(mine.id)
    if in_database is not None:
        expected = {table: n for table, n in in_database.items() if table != "tenants"}
        assert_that(counts, described_as(f"the backup's rows of {company} by table", equal_to(expected)))
    owners = {row["tenant_id"] for rows in backup["tables"].values() for row in rows}
    assert_that(owners, equal_to({str(mine.id)}), "every row of the backup belongs to the company backed up")
    text = json.dumps(backup)
    for trace in (str(theirs.id), theirs.slug):
        assert_that(text, is_not(contains_string(trace)), f"{other} named in {company}'s backup")


def restores_at_once(world: World, company: str, times: int) -> None:
    """The operator restores ``company`` from the backup taken earlier ``times`` times at the same moment."""
    operator, backup = world.inspectors.operator(), _backup_of(world, company)
    answers = sent_together(times, lambda _: operator.post(Tenancy.RESTORE, backup))
    world.operations.restore_answers = answers
    world.operations.restore_answer = the_one_done(answers)


def _backup_of(world: World, company: str) -> dict:
    """The backup taken earlier, which the step says is ``company``'s (never another's)."""
    backup = world.operations.backup
    if backup["company"]["id"] != world.tenant(company).id:
        raise AssertionError(f"the backup taken earlier is of {backup['company']['slug']!r}, not of {company}")
    return backup


def restored_once(world: World) -> None:
    """One restore is done; each other is refused as the company being there, as one sent after it would be."""
    done_once(
        world.operations.restore_answers,
        done=201,
        refused=(409, "company_exists"),
        what="the restores of one backup sent at the same moment",
    )


def restore_refused_as_there(world: World) -> None:
    answer = world.operations.restore_answer
    assert_that(answer, refused_because("company_exists"), "restoring a company that is still there")
    assert_that(answer.status, equal_to(409), "a restore over a company that is there")
