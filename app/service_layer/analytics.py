"""The analytics store fed and read: every business event copied once, and each company's figures from it.

Ingestion: the audit trail is the durable path (an event is written with the
business change it records, in one transaction). ``ingest_batch`` copies the
entries the store does not have yet, company by company in the order of their
seq, in one block; the store's own ``max(seq)`` per company is where the next
batch starts, so an ingester that restarts (or a second one) resumes where
the store stands, and a block delivered twice keeps each event once.

The assistant's use (questions, answers, failures) is recorded in a table of
its own, without the audit trail's lock on the company; ``ingest_assistant_use``
copies its rows not yet copied and marks them, in one transaction.

Reading: every query names the caller's company as a parameter; nothing is
read across companies.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text

from app.adapters.analytics_store import AnalyticsStore
from app.domain import analytics as rules
from app.domain.roles import Permission
from app.service_layer.principal import Principal

BATCH = 5_000  # events a block; a block is inserted whole or not at all

_PENDING = text(
    """
    SELECT e.id, e.tenant_id, e.seq, e.action, e.entity_id, e.occurred_at,
           e.data ->> 'amount' AS amount, e.data ->> 'currency' AS currency, e.data ->> 'campaign' AS campaign,
           coalesce(e.data ->> 'invoice_id', e.entity_id) AS subject
    FROM tenants t
    LEFT JOIN unnest(CAST(:companies AS uuid[]), CAST(:seqs AS bigint[])) AS c(company, seq) ON c.company = t.id
    CROSS JOIN LATERAL (
        SELECT * FROM audit_entries a
        WHERE a.tenant_id = t.id AND a.seq > coalesce(c.seq, 0)
        ORDER BY a.seq LIMIT :batch
    ) e
    WHERE t.audit_seq > coalesce(c.seq, 0)
    ORDER BY e.tenant_id, e.seq
    LIMIT :batch
    """
)


# The assistant's use not yet copied, marked copied and given back as the store's rows, encoded by the database
# (one statement; the rows are never built in Python)
_COPY_USE = text(
    """
    UPDATE assistant_usage u SET copied_at = now()
    FROM (
        SELECT id FROM assistant_usage WHERE copied_at IS NULL ORDER BY occurred_at LIMIT :batch FOR UPDATE SKIP LOCKED
    ) picked
    WHERE u.id = picked.id
    RETURNING json_build_object(
        'company', u.tenant_id, 'event_id', u.id, 'seq', 0, 'action', u.action, 'subject', u.run_id,
        'occurred_at', to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
        'amount', '0', 'currency', '', 'tool_calls', u.tool_calls, 'tokens', u.tokens, 'answer_ms', u.answer_ms,
        'failure', coalesce(u.failure, ''), 'tool', coalesce(u.tool, '')
    )::text
    """
)  # seq 0: not the audit trail's, so where its copy stands is not moved


def ingest_assistant_use(engine: Engine, store: AnalyticsStore, batch: int = BATCH) -> int:
    """Copies at most ``batch`` events of the assistant's use not yet copied, and marks them copied in the
    same transaction (a store that refuses the block leaves them to copy); returns how many. A block the store
    took whose mark was lost is copied again, and the store keeps each event once (its id)."""
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's use
        rows = conn.execute(_COPY_USE, {"batch": batch}).scalars().all()
        store.insert_encoded("events", rows)
    return len(rows)


_TO_RECOPY = text("SELECT company_id, asked_at FROM analytics_recopy ORDER BY asked_at")
_USE_COPIED_AGAIN = text("UPDATE assistant_usage SET copied_at = NULL WHERE tenant_id = :company")
_RECOPIED = text("DELETE FROM analytics_recopy WHERE company_id = :company AND asked_at = :asked_at")


def recopy_companies(engine: Engine, store: AnalyticsStore, up_to: dict[str, int]) -> list[str]:
    """Each company a removal or a restore named (``analytics_recopy``): its events forgotten in the store, its
    assistant's use marked to be copied again, it taken out of ``up_to`` (its trail is copied again from its first
    entry), and its name taken off unless it was named again meanwhile (a removal or a restore between two of these
    steps: it is done again next time). Returns the companies done."""
    with engine.connect() as conn:
        asked = [(str(company), at) for company, at in conn.execute(_TO_RECOPY)]
    for company, at in asked:
        store.execute("DELETE FROM events WHERE company = {company:UUID}", {"company": company})
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # whichever company it is
            conn.execute(_USE_COPIED_AGAIN, {"company": company})
            conn.execute(_RECOPIED, {"company": company, "asked_at": at})
        up_to.pop(company, None)
    return [company for company, _ in asked]


def stored_up_to(store: AnalyticsStore) -> dict[str, int]:
    """Each company's last seq the store holds."""
    rows = store.rows("SELECT toString(company) AS company, max(seq) AS seq FROM events GROUP BY company")
    return {row["company"]: int(row["seq"]) for row in rows}


