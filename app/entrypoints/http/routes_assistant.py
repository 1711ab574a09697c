"""The assistant's threads over HTTP (questions go over the WebSocket), and the company's settings."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.domain.records import NotificationRecord, SettingsRecord, ThreadRecord
from app.domain.roles import Permission
from app.entrypoints.http.deps import CallerDep, needs
from app.entrypoints.http.pagination import PageDep, paged
from app.entrypoints.http.schemas.assistant import (
    NotificationOut,
    SettingsIn,
    SettingsOut,
    ThreadOut,
    ThreadWithMessagesOut,
)
from app.service_layer import assistant_threads as threads
from app.service_layer import notifications, settings

router = APIRouter(tags=["assistant"])


@router.get("/assistant/threads", response_model=list[ThreadOut])
async def list_threads(
    caller: CallerDep, page: PageDep, request: Request, response: Response, archived: bool = False
) -> list[ThreadRecord]:
    """The caller's own threads (archived ones on request), oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(
        lambda uow, principal: threads.list_threads(uow, principal, archived=archived, page=page), autocommit=True
    )
    return paged(rows, page, request, response)


@router.get("/assistant/threads/{thread_id}", response_model=ThreadWithMessagesOut)
async def get_thread(
    thread_id: uuid.UUID, caller: CallerDep, page: PageDep, request: Request, response: Response
) -> dict:
    """One of the caller's threads with its messages, oldest first, a page of them at a time (``Link`` to the
    next): a conversation grows with every question."""
    thread = await caller.run(
        lambda uow, principal: threads.get_thread(uow, principal, thread_id, page=page), autocommit=True
    )
    paged(thread["messages"], page, request, response)
    return thread


@router.post("/assistant/threads/{thread_id}/archive", response_model=ThreadOut)
async def archive_thread(thread_id: uuid.UUID, caller: CallerDep) -> dict:
    """Archive one of the caller's threads; it takes no more questions."""
    return await caller.run(lambda uow, principal: threads.archive_thread(uow, principal, thread_id))


@router.get("/settings", response_model=SettingsOut)
async def read_settings(caller: CallerDep) -> SettingsRecord:
    """The tenant's settings."""
    return await caller.run(lambda uow, principal: settings.read_settings(uow, principal), autocommit=True)


@router.put("/settings", response_model=SettingsOut, openapi_extra=needs(Permission.MANAGE_USERS))
async def change_settings(body: SettingsIn, caller: CallerDep) -> SettingsRecord:
    """Change the tenant's settings (owner only): those given, and only those."""
    values = body.model_dump(exclude_unset=True, mode="json")
    return await caller.run(lambda uow, principal: settings.change_settings(uow, principal, values))


@router.get("/notifications", response_model=list[NotificationOut], tags=["notifications"])
async def list_notifications(
    caller: CallerDep, page: PageDep, request: Request, response: Response
) -> list[NotificationRecord]:
    """The caller's own notifications, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(
        lambda uow, principal: notifications.list_notifications(uow, principal, page), autocommit=True
    )
    return paged(rows, page, request, response)


@router.post(
    "/notifications/{notification_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["notifications"],
)
async def mark_read(notification_id: uuid.UUID, caller: CallerDep) -> Response:
    """Mark one of the caller's notifications as read."""
    await caller.run(lambda uow, principal: notifications.mark_read(uow, principal, notification_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
