"""Records written straight into the platform's database, for a scenario whose subject is reading many of them.

Capturing a thousand leads through the API takes the platform about ten
seconds and is not what a listing scenario is about; one statement writes
them as the platform would (same columns, same owner, the company's own) in
milliseconds. Every third lead shares its time of making with the two before
it, so pages must also be cut right between records made at the same instant.
The statement and what it wrote are attached to the report.
"""

from __future__ import annotations

from sqlalchemy import text

from support.clients.database_engine import engine
from support.clients.exchanges import rewritten_by_the_harness
from support.report.evidence import attach_json

LEADS = text(
    """
    INSERT INTO leads (id, tenant_id, company, contact_name, estimated_value, currency, status, owner_id, created_at)
    SELECT gen_random_uuid(), CAST(:company AS uuid), 'Lead ' || lpad(n::text, 5, '0'), 'Buyer', n + 1, 'EUR',
           'new', CAST(:owner AS uuid), now() - interval '1 hour' + (n / 3) * interval '1 millisecond'
    FROM generate_series(0, :count - 1) AS n
    RETURNING id, created_at
    """
)


def leads(database_url: str, company_id: str, owner_id: str, count: int) -> list[str]:
    """Writes ``count`` new leads owned by ``owner_id``; returns their ids oldest first (ties by id)."""
    rewritten_by_the_harness(f"the leads of {company_id}")  # written without the platform: no trail, no events
    seeding = engine(database_url)
    try:
        with seeding.begin() as conn:
            made = sorted(
                (row.created_at, str(row.id))
                for row in conn.execute(LEADS, {"company": company_id, "owner": owner_id, "count": count})
            )
    finally:
        seeding.dispose()
    attach_json(
        f"SEED: {count} leads written to the database for the company",
        {
            "statement": str(LEADS).strip(),
            "company": company_id,
            "owner": owner_id,
            "count": count,
            "first": made[0][1] if made else None,
            "last": made[-1][1] if made else None,
        },
    )
    return [lead_id for _, lead_id in made]
