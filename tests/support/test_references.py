"""Every record an answer names by its id is one of the company's, of that kind (support/invariants/references.py)."""

from __future__ import annotations

import json

from support.clients.exchanges import HttpExchange
from support.invariants.histories import RESTORE
from support.invariants.references import Named

DEAL, PROJECT, SAM = (
    "d0000000-0000-4000-8000-000000000001",
    "e0000000-0000-4000-8000-000000000001",
    "a" * 8 + "-0000-4000-8000-000000000001",
)
ROWS = {"opportunities": {DEAL: "x"}, "projects": {PROJECT: "x"}, "users": {SAM: "x"}}


def _answer(
    *records: dict, company: str | None = "acme-id", path: str = "/api/v1/notifications", status: int = 200
) -> HttpExchange:
    body = json.dumps(records[0] if len(records) == 1 else list(records))
    method = "POST" if path == RESTORE else "GET"
    return HttpExchange(method, path, "Sam", company, status, {"content-type": "application/json"}, body, "s")


NOTICE = {"id": "n-1", "kind": "tasks_assigned", "read": False, "subject_type": "project", "subject_id": PROJECT}


def test_ids_naming_records_of_their_kind_make_no_finding():
    named = Named()
    named.note([_answer(NOTICE, {"id": DEAL, "lead_id": None, "stage": "won", "owner_id": SAM, "project_id": PROJECT})])
    assert named.dangling("acme-id", "acme", ROWS) == []


def test_an_id_of_another_kind_or_of_nothing_is_named_with_the_answer_that_showed_it():
    named = Named()
    wrong_kind = {**NOTICE, "subject_id": DEAL}  # the deal's id where its project's was meant
    nothing = {"id": "t-1", "title": "Kick-off", "assignee_id": "b" * 8 + "-0000-4000-8000-000000000009"}
    named.note([_answer(wrong_kind), _answer(nothing, path="/api/v1/projects")])
    assert named.dangling("acme-id", "acme", ROWS) == [
        f"the answer to GET /api/v1/notifications (by Sam) shows subject_id {DEAL}, which is none of the projects of acme",
        "the answer to GET /api/v1/projects (by Sam) shows assignee_id bbbbbbbb-0000-4000-8000-000000000009, which is "
        "none of the users of acme",
    ]


def test_no_claim_for_approvals_refusals_the_operator_nothing_read_or_a_restore():
    named = Named()
    approval = {"id": "ap-1", "requested_by": SAM, "subject_type": "payment", "subject_id": DEAL, "status": "pending"}
    named.note([_answer(approval), _answer({**NOTICE, "subject_id": DEAL}, status=404), _answer(NOTICE, company=None)])
    assert named.ids == {}
    named.note([_answer({**NOTICE, "subject_id": DEAL})])
    assert named.dangling("acme-id", "acme", None) == [] and named.dangling("acme-id", "acme", {}) == []
    named.note([_answer({"id": "c", "slug": "acme", "rows": {}}, company=None, path=RESTORE)])
    assert named.dangling("acme-id", "acme", ROWS) == []
