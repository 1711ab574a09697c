"""The platform's contract is pinned in the repository: the running platform says exactly what is pinned."""

from __future__ import annotations

import difflib
import json

import requests

from support.contract.pinned import OPENAPI, answer_problems, pinned_text


def test_the_running_platforms_openapi_document_is_the_pinned_one(stack):
    served = pinned_text(requests.get(stack.env["PLATFORM_URL"] + "/openapi.json", timeout=10).json())
    pinned = OPENAPI.read_text()
    drift = "".join(difflib.unified_diff(pinned.splitlines(True), served.splitlines(True), "pinned", "served", n=2))
    assert served == pinned, (
        "the platform's OpenAPI document differs from docs/contract/openapi.json; if the change is meant (and "
        "additive), pin it with `.venv/bin/python -m support.contract.pinned --write` and review the diff:\n"
        + drift[:4000]
    )


def test_the_pinned_message_schema_takes_the_contracts_envelope_and_nothing_else():
    from support.contract.pinned import frame_problems

    started = {
        "v": 1,
        "type": "agent_started",
        "run_id": "a" * 32,
        "thread_id": "t",
        "seq": 0,
        "event_id": "a:0",
        "ts": "2026-12-03T00:00:00+00:00",
        "tool_call_id": None,
        "data": {"input": "What is our pipeline?"},
    }
    assert frame_problems(json.dumps(started)) == []
    assert frame_problems(json.dumps({**started, "secret": "x"})) != []
    assert frame_problems(json.dumps({**started, "data": {"input": "q", "asked_by": "x"}})) != []
    completed = {**started, "type": "tool_completed", "tool_call_id": "c", "data": {"status": "maybe"}}
    assert frame_problems(json.dumps(completed)) != []


def test_a_head_request_is_held_to_its_gets_contract_and_may_carry_no_body():
    assert answer_problems("HEAD", "/api/v1/leads", 200, "") == []
    assert answer_problems("HEAD", "/api/v1/auth/token", 405, "") == []  # the sign-in takes POST alone
    assert answer_problems("HEAD", "/api/v1/leads", 200, "[]") == ["answers HEAD /api/v1/leads with a body"]
    assert answer_problems("HEAD", "/api/v1/leads", 418, "") == [
        "has the status 418, which the contract does not list for GET /api/v1/leads"
    ]


# listings answered whole: each bounded by what it lists (or paged its own way), and why
BOUNDED_LISTINGS = {
    "/api/v1/users": "a company's people",
    "/api/v1/campaigns": "a company's campaigns, a few a month",
    "/api/v1/invoices/{invoice_id}/payments": "one invoice's payments, each taking a part of its total",
    "/api/v1/reports/campaigns": "a line per campaign",
    "/api/v1/reports/revenue-by-month": "a line per month",
    "/api/v1/audit": "read by its entries' numbers (after_seq and limit)",
}


def test_every_listing_that_grows_with_use_is_read_a_page_at_a_time():
    """A person's notifications, their conversations, the approvals and the commissions were answered whole, however
    many there were: every listing of the contract takes ``limit`` and ``after`` now, or is bounded by what it
    lists (``BOUNDED_LISTINGS``)."""
    document = json.loads(OPENAPI.read_text())
    whole = []
    for path, operations in document["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        takes = {p["name"] for p in operations.get("get", {}).get("parameters", []) if p["in"] == "query"}
        if schema.get("type") == "array" and not {"limit", "after"} <= takes and path not in BOUNDED_LISTINGS:
            whole.append(path)
    assert not whole, f"listings answered whole, with nothing bounding them: {whole}"
