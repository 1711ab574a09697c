"""A user's assistant threads: list, read, archive; each question and how its run ended, for the analytics.

The assistant's use goes to the analytics by the same durable path as everything else, a row written with
the change it records: a question when it is stored (``assistant_asked``), an answer with it
(``assistant_answered``: the run's tool calls, tokens and milliseconds from the run's start to its answer), a
run that ended without one on its own (``assistant_failed``: why, the tool calls it ran and its tokens), and,
with either, each tool call the run ran (``assistant_tool_called``: the tool, and its status unless ok). Unlike the
audit trail these rows take no lock on the company: a long job holding the company's records never holds a
question or its answer up.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain import analytics
from app.domain.conversation_memory import Memory, remembered
from app.domain.errors import NotFound, RuleViolation
from app.domain.pages import Page
from app.domain.records import SettingsRecord, ThreadRecord
from app.service_layer.principal import Principal


def list_threads(uow: UnitOfWorkFactory, principal: Principal, *, archived: bool, page: Page) -> list[ThreadRecord]:
    with uow(company=principal.company_id) as u:
        return u.assistant.threads(principal.user_id, archived=archived, page=page)


def get_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID, *, page: Page) -> dict[str, Any]:
    """One of the person's threads with a page of its messages, oldest first."""
    with uow(company=principal.company_id) as u:
        thread = u.assistant.thread(principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        return {**thread, "messages": u.assistant.messages(thread_id, page=page)}


def archive_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID) -> dict[str, Any]:
    with uow(company=principal.company_id) as u:
        thread = u.assistant.thread(principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        u.assistant.archive(thread_id)
        return {**thread, "archived": True}


def settings_for_question(uow: UnitOfWorkFactory, principal: Principal, thread_id: str | None) -> SettingsRecord:
    """The company's assistant limits, once the thread a question continues is checked.

    Raises:
        NotFound: the thread is not one of this user's (``thread_id``).
        RuleViolation: the thread is archived.
    """
    with uow(company=principal.company_id) as u:
        if thread_id is not None:
            thread = u.assistant.thread(principal.user_id, thread_uuid(thread_id))
            if thread is None:
                raise NotFound("thread not found", field="thread_id")
            if thread["archived"]:
                raise RuleViolation("thread_archived", "this thread is archived", field="thread_id")
        return u.settings.of()


def store_question(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    text: str,
    thread_id: str | None,
    run_id: str,
    memory: Memory,
) -> tuple[str, list[dict[str, Any]]]:
    """Stores the question (in a new thread when none is given). Returns the thread id and the earlier messages the
    model is given: the latest, as many as ``memory`` holds (``conversation_memory``)."""
    with uow(company=principal.company_id) as u:
        if thread_id is None:
            thread, earlier, opens = uuid.uuid4(), [], principal.user_id
        else:
            thread, opens = thread_uuid(thread_id), None
            latest = u.assistant.latest_messages(thread, memory.messages)
            earlier = remembered(latest, memory)
        u.assistant.add_message(
            thread,
            role="user",
            content=text,
            run_id=run_id,
            uses=[{"action": analytics.ASKED}],
            opens_thread_for=opens,
        )
    return str(thread), [{"role": m["role"], "content": m["content"]} for m in earlier]


def store_answer(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    thread_id: str,
    run_id: str,
    answer: str,
    tool_results: list[dict[str, Any]],
    tokens: int,
    answer_ms: int,
) -> None:
    """Stores the answer, and records it with the run's tool calls, tokens and time to answer."""
    with uow(company=principal.company_id) as u:
        u.assistant.add_message(
            thread_uuid(thread_id),
            role="assistant",
            content=answer,
            run_id=run_id,
            tool_results=tool_results,
            uses=[
                *_tool_calls(tool_results),
                {
                    "action": analytics.ANSWERED,
                    "tool_calls": len(tool_results),
                    "tokens": tokens,
                    "answer_ms": answer_ms,
                },
            ],
        )


def record_failure(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    run_id: str,
    code: str,
    tool_results: list[dict[str, Any]],
    tokens: int,
) -> None:
    """A run that ended without an answer: why (its failure's code), the tool calls it made and the tokens
    it used. Nothing is written for a company that no longer exists."""
    with uow(company=principal.company_id) as u:
        if u.companies.by_id(principal.company_id) is None:
            return
        u.assistant.record_uses(
            run_id,
            [
                *_tool_calls(tool_results),
                {"action": analytics.FAILED, "tool_calls": len(tool_results), "tokens": tokens, "failure": code},
            ],
        )


def _tool_calls(tool_results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each tool call a run ran, as an event of the assistant's use: which tool, and its status unless ok."""
    return [
        {
            "action": analytics.TOOL_CALLED,
            "tool": str(result.get("tool"))[:80],
            "failure": None if result.get("status") == "ok" else result.get("status"),
        }
        for result in tool_results
    ]


def thread_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound("thread not found", field="thread_id") from None
