"""Assistant threads and their messages, and the assistant's use recorded for the analytics."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.adapters.rows import record, records
from app.adapters.tables import assistant_messages, assistant_threads, assistant_usage
from app.domain.clock import utc_now
from app.domain.records import MessageRecord, ThreadRecord

_RECORD_USE = insert(assistant_usage)  # built once: every question records its use


class AssistantRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add_thread(self, user_id: uuid.UUID, title: str) -> ThreadRecord:
        row: ThreadRecord = {
            "id": uuid.uuid4(),
            "tenant_id": self._company,
            "user_id": user_id,
            "title": title[:200],
            "archived": False,
            "created_at": utc_now(),
        }
        self._conn.execute(insert(assistant_threads), row)
        return row

    def thread(self, user_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadRecord | None:
        """A thread of this user (another user's, or another company's, is not found)."""
        query = select(assistant_threads).where(
            assistant_threads.c.tenant_id == self._company,
            assistant_threads.c.user_id == user_id,
            assistant_threads.c.id == thread_id,
        )
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def threads(self, user_id: uuid.UUID, *, archived: bool) -> list[ThreadRecord]:
        query = (
            select(assistant_threads)
            .where(
                assistant_threads.c.tenant_id == self._company,
                assistant_threads.c.user_id == user_id,
                assistant_threads.c.archived == archived,
            )
            .order_by(assistant_threads.c.created_at, assistant_threads.c.id)
        )
        return records(self._conn.execute(query).mappings())

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
        run_id: str | None = None,
        tool_results: Any = None,
    ) -> dict[str, Any]:
        row = {
            "id": uuid.uuid4(),
            "tenant_id": self._company,
            "thread_id": thread_id,
            "role": role,
            "content": content,
            "run_id": run_id,
            "tool_results": tool_results,
            "created_at": utc_now(),
        }
        self._conn.execute(insert(assistant_messages), row)
        return row

    def messages(self, thread_id: uuid.UUID) -> list[MessageRecord]:
        query = (
            select(assistant_messages)
            .where(assistant_messages.c.tenant_id == self._company, assistant_messages.c.thread_id == thread_id)
            .order_by(assistant_messages.c.created_at, assistant_messages.c.id)
        )
        return records(self._conn.execute(query).mappings())

    def record_uses(self, run_id: str, uses: list[dict[str, Any]]) -> None:
        """Events of one run's use (a question taken, a tool call run, an answer, a failure), for the ingester
        to copy, in one round trip: each an ``action``, with ``tool_calls``, ``tokens``, ``answer_ms`` (0 when not
        given), ``failure`` and ``tool`` (None when not given)."""
        at = utc_now()
        self._conn.execute(
            _RECORD_USE,
            [
                {
                    "id": uuid.uuid4(),
                    "tenant_id": self._company,
                    "run_id": run_id,
                    "occurred_at": at,
                    "tool_calls": 0,
                    "tokens": 0,
                    "answer_ms": 0,
                    "failure": None,
                    "tool": None,
                    **use,
                }
                for use in uses
            ],
        )
