"""The row watch's reads of a company's rows: every table that holds companies' rows, only that company's, any
change showing, and a connection the database dropped opened again at the next read."""

from __future__ import annotations

import psycopg
import pytest

from support.clients.row_digests import RowDigests
from tests.app.row_locks import company_with_person


@pytest.fixture
def digests(stack):
    made = RowDigests(stack.env["DATABASE_URL"])
    yield made
    made.close()


def test_a_company_s_rows_are_its_own_and_a_change_shows(stack, digests):
    url = stack.env["DATABASE_URL"]
    company, sam = company_with_person(url, name="Digests", role="sales")
    company_with_person(url, name="Elsewhere", role="sales")  # its person is not among the company's rows
    before = digests.of(str(company))
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute("UPDATE users SET name = 'Sam' WHERE id = %s", (sam,))
    after = digests.of(str(company))
    assert list(before) == ["users"], "one person, nothing else, and nothing of the other company"
    assert list(before["users"]) == [str(sam)], "the other company's person is not among them"
    assert before["users"][str(sam)] != after["users"][str(sam)], "a changed row shows"
    assert digests.of(str(company), leave_out=("users",)) == {}


def test_a_connection_the_database_dropped_is_opened_again_at_the_next_read(stack, digests):
    url = stack.env["DATABASE_URL"]
    company, _ = company_with_person(url, name="Dropped", role="sales")
    first = digests.of(str(company))
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE pid <> pg_backend_pid() AND query LIKE '%%md5(t::text)%%'"
        )
    with pytest.raises(psycopg.OperationalError):
        digests.of(str(company))
    assert digests.of(str(company)) == first


def test_the_rows_are_read_again_only_once_something_was_written(stack, digests):
    url = stack.env["DATABASE_URL"]
    company, sam = company_with_person(url, name="Unwritten", role="sales")
    first = digests.of(str(company))
    again = [digests.of(str(company)) for _ in range(5)]
    assert all(rows == first for rows in again)
    # the stack's instances may write between two reads (a mail sent, keys forgotten): then the rows are read again
    assert digests.reused >= 1, "with nothing written between two reads, the rows are not read again"
    read = digests.read
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute("UPDATE users SET name = 'Samuel' WHERE id = %s", (sam,))
    after = digests.of(str(company))
    assert digests.read == read + 1, "once something was written, the rows are read again"
    assert after["users"][str(sam)] != first["users"][str(sam)], "and the change shows"


def test_rows_of_one_kind_are_left_out_and_the_table_s_others_still_watched(stack, digests):
    """The mail sender tells an issuer of mail it cannot deliver in the background, whatever request is in flight:
    those notifications are left out, and any other notification's change still shows."""
    url = stack.env["DATABASE_URL"]
    company, sam = company_with_person(url, name="Kinds", role="sales")
    unwatched = ("notifications.kind=mail_undeliverable",)

    def notify(kind: str) -> None:
        with psycopg.connect(url, autocommit=True) as owner:
            owner.execute(
                "INSERT INTO notifications (id, tenant_id, user_id, kind, text, subject_type, subject_id, read,"
                " created_at) VALUES (gen_random_uuid(), %s, %s, %s, 'told', 'invoice', 'x', false, now())",
                (company, sam, kind),
            )

    before = digests.of(str(company), leave_out=unwatched)
    notify("mail_undeliverable")
    assert digests.of(str(company), leave_out=unwatched) == before, "a notification of the kind left out"
    assert "notifications" in digests.of(str(company)), "the same row, watched when nothing is left out"
    notify("tasks_assigned")
    shown = digests.of(str(company), leave_out=unwatched)
    assert len(shown.get("notifications", {})) == 1, "a notification of another kind still shows, and only it"
