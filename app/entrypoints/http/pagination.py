"""Listings a page at a time: ``?limit=&after=``, and a ``Link: <...>; rel="next"`` header while more may follow.

``after`` is an opaque cursor: the position of the last record of the page before.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from app.domain.errors import RuleViolation
from app.domain.pages import DEFAULT_PAGE, LARGEST_PAGE, Page, Position


def cursor_of(record: dict[str, Any]) -> str:
    text = f"{record['created_at'].isoformat()}|{record['id']}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _position(cursor: str) -> Position:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, record_id = text.split("|")
        return Position(datetime.fromisoformat(created_at), uuid.UUID(record_id))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise RuleViolation(
            "invalid_cursor", "after must be a cursor from a previous page's Link", field="after"
        ) from exc


def _page(
    limit: Annotated[int, Query(ge=1, le=LARGEST_PAGE, description="Records per page.")] = DEFAULT_PAGE,
    after: Annotated[
        str | None, Query(max_length=200, description="The cursor of the page before (from its Link header).")
    ] = None,
) -> Page:
    return Page(limit=limit, after=_position(after) if after else None)


PageDep = Annotated[Page, Depends(_page)]


def paged(rows: list[dict[str, Any]], page: Page, request: Request, response: Response) -> list[dict[str, Any]]:
    """``rows`` as the answer, with a Link to the next page when this one is full."""
    if len(rows) == page.limit and rows:
        url = request.url.include_query_params(after=cursor_of(rows[-1]), limit=page.limit)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return rows