def ingest_batch(engine: Engine, store: AnalyticsStore, up_to: dict[str, int], batch: int = BATCH) -> int:
    """Copies at most ``batch`` events the store lacks (after ``up_to``, which it advances); returns how many."""
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's trail
        pending = (
            conn.execute(_PENDING, {"companies": list(up_to), "seqs": list(up_to.values()), "batch": batch})
            .mappings()
            .all()
        )
    rows = [
        {
            "company": str(e["tenant_id"]),
            "event_id": str(e["id"]),
            "seq": e["seq"],
            "action": e["action"],
            "subject": str(e["subject"]),
            "occurred_at": e["occurred_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),  # the store reads UTC
            "amount": e["amount"] or "0",
            "currency": e["currency"] or "",
            "campaign": e["campaign"] or "",
        }
        for e in pending
    ]
    store.insert("events", rows)
    for row in rows:
        up_to[row["company"]] = max(up_to.get(row["company"], 0), row["seq"])
    return len(rows)


# The company's events in the span, each once: what every figure reads
IN_SPAN = (
    "FROM events FINAL WHERE company = {company:UUID} AND occurred_at >= {start:DateTime64(6, 'UTC')} "
    "AND occurred_at < {end:DateTime64(6, 'UTC')}"
)
# Each stage's events in a span; the paid stage counts distinct invoices (by their UUID: exact, and quick)
FUNNEL_STAGES = (
    "SELECT action, count() AS events, uniqExactIf(subject_id, action = {paid:String}) AS subjects "
    f"{IN_SPAN} AND action IN {{actions:Array(String)}} GROUP BY action"
)


def funnel(store: AnalyticsStore, principal: Principal, span: rules.Span) -> dict[str, Any]:
    """How many records reached each stage in the span (a paid stage counts invoices, not payments)."""
    principal.require(Permission.READ_ANALYTICS)
    rows = _rows_in_span(
        store, principal, span, FUNNEL_STAGES, {"actions": _array(rules.FUNNEL.values()), "paid": rules.FUNNEL["paid"]}
    )
    by_action = {row["action"]: row for row in rows}
    stages = []
    for stage, action in rules.FUNNEL.items():
        row = by_action.get(action, {})
        count = int(row.get("subjects" if stage == "paid" else "events", 0))
        stages.append({"stage": stage, "count": count})
    campaigns = _rows_in_span(
        store,
        principal,
        span,
        "SELECT campaign, countIf(action = {captured:String}) AS leads, countIf(action = {won:String}) AS won "
        f"{IN_SPAN} AND campaign != '' GROUP BY campaign ORDER BY campaign",
        {"captured": rules.FUNNEL["leads"], "won": rules.FUNNEL["won"]},
    )
    return {
        "from": span.first.isoformat(),
        "to": span.last.isoformat(),
        "stages": stages,
        "campaigns": [
            {"campaign_id": c["campaign"], "leads": int(c["leads"]), "won": int(c["won"])} for c in campaigns
        ],
    }


def revenue(store: AnalyticsStore, principal: Principal, span: rules.Span) -> dict[str, Any]:
    """Money received per day and currency: payments less refunds, to the cent."""
    principal.require(Permission.READ_ANALYTICS)
    rows = _rows_in_span(
        store,
        principal,
        span,
        "SELECT toString(toDate(occurred_at)) AS day, currency, "
        "toString(sumIf(amount, action = {paid:String})) AS paid, "
        "toString(sumIf(amount, action = {refunded:String})) AS refunded "
        f"{IN_SPAN} AND action IN ({{paid:String}}, {{refunded:String}}) GROUP BY day, currency ORDER BY day, currency",
        {"paid": rules.RECEIVED, "refunded": rules.GIVEN_BACK},
    )
    days = [
        {
            "day": row["day"],
            "currency": row["currency"],
            "received": f"{rules.received(Decimal(row['paid']), Decimal(row['refunded'])):.2f}",
        }
        for row in rows
    ]
    return {"from": span.first.isoformat(), "to": span.last.isoformat(), "days": days}


def usage(store: AnalyticsStore, principal: Principal, span: rules.Span) -> dict[str, Any]:
    """The platform's use per day: sign-ins and failed sign-ins; questions to the assistant taken, answered
    and failed; the tool calls and tokens of the runs that ended; the 95th percentile of the time to an
    answer (exact, in milliseconds)."""
    principal.require(Permission.READ_ANALYTICS)
    actions = {
        "signed_in": rules.SIGNED_IN,
        "sign_in_failed": rules.SIGN_IN_FAILED,
        "asked": rules.ASKED,
        "tool_called": rules.TOOL_CALLED,
        "answered": rules.ANSWERED,
        "failed": rules.FAILED,
    }
    rows = _rows_in_span(
        store,
        principal,
        span,
        "SELECT toString(toDate(occurred_at)) AS day, countIf(action = {signed_in:String}) AS sign_ins, "
        "countIf(action = {sign_in_failed:String}) AS failed_sign_ins, countIf(action = {asked:String}) AS questions, "
        "countIf(action = {answered:String}) AS answered, countIf(action = {failed:String}) AS failed, "
        "countIf(action = {tool_called:String}) AS tool_calls, sum(tokens) AS tokens, "
        "toUInt32(ceil(quantileExactIf(0.95)(answer_ms, action = {answered:String}))) AS p95_answer_ms "
        f"{IN_SPAN} AND action IN {{actions:Array(String)}} GROUP BY day ORDER BY day",
        {**actions, "actions": _array(actions.values())},
    )
    keys = ("sign_ins", "failed_sign_ins", "questions", "answered", "failed", "tool_calls", "tokens", "p95_answer_ms")
    days = [{"day": row["day"], **{key: int(row[key]) for key in keys}} for row in rows]
    return {"from": span.first.isoformat(), "to": span.last.isoformat(), "days": days}


def freshness(engine: Engine, store: AnalyticsStore, principal: Principal) -> dict[str, Any]:
    """How far the store is behind the company's own records: events recorded and not yet in the store."""
    principal.require(Permission.READ_ANALYTICS)
    stored = store.rows(
        "SELECT max(seq) AS seq, toString(max(occurred_at)) AS newest FROM events WHERE company = {company:UUID}",
        {"company": str(principal.company_id)},
    )
    with engine.begin() as conn:
        recorded = conn.execute(
            text("SELECT audit_seq FROM tenants WHERE id = :company"), {"company": principal.company_id}
        ).scalar_one_or_none()
        conn.execute(text("SELECT set_config('app.company', :company, true)"), {"company": str(principal.company_id)})
        use_waiting = conn.execute(
            text("SELECT count(*) FROM assistant_usage WHERE tenant_id = :company AND copied_at IS NULL"),
            {"company": principal.company_id},
        ).scalar_one()
    held = int(stored[0]["seq"])  # an aggregate without GROUP BY: always one row, 0 when the store holds none
    newest = datetime.fromisoformat(stored[0]["newest"]).replace(tzinfo=UTC) if held else None
    return {"events_waiting": max(0, int(recorded or 0) - held) + int(use_waiting), "newest_event_at": newest}


STORED_FROM, STORED_UNTIL = date(1900, 1, 1), date(2299, 12, 31)  # the days a DateTime64 of the store can hold


def _rows_in_span(
    store: AnalyticsStore, principal: Principal, span: rules.Span, sql: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """``sql`` (reading the company's events ``IN_SPAN``) with ``params``; none when the span lies outside the
    days the store can hold."""
    bounds = _company_and_span(principal, span)
    return [] if bounds is None else store.rows(sql, {**bounds, **params})


def _company_and_span(principal: Principal, span: rules.Span) -> dict[str, Any] | None:
    """The query's parameters; None when the span lies outside the days the store can hold (nothing there)."""
    start, end = max(span.first, STORED_FROM), min(span.end or STORED_UNTIL, STORED_UNTIL)
    if start >= end:
        return None
    return {"company": str(principal.company_id), "start": f"{start} 00:00:00", "end": f"{end} 00:00:00"}


def _array(values: Any) -> str:
    """A ClickHouse array parameter: ['a','b'] (the values are the platform's own action names)."""
    return "[" + ",".join(f"'{value}'" for value in values) + "]"
