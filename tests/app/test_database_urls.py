"""The database URL is given to SQLAlchemy with the psycopg 3 driver named, whichever scheme libpq accepts it
under (``postgres://`` and ``postgresql://`` alike), and several hosts as SQLAlchemy wants them."""

from __future__ import annotations

import pytest
from pydantic import PostgresDsn

from app.config import as_sqlalchemy_url


@pytest.mark.parametrize(
    "given",
    [
        "postgres://app:pw@db:5432/platform",
        "postgresql://app:pw@db:5432/platform",
        "postgresql+psycopg://app:pw@db:5432/platform",
    ],
)
def test_each_scheme_libpq_accepts_names_the_psycopg_driver(given):
    assert as_sqlalchemy_url(PostgresDsn(given)) == "postgresql+psycopg://app:pw@db:5432/platform"


def test_several_hosts_are_each_named_in_the_query():
    url = as_sqlalchemy_url(PostgresDsn("postgresql://app:pw@a:5432,b:5433/platform?target_session_attrs=read-write"))
    assert url == "postgresql+psycopg://app:pw@/platform?host=a:5432&host=b:5433&target_session_attrs=read-write"
