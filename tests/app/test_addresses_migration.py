"""Addresses stored before with a domain in its ASCII-compatible spelling are stored in its own letters by
migration 0019, so their people sign in however they write it; one whose company already has the other
spelling is left as it is (two accounts for one mailbox: not the migration's to merge)."""

from __future__ import annotations

import uuid

import psycopg
from alembic import command
from alembic.config import Config

from app.adapters import migrate
from tests.app.database_of_its_own import empty_database

COMPANY, OTHER = uuid.uuid4(), uuid.uuid4()


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _person(conn: psycopg.Connection, company: uuid.UUID, email: str) -> None:
    conn.execute(
        "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at) "
        "VALUES (%s, %s, %s, 'Jörg', 'sales', 'x', 0, now())",
        (uuid.uuid4(), company, email),
    )


def test_addresses_stored_encoded_are_stored_in_their_own_letters_unless_the_company_has_them(stack):
    with empty_database(stack.env["DATABASE_URL"], "addresses") as database:
        command.upgrade(_config(database), "0018")
        with psycopg.connect(database) as conn:
            for company in (COMPANY, OTHER):
                conn.execute(
                    "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at) "
                    "VALUES (%s, 'Bücher', %s, 0, '', now())",
                    (company, f"b-{company.hex[:8]}"),
                )
            _person(conn, COMPANY, "jörg@xn--bcher-kva.example")
            _person(conn, COMPANY, "ana@acme.example")
            _person(conn, OTHER, "jörg@xn--bcher-kva.example")
            _person(conn, OTHER, "jörg@bücher.example")
        command.upgrade(_config(database), "head")
        with psycopg.connect(database) as conn:
            stored = conn.execute("SELECT tenant_id, email FROM users ORDER BY tenant_id, email").fetchall()
    assert sorted(stored) == sorted(
        [
            (COMPANY, "jörg@bücher.example"),
            (COMPANY, "ana@acme.example"),
            (OTHER, "jörg@xn--bcher-kva.example"),
            (OTHER, "jörg@bücher.example"),
        ]
    )
