"""One page of a query over a table with ``created_at`` and ``id``: in the order records were made, after a position."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, tuple_

from app.domain.pages import Page


def in_making_order(query: Select[Any], table: Table, page: Page | None = None) -> Select[Any]:
    """``query`` ordered by (created_at, id); with ``page``, only the page after its position."""
    if page is not None and page.after is not None:
        query = query.where(tuple_(table.c.created_at, table.c.id) > (page.after.created_at, page.after.id))
    query = query.order_by(table.c.created_at, table.c.id)
    return query.limit(page.limit) if page is not None else query
