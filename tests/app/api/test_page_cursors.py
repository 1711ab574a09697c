"""A listing's cursor, as the platform's pages write it and read it back: the last record's moment in
microseconds since 1970-01-01 UTC, then its id in hex (``app.entrypoints.http.pagination``). The format is
public (the pinned contract's pattern), so a client that builds one from a record it was shown is read as
meaning that record's place."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from app.domain.pages import DEFAULT_PAGE, Page, Position
from app.entrypoints.http.pagination import CURSOR, _page, cursor_of, paged

RECORD = {"created_at": datetime(2026, 12, 6, 7, 30, 15, 123456, tzinfo=UTC), "id": uuid.UUID(int=0xABC)}
SINCE_1970 = 1_796_542_215 * 1_000_000 + 123456  # RECORD's moment, in microseconds since 1970-01-01 UTC


def test_a_cursor_is_the_records_microseconds_since_1970_then_its_id():
    assert cursor_of(RECORD) == f"{SINCE_1970}-{RECORD['id'].hex}"
    assert cursor_of({**RECORD, "created_at": datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)}).startswith("1000000-")
    assert re.match(CURSOR, cursor_of(RECORD)), "every cursor the platform writes is one its pattern accepts"


def test_a_cursor_is_read_back_as_the_place_of_the_record_it_was_made_from():
    page = asyncio.run(_page(limit=5, after=cursor_of(RECORD)))
    assert page == Page(limit=5, after=Position(RECORD["created_at"], RECORD["id"]))


def test_a_cursor_built_by_a_client_from_a_record_it_was_shown_means_that_records_place():
    built = f"{SINCE_1970}-{'0' * 29}abc"
    assert asyncio.run(_page(after=built)).after == Position(RECORD["created_at"], RECORD["id"])


def test_without_a_cursor_the_listing_starts_at_its_beginning_with_the_default_page():
    assert asyncio.run(_page()) == Page(limit=DEFAULT_PAGE, after=None)


def _request(query: str) -> Request:
    return Request(
        {
            "type": "http",
            "scheme": "http",
            "server": ("platform", 80),
            "path": "/api/v1/leads",
            "query_string": query.encode(),
            "headers": [],
        }
    )


def _next_page_asks(response: Response) -> dict[str, list[str]]:
    """The query of the next page's link, which the answer must have."""
    link = response.headers["Link"]
    assert link.startswith("<") and link.endswith('>; rel="next"'), link
    return parse_qs(urlsplit(link.removeprefix("<").removesuffix('>; rel="next"')).query)


def test_a_full_page_links_to_the_next_after_its_last_record_with_the_same_number_a_page():
    response = Response()
    rows = [{**RECORD, "id": uuid.UUID(int=1)}, RECORD]
    assert paged(rows, Page(limit=2), _request("limit=2"), response) == rows
    assert _next_page_asks(response) == {"after": [cursor_of(RECORD)], "limit": ["2"]}, (
        "the next page starts after the last, as large"
    )


def test_a_listing_asked_without_a_number_a_page_links_to_a_next_page_of_the_default_size():
    response = Response()
    rows = [RECORD] * DEFAULT_PAGE
    paged(rows, Page(), _request("after=" + cursor_of({**RECORD, "id": uuid.UUID(int=1)})), response)
    assert _next_page_asks(response) == {"after": [cursor_of(RECORD)]}, (
        "the cursor of the page before replaced, no size imposed"
    )


def test_the_next_page_is_linked_by_its_path_and_query_alone_whatever_host_and_scheme_were_asked():
    response = Response()
    asked = _request("limit=1")
    asked.scope["headers"] = [(b"host", b"elsewhere.example")]
    paged([RECORD], Page(limit=1), asked, response)
    assert response.headers["Link"] == f'</api/v1/leads?limit=1&after={cursor_of(RECORD)}>; rel="next"', (
        "a relative link: no host a request claimed, no scheme the instance was reached by"
    )


def test_a_page_that_is_not_full_is_the_last_and_links_to_nothing():
    response = Response()
    paged([RECORD], Page(limit=2), _request("limit=2"), response)
    assert "Link" not in response.headers
