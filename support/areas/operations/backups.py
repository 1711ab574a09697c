"""An operator backs up a company and restores it: whole, verifiable, and nothing of another company.

World facts written here: ``operations.backup``, ``operations.restore_answer``, ``tenancy.holdings`` (every
company's holdings, noted at the backup as before a removal)."""

from __future__ import annotations

import json

from hamcrest import assert_that, contains_string, described_as, equal_to, has_entries, is_not

from support.areas.tenancy import removal
from support.clients.paths import Compliance, Tenancy
from support.scenario.matchers import refused_because
from support.scenario.personas import COMPLIANCE_PERSONA
from support.scenario.world import World

RESTORED = "company_restored"


def backs_up(world: World, company: str) -> None:
    """The operator takes the company's backup; every company's holdings are noted first."""
    for name in world.companies_named():
        world.actor(COMPLIANCE_PERSONA, name)  # signed in before the count: a sign-in is itself audited
    world.tenancy.holdings = {name: removal.holdings(world, name) for name in world.companies_named()}
    world.operations.backup = (
        world.inspectors.operator().get(Tenancy.backup(world.tenant(company).id)).expect_ok("the backup")
    )


def restores(world: World, company: str) -> None:
    """The operator restores the company from the backup taken earlier."""
    world.operations.restore_answer = world.inspectors.operator().post(Tenancy.RESTORE, world.operations.backup)


def comes_back_whole(world: World, company: str) -> None:
    """Every record the company held before, its audit trail the same with the restore after it, verified."""
    answer = world.operations.restore_answer
    assert_that(answer.status, equal_to(201), f"the restore of {company}: {answer.body}")
    before = world.tenancy.holdings[company]
    trail = list(before["audit trail"])
    expected = {**before, "audit trail": [*trail, len(trail) + 1]}
    if "rows by table" in before:
        rows = dict(before["rows by table"])
        rows["audit_entries"] += 1
        expected["rows by table"] = rows
    after = removal.holdings(world, company)
    assert_that(after, described_as(f"what {company} holds after its restore, against before", equal_to(expected)))
    auditor = world.actor(COMPLIANCE_PERSONA, company).api
    verified = auditor.get(Compliance.AUDIT_VERIFY).expect_ok("verifying the restored trail")
    assert_that(verified, has_entries(intact=True), f"{company}'s restored audit trail, from its first entry")
    last = auditor.get(Compliance.AUDIT, after_seq=len(trail)).expect_ok("the restore's entry")
    assert_that([entry["action"] for entry in last], equal_to([RESTORED]), "the restore is audited, last")


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


def restore_refused_as_there(world: World) -> None:
    answer = world.operations.restore_answer
    assert_that(answer, refused_because("company_exists"), "restoring a company that is still there")
    assert_that(answer.status, equal_to(409), "a restore over a company that is there")
