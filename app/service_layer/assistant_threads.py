"""A user's assistant threads: list, read, archive."""

from __future__ import annotations

import uuid
from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.errors import NotFound
from app.service_layer.principal import Principal


def list_threads(uow: UnitOfWorkFactory, principal: Principal, *, archived: bool) -> list[dict[str, Any]]:
    with uow() as u:
        return u.assistant.threads(principal.tenant_id, principal.user_id, archived=archived)


def get_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID) -> dict[str, Any]:
    with uow() as u:
        thread = u.assistant.thread(principal.tenant_id, principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        return {**thread, "messages": u.assistant.messages(principal.tenant_id, thread_id)}


def archive_thread(uow: UnitOfWorkFactory, principal: Principal, thread_id: uuid.UUID) -> dict[str, Any]:
    with uow() as u:
        thread = u.assistant.thread(principal.tenant_id, principal.user_id, thread_id)
        if thread is None:
            raise NotFound("thread not found")
        u.assistant.archive(principal.tenant_id, thread_id)
        return {**thread, "archived": True}
