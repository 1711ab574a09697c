"""A user's assistant threads: list, read, archive."""

from __future__ import annotations

import uuid
from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.errors import NotFound, RuleViolation
from app.service_layer.principal import Principal


def list_threads(uow: UnitOfWorkFactory, principal: Principal, *, archived: bool) -> list[dict[str, Any]]:
    with uow(company=principal.tenant_id) as u:
        return u.assistant.threads(principal.user_id, archived=archived)


def get_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID) -> dict[str, Any]:
    with uow(company=principal.tenant_id) as u:
        thread = u.assistant.thread(principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        return {**thread, "messages": u.assistant.messages(thread_id)}


def archive_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID) -> dict[str, Any]:
    with uow(company=principal.tenant_id) as u:
        thread = u.assistant.thread(principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        u.assistant.archive(thread_id)
        return {**thread, "archived": True}


def settings_for_question(uow: UnitOfWorkFactory, principal: Principal, thread_id: str | None) -> dict[str, Any]:
    """The company's assistant limits, once the thread a question continues is checked.

    Raises:
        NotFound: the thread is not one of this user's (``thread_id``).
        RuleViolation: the thread is archived.
    """
    with uow(company=principal.tenant_id) as u:
        if thread_id is not None:
            thread = u.assistant.thread(principal.user_id, thread_uuid(thread_id))
            if thread is None:
                raise NotFound("thread not found", field="thread_id")
            if thread["archived"]:
                raise RuleViolation("thread_archived", "this thread is archived", field="thread_id")
        return u.settings.of()


def store_question(
    uow: UnitOfWorkFactory, principal: Principal, *, text: str, thread_id: str | None, run_id: str
) -> tuple[str, list[dict[str, Any]]]:
    """Stores the question (in a new thread when none is given). Returns the thread id and the earlier messages."""
    with uow(company=principal.tenant_id) as u:
        if thread_id is None:
            thread = u.assistant.add_thread(principal.user_id, text)
            earlier = []
        else:
            thread = {"id": thread_uuid(thread_id)}
            earlier = u.assistant.messages(thread["id"])
        u.assistant.add_message(thread["id"], role="user", content=text, run_id=run_id)
    return str(thread["id"]), [{"role": m["role"], "content": m["content"]} for m in earlier]


def store_answer(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    thread_id: str,
    run_id: str,
    answer: str,
    tool_results: list[dict[str, Any]],
) -> None:
    with uow(company=principal.tenant_id) as u:
        u.assistant.add_message(
            thread_uuid(thread_id),
            role="assistant",
            content=answer,
            run_id=run_id,
            tool_results=tool_results,
        )


def thread_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound("thread not found", field="thread_id") from None
