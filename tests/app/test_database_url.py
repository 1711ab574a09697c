"""The database URL as SQLAlchemy takes it, for one server and for a primary with its standby."""

from __future__ import annotations

from pydantic import PostgresDsn, TypeAdapter
from sqlalchemy.engine import make_url

from app.config import Settings


def _settings(url: str) -> Settings:
    return Settings.model_construct(database_url=TypeAdapter(PostgresDsn).validate_python(url))


def test_one_server_keeps_its_url_with_the_driver_named():
    url = _settings("postgresql://platform:secret@db.internal:5433/platform").sqlalchemy_url
    assert url == "postgresql+psycopg://platform:secret@db.internal:5433/platform"


def test_a_primary_and_its_standby_are_both_tried_for_the_one_that_takes_writes():
    url = make_url(
        _settings(
            "postgresql://platform:s%40cret@db-a:5433,db-b/platform?target_session_attrs=read-write"
        ).sqlalchemy_url
    )
    assert url.query["host"] == ("db-a:5433", "db-b:5432")
    assert url.query["target_session_attrs"] == "read-write"
    assert (url.username, url.password, url.database) == ("platform", "s@cret", "platform")
