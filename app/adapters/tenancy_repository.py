"""Companies (the database's tenants) and their people."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import (
    Connection,
    Engine,
    delete,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from app.adapters import company_backup
from app.adapters.rows import record, records
from app.adapters.tables import analytics_recopy, revoked_tokens, tenants, users
from app.domain.audit import GENESIS_HASH
from app.domain.clock import utc_now
from app.domain.records import CompanyRecord, PersonRecord


def company_data_version(engine: Engine, company_id: uuid.UUID) -> str:
    """Which state the company's business data is in: its audit sequence, advanced by every business write, with
    the hash of its last entry. The number alone repeats after a restore (a company backed up at entry 7, written
    to once, removed and restored is at entry 8 again, the restore's own): the hash tells the two apart, so a report
    cached before the removal is never the restored company's."""
    with engine.connect() as conn:
        row = conn.execute(select(tenants.c.audit_seq, tenants.c.audit_head).where(tenants.c.id == company_id)).first()
    return f"{row.audit_seq}-{row.audit_head}" if row is not None else "none"


REMOVAL_TRIES = 5  # a company's removal starts again at most this often while its people write records meanwhile

# every request and every step of a question asks it: the company chosen for the connection's work and, in the
# same statement, the person and whether the session was signed out (migration 0014); the database function
# declares each argument's type (migration 0015), which both drivers bind the values to
_SIGNED_IN_AS = text(
    "SELECT id, company_id, role, signed_out FROM signed_in_as(:company, :user, :token, :local, :hold, :issued)"
)


class SignedInPerson(TypedDict):
    id: uuid.UUID
    company_id: uuid.UUID
    role: str
    signed_out: bool  # the session checked was signed out


def signed_in_as(
    conn: Connection,
    company: uuid.UUID,
    user_id: uuid.UUID,
    token_id: str,
    *,
    local: bool,
    hold: bool = False,
    issued: datetime | None = None,
) -> SignedInPerson | None:
    """Chooses ``company`` for the connection's work (for the transaction when ``local``, else for its
    checkout), and reads the person and whether the session ``token_id`` was signed out, in one statement (None:
    no such person in the company); ``hold`` locks the person's row (FOR SHARE) until the transaction ends.
    A session ``issued`` before the company's restore is signed out (None: not asked)."""
    found = {"company": company, "user": user_id, "token": token_id, "local": local, "hold": hold, "issued": issued}
    row = conn.execute(_SIGNED_IN_AS, found).mappings().first()
    if row is None:
        return None
    return SignedInPerson(id=row["id"], company_id=row["company_id"], role=row["role"], signed_out=row["signed_out"])


class CompaniesDirectory:
    """What is known across companies: their names, and the sessions signed out."""

    def __init__(self, conn: Connection, *, recopy_asked: Callable[[], None] | None = None) -> None:
        """``recopy_asked``: told when a company's analytics are to be copied again (the unit of work wakes the
        ingester once it commits)."""
        self._conn = conn
        self._recopy_asked = recopy_asked

    def add(self, *, name: str, slug: str) -> CompanyRecord | None:
        """The new company; None when one of that name is there, made a moment ago included (made twice at
        once, the second waits for the first, then writes nothing)."""
        row: CompanyRecord = {
            "id": uuid.uuid4(),
            "name": name,
            "slug": slug,
            "audit_seq": 0,
            "audit_head": GENESIS_HASH,
            "created_at": utc_now(),
        }
        written = pg_insert(tenants).values(**row).on_conflict_do_nothing().returning(tenants.c.id)
        return row if self._conn.execute(written).first() is not None else None

    def by_slug(self, slug: str) -> CompanyRecord | None:
        row = self._conn.execute(select(tenants).where(tenants.c.slug == slug)).mappings().first()
        return record(row) if row else None

    def by_id(self, company_id: uuid.UUID) -> CompanyRecord | None:
        row = self._conn.execute(select(tenants).where(tenants.c.id == company_id)).mappings().first()
        return record(row) if row else None

    def remove_company(self, company_id: uuid.UUID) -> dict[str, int]:
        """Deletes every row of the company, the tables that point at others first, then the company itself.

        Returns how many rows went from each table. The unit of work has entered the company, so the
        database's own policies let these statements reach its rows only.
        """
        for _ in range(REMOVAL_TRIES - 1):
            try:
                with self._conn.begin_nested():
                    return self._every_row_removed(company_id)
            except IntegrityError:
                # a record the company's people wrote meanwhile, after its table was emptied, still names the
                # company (or a person of it): the removal starts again from its savepoint, and takes it too
                continue
        return self._every_row_removed(company_id)  # the last try's refusal is the caller's

    def _every_row_removed(self, company_id: uuid.UUID) -> dict[str, int]:
        removed = {}
        for table in reversed(company_backup.COMPANY_TABLES):
            removed[table.name] = self._conn.execute(delete(table).where(table.c.tenant_id == company_id)).rowcount
        removed[tenants.name] = self._conn.execute(delete(tenants).where(tenants.c.id == company_id)).rowcount
        return removed

    def copy_analytics_again(self, company_id: uuid.UUID) -> None:
        """Asks the analytics ingester to forget the company's events in the store and copy its trail again (a
        company removed has none: its events are gone from the store; one restored has its backup's)."""
        if self._recopy_asked is not None:
            self._recopy_asked()
        asked = pg_insert(analytics_recopy).values(company_id=company_id, asked_at=utc_now())
        # asked again while the ingester works on it: the newer ask stays, and the company is done again
        self._conn.execute(asked.on_conflict_do_update(index_elements=["company_id"], set_={"asked_at": utc_now()}))

    def end_sessions(self, company_id: uuid.UUID) -> None:
        """Every session of the company begun before now is over: its people sign in again. A restored company's
        are: whoever was signed in when its backup was taken, or since (a session signed out since is not signed
        out in the backup, and would have come back to life)."""
        self._conn.execute(update(tenants).where(tenants.c.id == company_id).values(sessions_from=utc_now()))

    def backup_of(self, company_id: uuid.UUID) -> dict[str, Any] | None:
        """The company's backup: its own row and every row it holds, by table, as JSON; None when unknown.
        The unit of work has entered the company."""
        company = self.by_id(company_id)
        if company is None:
            return None
        return {
            "company": company_backup.company_as_json(dict(company)),
            "tables": company_backup.rows_of(self._conn, company_id),
        }

    def restore(self, company: dict[str, Any], held: dict[str, list[dict[str, Any]]], enter: Any) -> dict[str, int]:
        """Writes a company back from its backup: its own row, then (``enter``-ing it) every row it held.
        Raises company_backup.NotOneCompanysRows for a backup that is not one company's rows."""
        company_id = company_backup.put_company(self._conn, company)
        self.end_sessions(company_id)
        enter(company_id)
        return company_backup.put_rows(self._conn, company_id, held)


class PeopleRepository:
    """One company's people (its users) and their signed-out sessions."""

    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add(self, **fields: Any) -> PersonRecord | None:
        """The new person; None when their address has an account in the company, added a moment ago
        included (added twice at once, the second waits for the first, then writes nothing)."""
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        written = pg_insert(users).values(**row).on_conflict_do_nothing().returning(*users.c)
        found = self._conn.execute(written).mappings().first()
        return record(found) if found else None

    def email_taken(self, email: str) -> bool:
        query = select(users.c.id).where(users.c.tenant_id == self._company, users.c.email == email)
        return self._conn.execute(query).first() is not None

    def get(self, user_id: uuid.UUID) -> PersonRecord | None:
        query = select(users).where(users.c.tenant_id == self._company, users.c.id == user_id)
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def hold_for_change(self, user_id: uuid.UUID) -> None:
        """Locks the person's row for a change of their rights: waits for any work holding it."""
        query = select(users.c.id).where(users.c.tenant_id == self._company, users.c.id == user_id)
        self._conn.execute(query.with_for_update(key_share=True))

    def roles_held_for_change(self, *user_ids: uuid.UUID) -> dict[uuid.UUID, str]:
        """Locks the people ``user_ids`` for a change of rights, in one order whoever asks (two changes of
        the same people wait for each other, never for ever), and reads each one's role as the last change
        committed left it. Returns each one found, by id."""
        query = (
            select(users.c.id, users.c.role)
            .where(users.c.tenant_id == self._company, users.c.id.in_(user_ids))
            .order_by(users.c.id)
            .with_for_update(key_share=True)
        )
        return {row.id: row.role for row in self._conn.execute(query)}

    def by_email(self, email: str) -> PersonRecord | None:
        query = select(users).where(users.c.tenant_id == self._company, users.c.email == email)
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def all(self) -> list[PersonRecord]:
        query = select(users).where(users.c.tenant_id == self._company).order_by(users.c.created_at, users.c.id)
        return records(self._conn.execute(query).mappings())

    def change_role(self, user_id: uuid.UUID, role: str) -> None:
        self._conn.execute(
            update(users).where(users.c.tenant_id == self._company, users.c.id == user_id).values(role=role)
        )

    def revoke_token(self, token_id: str, expires_at: datetime) -> bool:
        """Whether the token was revoked now (False: it was already)."""
        revoked = self._conn.execute(
            pg_insert(revoked_tokens)
            .values(token_id=token_id, tenant_id=self._company, expires_at=expires_at)
            .on_conflict_do_nothing()
            .returning(revoked_tokens.c.token_id)
        )
        return revoked.first() is not None
