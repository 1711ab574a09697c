"""Assistant threads and their messages, and the assistant's use recorded for the analytics."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from app.adapters.paging import in_making_order
from app.adapters.rows import record, records
from app.adapters.tables import JSON_DOC, assistant_messages, assistant_threads
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import MessageRecord, ThreadRecord

# A run's use, one row per element of the arrays (any number in one statement, the same text every time)
_USES = """
    INSERT INTO assistant_usage (id, tenant_id, run_id, action, occurred_at, tool_calls, tokens, answer_ms, failure, tool)
    SELECT u.id, :company, :run_id, u.action, :at, u.tool_calls, u.tokens, u.answer_ms, u.failure, u.tool
    FROM unnest(CAST(:use_ids AS uuid[]), CAST(:actions AS text[]), CAST(:tool_calls AS integer[]),
                CAST(:tokens AS bigint[]), CAST(:answer_ms AS integer[]), CAST(:failures AS text[]),
                CAST(:tools AS text[])) AS u(id, action, tool_calls, tokens, answer_ms, failure, tool)
"""
_RECORD_USES = text(_USES)
# The thread (when the message opens it), the message and the run's use: one round trip where there were three.
# The message's reference to a thread made in the same statement is checked at the statement's end.
_ADD_MESSAGE = text(
    f"""
    WITH thread AS (
        INSERT INTO assistant_threads (id, tenant_id, user_id, title, archived, created_at)
        SELECT :thread_id, :company, :user_id, :title, false, :at WHERE CAST(:opens_thread AS boolean)
    ), message AS (
        INSERT INTO assistant_messages (id, tenant_id, thread_id, role, content, run_id, tool_results, created_at)
        VALUES (:message_id, :company, :thread_id, :role, :content, :run_id, :tool_results, :at)
    )
    {_USES}
    """
).bindparams(bindparam("tool_results", type_=JSON_DOC))


class AssistantRepository:
    def __init__(self, conn: Connection, company: uuid.UUID, *, used: Callable[[], None] | None = None) -> None:
        """``used``: told when the assistant's use is recorded (the unit of work wakes the ingester once it
        commits)."""
        self._conn = conn
        self._company = company
        self._used = used

    def thread(self, user_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadRecord | None:
        """A thread of this user (another user's, or another company's, is not found)."""
        query = select(assistant_threads).where(
            assistant_threads.c.tenant_id == self._company,
            assistant_threads.c.user_id == user_id,
            assistant_threads.c.id == thread_id,
        )
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def threads(self, user_id: uuid.UUID, *, archived: bool, page: Page) -> list[ThreadRecord]:
        filters = {"user_id": user_id, "archived": archived}
        statement, values = in_making_order(assistant_threads, self._company, filters, page)
        return records(self._conn.execute(statement, values).mappings())

    def archive(self, thread_id: uuid.UUID) -> None:
        self._conn.execute(
            update(assistant_threads)
            .where(assistant_threads.c.tenant_id == self._company, assistant_threads.c.id == thread_id)
            .values(archived=True)
        )

    def add_message(
        self,
        thread_id: uuid.UUID,
        *,
        role: str,
        content: str,
        run_id: str,
        uses: list[dict[str, Any]],
        tool_results: Any = None,
        opens_thread_for: uuid.UUID | None = None,
    ) -> None:
        """A run's message and its use (``record_uses``) in one statement; with ``opens_thread_for``, the thread
        ``thread_id`` is made for that user too, titled by the message's first 200 characters."""
        at = utc_now()
        self._told_of(uses)
        self._conn.execute(
            _ADD_MESSAGE,
            {
                "thread_id": thread_id,
                "opens_thread": opens_thread_for is not None,
                "user_id": opens_thread_for,
                "title": content[:200],
                "message_id": uuid.uuid4(),
                "role": role,
                "content": content,
                "tool_results": tool_results,
                **self._uses(run_id, uses, at),
            },
        )

    def latest_messages(self, thread_id: uuid.UUID, count: int) -> list[MessageRecord]:
        """The thread's ``count`` latest messages, its latest first."""
        query = (
            select(assistant_messages)
            .where(assistant_messages.c.tenant_id == self._company, assistant_messages.c.thread_id == thread_id)
            .order_by(assistant_messages.c.created_at.desc(), assistant_messages.c.id.desc())
            .limit(count)
        )
        return records(self._conn.execute(query).mappings())

    def messages(self, thread_id: uuid.UUID, *, page: Page) -> list[MessageRecord]:
        """A page of the thread's messages, oldest first."""
        statement, values = in_making_order(assistant_messages, self._company, {"thread_id": thread_id}, page)
        return records(self._conn.execute(statement, values).mappings())

    def record_uses(self, run_id: str, uses: list[dict[str, Any]]) -> None:
        """Events of one run's use (a question taken, a tool call run, an answer, a failure), for the ingester
        to copy, in one round trip: each an ``action``, with ``tool_calls``, ``tokens``, ``answer_ms`` (0 when not
        given), ``failure`` and ``tool`` (None when not given)."""
        self._told_of(uses)
        self._conn.execute(_RECORD_USES, self._uses(run_id, uses, utc_now()))

    def _told_of(self, uses: list[dict[str, Any]]) -> None:
        if uses and self._used is not None:
            self._used()

    def _uses(self, run_id: str, uses: list[dict[str, Any]], at: datetime) -> dict[str, Any]:
        """The parameters of ``_USES``: one array per column, one element per use."""
        return {
            "company": self._company,
            "run_id": run_id,
            "at": at,
            "use_ids": [uuid.uuid4() for _ in uses],
            "actions": [use["action"] for use in uses],
            **{column: [use.get(column, 0) for use in uses] for column in ("tool_calls", "tokens", "answer_ms")},
            **{f"{column}s": [use.get(column) for use in uses] for column in ("failure", "tool")},
        }
