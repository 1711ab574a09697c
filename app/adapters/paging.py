"""A company's records of one table in the order they were made (``created_at``, then ``id``), a page at a time.

Each shape of listing (the table, the columns it is filtered on, whether it is a page, resumed after a position,
or cut at a number of records) is one statement, built once with its values as parameters: a listing asked for
again costs neither the statement's construction nor its cache key, only the values.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Integer, Select, Table, bindparam, select, tuple_

from app.domain.pages import Page


def in_making_order(
    table: Table,
    company: uuid.UUID,
    filters: Mapping[str, Any] | None = None,
    page: Page | None = None,
    limit: int | None = None,
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement listing ``company``'s records of ``table`` whose columns equal ``filters``, in making order,
    and its parameters: with ``page``, only the page after its position; else at most ``limit`` when given."""
    filters = filters or {}
    after = page.after if page is not None else None
    cut = page.limit if page is not None else limit
    statement = _listing(table, tuple(sorted(filters)), after is not None, cut is not None)
    values: dict[str, Any] = {"company": company, **{f"filter_{name}": value for name, value in filters.items()}}
    if after is not None:
        values |= {"after_created_at": after.created_at, "after_id": after.id}
    if cut is not None:
        values["limit"] = cut
    return statement, values


@functools.cache
def _listing(table: Table, filtered_on: tuple[str, ...], after: bool, cut: bool) -> Select[Any]:
    # a parameter compared with a column takes the column's type; one in a tuple does not, so it is given its own
    query = select(table).where(table.c.tenant_id == bindparam("company"))
    for name in filtered_on:
        query = query.where(table.c[name] == bindparam(f"filter_{name}"))
    if after:
        position = tuple_(
            bindparam("after_created_at", type_=table.c.created_at.type), bindparam("after_id", type_=table.c.id.type)
        )
        query = query.where(tuple_(table.c.created_at, table.c.id) > position)
    query = query.order_by(table.c.created_at, table.c.id)
    return query.limit(bindparam("limit", type_=Integer)) if cut else query
