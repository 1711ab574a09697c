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
