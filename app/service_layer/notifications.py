"""A user's own notifications."""

from __future__ import annotations

import uuid

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.errors import NotFound
from app.domain.pages import Page
from app.domain.records import NotificationRecord
from app.service_layer.principal import Principal


def list_notifications(uow: UnitOfWorkFactory, principal: Principal, page: Page) -> list[NotificationRecord]:
    with uow(company=principal.company_id) as u:
        return u.notifications.of_user(principal.user_id, page)


def mark_read(uow: UnitOfWorkFactory, principal: Principal, notification_id: uuid.UUID) -> None:
    with uow(company=principal.company_id) as u:
        if not u.notifications.mark_read(principal.user_id, notification_id):
            raise NotFound("notification not found")
