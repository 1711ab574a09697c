"""A listing's statement is built once for each shape and given the listing's values as parameters."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.adapters.paging import in_making_order
from app.adapters.tables import leads
from app.domain.pages import Page, Position

COMPANY = uuid.uuid4()


def test_a_listing_of_one_shape_is_one_statement_whatever_its_values():
    first, _ = in_making_order(leads, COMPANY, {"status": "new", "owner_id": uuid.uuid4()})
    again, values = in_making_order(leads, uuid.uuid4(), {"owner_id": uuid.uuid4(), "status": "won"})
    assert again is first, "the same table, filters and cut: the statement built before"
    assert values["filter_status"] == "won"
    other, _ = in_making_order(leads, COMPANY, {"status": "new"})
    assert other is not first


def test_a_page_after_a_position_is_read_from_there_and_cut_at_its_limit():
    at = Position(datetime(2026, 12, 6, tzinfo=UTC), uuid.uuid4())
    statement, values = in_making_order(leads, COMPANY, page=Page(limit=7, after=at), limit=99)
    assert values == {"company": COMPANY, "after_created_at": at.created_at, "after_id": at.id, "limit": 7}
    sql = str(statement)
    assert "(leads.created_at, leads.id) > (:after_created_at, :after_id)" in sql
    assert sql.rstrip().endswith("ORDER BY leads.created_at, leads.id\n LIMIT :limit")


def test_a_listing_that_is_no_page_is_cut_only_when_asked():
    whole, values = in_making_order(leads, COMPANY)
    assert values == {"company": COMPANY} and "LIMIT" not in str(whole)
    cut, values = in_making_order(leads, COMPANY, limit=1)
    assert values == {"company": COMPANY, "limit": 1} and "LIMIT :limit" in str(cut)
