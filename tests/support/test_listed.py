"""Every record a company's people were shown is in its listing, read whole (support/invariants/listed.py)."""

from __future__ import annotations

import json
from typing import Any

from requests.structures import CaseInsensitiveDict

from support.clients.exchanges import HttpExchange
from support.clients.platform_api import Answer
from support.invariants.histories import RESTORE
from support.invariants.listed import Shown, read_whole

LEADS = [{"id": f"lead-{n}", "contact_name": "Ann", "status": "new"} for n in range(7)]


def _answer(*records: dict, company: str | None = "acme-id", path: str = "/api/v1/leads", status: int = 201):
    body = json.dumps(records[0] if len(records) == 1 else list(records))
    return HttpExchange("POST", path, "Sam", company, status, {"content-type": "application/json"}, body, "s")


def _listing(records: list[dict], log: list[dict]):
    """A listing of ``records``, a page as its query asks, naming the next page as the platform does."""

    def read(path: str, query: dict[str, Any]) -> Answer:
        log.append(dict(query))
        start = int(query.get("after", 0))
        limit = int(query.get("limit", 100))
        page = records[start : start + limit]
        more = start + limit < len(records)
        link = f'<http://x{path}?limit={limit}&after={start + limit}>; rel="next"' if more else ""
        return Answer(200, page, CaseInsensitiveDict({"link": link} if link else {}))

    return read


def test_a_listing_read_whole_page_by_page_lists_every_record_shown():
    shown, log = Shown(), []
    shown.note([_answer(lead) for lead in LEADS])
    assert shown.missing("acme-id", "acme", lambda: _listing(LEADS, log)) == []
    assert [q.get("after") for q in log] == [None, "3", "6"], "three at a time, each page after the last"


def test_a_record_a_listing_leaves_out_is_named_with_where_it_was_shown():
    shown, log = Shown(), []
    shown.note([_answer(lead) for lead in LEADS])
    said = shown.missing("acme-id", "acme", lambda: _listing(LEADS[:3] + LEADS[4:], log))
    assert said == [
        "the leads of acme, read whole by its owner, 3 at a time, do not list the lead lead-3, shown in the answer "
        "to POST /api/v1/leads (by Sam)"
    ]


def test_no_claim_without_a_reader_after_a_restore_or_for_a_listing_not_read_whole():
    shown = Shown()
    shown.note([_answer(LEADS[0]), _answer(LEADS[1], company=None), _answer(LEADS[2], status=409)])
    assert shown.records == {("acme-id", "lead"): {"lead-0": "the answer to POST /api/v1/leads (by Sam)"}}
    assert shown.missing("acme-id", "acme", lambda: None) == []
    assert shown.missing("other-id", "other", lambda: (_ for _ in ()).throw(AssertionError("not read"))) == []
    endless = lambda path, query: Answer(200, [], CaseInsensitiveDict({"link": '<http://x?after=1>; rel="next"'}))  # noqa: E731
    assert read_whole(endless, "/leads", True) is None
    shown.note([_answer({"id": "c", "slug": "acme", "rows": {}}, company=None, path=RESTORE, status=200)])
    assert shown.missing("acme-id", "acme", lambda: _listing([], [])) == []
