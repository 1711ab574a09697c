"""Listings a page at a time: ``?limit=&after=``, and a ``Link: <...>; rel="next"`` header while more may follow.

``after`` is a cursor: the position of the last record of the page before (when it was made, and its id).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from app.domain.pages import DEFAULT_PAGE, LARGEST_PAGE, Page, Position

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = r"^[0-9]{1,16}-[0-9a-f]{32}$"  # microseconds since 1970, then the record's id: every match is a position


R = TypeVar("R", bound=Mapping[str, Any])


def cursor_of(record: Mapping[str, Any]) -> str:
    return f"{(record['created_at'] - EPOCH) // timedelta(microseconds=1)}-{record['id'].hex}"


def _position(cursor: str) -> Position:
    micros, record_id = cursor.split("-")
    return Position(EPOCH + timedelta(microseconds=int(micros)), uuid.UUID(hex=record_id))


async def _page(
    limit: Annotated[int, Query(ge=1, le=LARGEST_PAGE, description="Records per page.")] = DEFAULT_PAGE,
    after: Annotated[
        str | None, Query(pattern=CURSOR, description="The cursor of the page before (from its Link header).")
    ] = None,
) -> Page:
    return Page(limit=limit, after=_position(after) if after else None)


PageDep = Annotated[Page, Depends(_page)]


def paged(rows: list[R], page: Page, request: Request, response: Response) -> list[R]:
    """``rows`` as the answer, with a Link to the next page when this one is full. The link is relative (its path
    and query; RFC 8288 reads it against the address asked): an absolute one named the host the request's ``Host``
    header claimed and the scheme the instance was reached by, plain http behind a TLS proxy, and a client following
    it sent its token there."""
    if len(rows) == page.limit and rows:
        url = request.url.include_query_params(after=cursor_of(rows[-1]))  # the rest of the query, limit too, kept
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return rows
