"""A company's backup reads every table at one moment, whatever its people write meanwhile.

Read table after table at whatever each statement saw, a backup taken while people worked held records whose
parent it had read before the parent was written (a deal without its client): it could not be restored (every
one of twelve backups taken during a probe's conversions of leads failed with a foreign key's refusal)."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy import event

from app.adapters.unit_of_work import sql_unit_of_work
from app.service_layer.backups import back_up
from tests.app.row_locks import company_with_person


def test_a_person_and_their_notification_written_while_the_backup_reads_are_both_in_it_or_both_not(stack, database):
    url = stack.env["DATABASE_URL"]
    company, _ = company_with_person(url, name="Snapshot", role="owner")
    newcomer = uuid.uuid4()
    written: list[bool] = []

    def someone_added_just_before_notifications_are_read(_conn, _cursor, statement: str, *_: object) -> None:
        if "notifications" in statement and not written:  # the backup has read its people already
            written.append(True)
            with psycopg.connect(url, autocommit=True) as colleague, colleague.transaction():
                colleague.execute(
                    "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
                    " VALUES (%s, %s, %s, 'Newcomer', 'sales', 'x', 0, now())",
                    (newcomer, company, f"newcomer-{newcomer.hex[:8]}@example.com"),
                )
                colleague.execute(
                    "INSERT INTO notifications (id, tenant_id, user_id, kind, text, subject_type, subject_id, read,"
                    " created_at) VALUES (%s, %s, %s, 'welcome', 'Welcome', 'user', %s, false, now())",
                    (uuid.uuid4(), company, newcomer, str(newcomer)),
                )

    event.listen(database, "before_cursor_execute", someone_added_just_before_notifications_are_read)
    try:
        backup = back_up(sql_unit_of_work(database), company)
    finally:
        event.remove(database, "before_cursor_execute", someone_added_just_before_notifications_are_read)
    assert written, "the colleague's write was made while the backup read"
    people = {row["id"] for row in backup["tables"]["users"]}
    named = {row["user_id"] for row in backup["tables"]["notifications"]}
    assert named <= people, f"notifications of people the backup does not hold: {named - people}"
