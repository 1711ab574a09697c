"""Read-only checks straight in the platform's database (SQLAlchemy Core).

Every query runs in a READ ONLY transaction and is attached to the report with
the rows it returned. With no DATABASE_URL (a remote deployment without
database access) the checks are skipped, and the skip itself is attached.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from support.clients.database_engine import engine
from support.clients.row_digests import COMPANY_TABLES, RowDigests, Rows
from support.report.evidence import attach_json, attach_text

QUERIES = {
    "invoice": "SELECT status, net, tax, total, amount_paid FROM invoices WHERE tenant_id = :tenant AND id = :id",
    "invoice_lines": "SELECT position, net, tax FROM invoice_lines WHERE tenant_id = :tenant "
    "AND invoice_id = :id ORDER BY position",
    "payments": "SELECT id, amount, currency, processor_charge_id, idempotency_key FROM payments "
    "WHERE tenant_id = :tenant AND invoice_id = :id ORDER BY received_at",
    "refunds": "SELECT r.amount FROM refunds r JOIN payments p ON p.id = r.payment_id "
    "WHERE r.tenant_id = :tenant AND p.invoice_id = :id",
    "deals_for_company": "SELECT o.id, o.stage FROM opportunities o JOIN clients c ON c.id = o.client_id "
    "WHERE o.tenant_id = :tenant AND c.name = :company",
    "projects_for_company": "SELECT p.id, p.status FROM projects p JOIN clients c ON c.id = p.client_id "
    "WHERE p.tenant_id = :tenant AND c.name = :company",
    "tasks_of_project": "SELECT title, status FROM tasks WHERE tenant_id = :tenant AND project_id = :id "
    "ORDER BY created_at",
    "commissions_of_user": "SELECT amount, rate FROM commissions WHERE tenant_id = :tenant AND user_id = :id",
    "leads_of_tenant": "SELECT id, company FROM leads WHERE tenant_id = :tenant ORDER BY created_at",
    "open_deals_total": "SELECT count(*) AS deals, coalesce(sum(amount), 0) AS total FROM opportunities "
    "WHERE tenant_id = :tenant AND stage IN ('prospecting', 'proposal', 'negotiation')",
    "thread_messages": "SELECT role FROM assistant_messages WHERE tenant_id = :tenant AND thread_id = :id "
    "ORDER BY created_at",
    "outbox_of_tenant": "SELECT to_address, status FROM outbox WHERE tenant_id = :tenant",
    # Each e-mail the company queued, with the invoice it is about and that invoice's client's address now
    "mail_of_tenant": (
        "SELECT o.id, o.to_address, o.status, o.about_id, i.total, i.currency, i.due_at, c.contact_email "
        "FROM outbox o LEFT JOIN invoices i ON i.id = o.about_id LEFT JOIN clients c ON c.id = i.client_id "
        "WHERE o.tenant_id = :tenant"
    ),
    "outbox_to": "SELECT status, attempts, sent_at, last_error FROM outbox WHERE tenant_id = :tenant AND to_address = :to",
    "audit_actions": "SELECT seq, action FROM audit_entries WHERE tenant_id = :tenant ORDER BY seq",
    # The trail's entries counted by day (UTC), event and currency, with the money they moved
    "activity_of_tenant": (
        "SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, action, data->>'currency' AS currency,"
        " count(*) AS count, COALESCE(sum(CAST(data->>'amount' AS numeric(14, 2))), 0) AS amount"
        " FROM audit_entries WHERE tenant_id = :tenant GROUP BY 1, 2, 3"
    ),
    "audit_of_tenant": (
        "SELECT actor_id, action, entity_type, entity_id, data FROM audit_entries WHERE tenant_id = :tenant"
    ),
    # Steady state of a tenant's money (features/resilience): each must return no rows.
    "paid_amounts_not_matching_payments": (
        "SELECT * FROM (SELECT i.id, i.total, i.amount_paid, "
        "COALESCE((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) "
        "- COALESCE((SELECT sum(r.amount) FROM refunds r JOIN payments p ON p.id = r.payment_id "
        "WHERE p.invoice_id = i.id), 0) AS recorded FROM invoices i WHERE i.tenant_id = :tenant) invoice "
        "WHERE amount_paid <> recorded OR amount_paid > total"
    ),
    "charges_recorded_twice": "SELECT processor_charge_id, count(*) AS times FROM payments WHERE tenant_id = :tenant "
    "GROUP BY processor_charge_id HAVING count(*) > 1",
    # An invoice's status against what it has been paid: nothing before it is issued or once it is void; issued
    # with nothing paid, partially paid with less than its total, paid with all of it. Must return no rows.
    "invoice_statuses_not_matching_amounts": (
        "SELECT id, status, total, amount_paid FROM invoices WHERE tenant_id = :tenant AND NOT ("
        "(status IN ('draft', 'void', 'issued') AND amount_paid = 0) "
        "OR (status = 'partially_paid' AND amount_paid > 0 AND amount_paid < total) "
        "OR (status = 'paid' AND amount_paid = total))"
    ),
    # Payments held for approval on an invoice since voided: a request nobody can approve. Must return no rows.
    "payments_held_on_void_invoices": (
        "SELECT a.id, a.amount, i.id AS invoice_id FROM approvals a JOIN invoices i "
        "ON i.id::text = a.payload ->> 'invoice_id' WHERE a.tenant_id = :tenant AND a.subject_type = 'payment' "
        "AND a.status = 'pending' AND i.status = 'void'"
    ),
    # Each commission with what it was earned on (the payment, or the refund it reverses) and who sold the deal.
    "commissions_with_their_money": (
        "SELECT c.id, c.user_id, c.amount, c.currency, c.rate, c.refund_id, c.payment_id, p.amount AS paid, "
        "p.currency AS paid_currency, r.amount AS refunded, r.payment_id AS refunded_payment, o.owner_id AS seller "
        "FROM commissions c JOIN payments p ON p.id = c.payment_id LEFT JOIN refunds r ON r.id = c.refund_id "
        "JOIN invoices i ON i.id = p.invoice_id JOIN projects pr ON pr.id = i.project_id "
        "JOIN opportunities o ON o.id = pr.opportunity_id WHERE c.tenant_id = :tenant"
    ),
    # Refunds of a payment that earned a commission, with no reversal of it. Must return no rows.
    "refunds_not_reversing_commission": (
        "SELECT r.id, r.amount FROM refunds r WHERE r.tenant_id = :tenant AND EXISTS (SELECT 1 FROM commissions c "
        "WHERE c.payment_id = r.payment_id AND c.refund_id IS NULL) AND NOT EXISTS (SELECT 1 FROM commissions c "
        "WHERE c.refund_id = r.id)"
    ),
    "payments_of_tenant": "SELECT p.invoice_id, p.processor_charge_id, p.amount, p.currency FROM payments p "
    "WHERE p.tenant_id = :tenant",
    "refunds_of_tenant": "SELECT r.processor_refund_id, r.amount, p.processor_charge_id FROM refunds r "
    "JOIN payments p ON p.id = r.payment_id WHERE r.tenant_id = :tenant",
    "invoices_not_matching_lines": (
        "SELECT i.id, i.net, i.tax, i.total, COALESCE(sum(l.net), 0) AS lines_net, COALESCE(sum(l.tax), 0) AS "
        "lines_tax, count(l.*) AS lines FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id "
        "WHERE i.tenant_id = :tenant GROUP BY i.id, i.net, i.tax, i.total HAVING count(l.*) = 0 "
        "OR i.net <> COALESCE(sum(l.net), 0) OR i.tax <> COALESCE(sum(l.tax), 0) OR i.total <> i.net + i.tax"
    ),
    "payments_without_audit": (
        "SELECT p.id FROM payments p WHERE p.tenant_id = :tenant AND NOT EXISTS (SELECT 1 FROM audit_entries a "
        "WHERE a.tenant_id = p.tenant_id AND a.action = 'payment_received' AND a.entity_id = p.id::text)"
    ),
    "audited_payments_missing": (
        "SELECT a.entity_id FROM audit_entries a WHERE a.tenant_id = :tenant AND a.action = 'payment_received' "
        "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id::text = a.entity_id)"
    ),
    "invoice_parts_of_tenant": "SELECT (SELECT count(*) FROM invoices WHERE tenant_id = :tenant) AS invoices, "
    "(SELECT count(*) FROM invoice_lines WHERE tenant_id = :tenant) AS lines, "
    "(SELECT count(*) FROM audit_entries WHERE tenant_id = :tenant "
    "AND action LIKE 'invoice%') AS invoice_audit_entries",
    "tenant_invoice_ids": "SELECT id FROM invoices WHERE tenant_id = :tenant",
    # A company's money by figure and currency, as its reports must show it (support/invariants/reports_agree.py).
    "money_by_currency": (
        "SELECT 'open' AS figure, currency, sum(amount) AS amount FROM opportunities WHERE tenant_id = :tenant "
        "AND stage IN ('prospecting', 'proposal', 'negotiation') GROUP BY currency "
        "UNION ALL SELECT 'won', currency, sum(amount) FROM opportunities WHERE tenant_id = :tenant "
        "AND stage = 'won' GROUP BY currency "
        "UNION ALL SELECT figure, currency, sum(amount) FROM invoices CROSS JOIN LATERAL (VALUES "
        "('invoiced', total), ('outstanding', total - amount_paid), ('paid', amount_paid)) AS f(figure, amount) "
        "WHERE tenant_id = :tenant AND status IN ('issued', 'partially_paid', 'paid') GROUP BY figure, currency "
        "UNION ALL SELECT 'taken', currency, sum(amount) FROM payments WHERE tenant_id = :tenant GROUP BY currency "
        # an invoice issued, then voided: in no figure, but its company's reports must leave it out
        "UNION ALL SELECT 'voided', currency, sum(total) FROM invoices WHERE tenant_id = :tenant AND status = 'void' "
        "AND issued_at IS NOT NULL GROUP BY currency"
    ),
    # A company's money by month (UTC), figure and currency, as its monthly reports must show it
    # (support/invariants/reports_agree.py): net billed by the month of issue, commissions by the month earned,
    # payments by the month received
    "money_by_month": (
        "SELECT to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, 'billed net' AS figure, currency, "
        "sum(net) AS amount FROM invoices WHERE tenant_id = :tenant AND status IN ('issued', 'partially_paid', "
        "'paid') GROUP BY 1, currency "
        "UNION ALL SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'earned', currency, sum(amount) "
        "FROM commissions WHERE tenant_id = :tenant GROUP BY 1, currency "
        "UNION ALL SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'received', currency, sum(amount) "
        "FROM payments WHERE tenant_id = :tenant GROUP BY 1, currency "
        "UNION ALL SELECT to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM'), 'voided net', currency, sum(net) "
        "FROM invoices WHERE tenant_id = :tenant AND status = 'void' AND issued_at IS NOT NULL GROUP BY 1, currency"
    ),
    # What a company's analytics must count, from its records and its trail (support/invariants/analytics_agree.py):
    # figure, key (a campaign, a currency, a day and currency), how many or how much
    "analytics_by_records": (
        "SELECT 'leads' AS figure, '' AS key, count(*)::numeric AS amount FROM leads WHERE tenant_id = :tenant "
        "UNION ALL SELECT 'qualified', '', count(*) FROM audit_entries WHERE tenant_id = :tenant "
        "AND action = 'lead_qualified' "
        "UNION ALL SELECT 'won', '', count(*) FROM opportunities WHERE tenant_id = :tenant AND stage = 'won' "
        "UNION ALL SELECT 'invoiced', '', count(*) FROM invoices WHERE tenant_id = :tenant AND issued_at IS NOT NULL "
        "UNION ALL SELECT 'paid', '', count(DISTINCT invoice_id) FROM payments WHERE tenant_id = :tenant "
        "UNION ALL SELECT 'campaign leads', campaign_id::text, count(*) FROM leads WHERE tenant_id = :tenant "
        "AND campaign_id IS NOT NULL GROUP BY campaign_id "
        "UNION ALL SELECT 'campaign won', l.campaign_id::text, count(*) FROM opportunities o "
        "JOIN leads l ON l.id = o.lead_id WHERE o.tenant_id = :tenant AND o.stage = 'won' "
        "AND l.campaign_id IS NOT NULL GROUP BY l.campaign_id "
        "UNION ALL SELECT 'received', currency, sum(amount) FROM (SELECT currency, amount FROM payments "
        "WHERE tenant_id = :tenant UNION ALL SELECT currency, -amount FROM refunds WHERE tenant_id = :tenant) m "
        "GROUP BY currency "
        "UNION ALL SELECT 'received on', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' "
        "|| (data ->> 'currency'), sum(CASE action WHEN 'payment_received' THEN 1 ELSE -1 END "
        "* CAST(data ->> 'amount' AS numeric)) FROM audit_entries WHERE tenant_id = :tenant "
        "AND action IN ('payment_received', 'refund_issued') GROUP BY 2 "
        "UNION ALL SELECT 'first day', to_char(min(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*) "
        "FROM audit_entries WHERE tenant_id = :tenant HAVING count(*) > 0 "
        "UNION ALL SELECT 'last day', to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*) "
        "FROM audit_entries WHERE tenant_id = :tenant HAVING count(*) > 0"
    ),
    # Each campaign with its leads, their deals won and the money received for those deals' invoices less the
    # refunds, per currency (a row per currency; one without when none came in)
    "campaign_returns_by_records": (
        "WITH theirs AS (SELECT l.campaign_id, i.id AS invoice_id FROM invoices i "
        "JOIN projects pr ON pr.id = i.project_id JOIN opportunities o ON o.id = pr.opportunity_id "
        "JOIN leads l ON l.id = o.lead_id WHERE i.tenant_id = :tenant AND o.stage = 'won'), "
        "money AS (SELECT t.campaign_id, p.currency, p.amount FROM payments p JOIN theirs t ON t.invoice_id = p.invoice_id "
        "UNION ALL SELECT t.campaign_id, p.currency, -r.amount FROM refunds r JOIN payments p ON p.id = r.payment_id "
        "JOIN theirs t ON t.invoice_id = p.invoice_id) "
        "SELECT c.id::text AS campaign, c.name, c.currency AS own_currency, c.budget, "
        "(SELECT count(*) FROM leads l WHERE l.campaign_id = c.id) AS leads, "
        "(SELECT count(*) FROM opportunities o JOIN leads l ON l.id = o.lead_id "
        "WHERE l.campaign_id = c.id AND o.stage = 'won') AS won, m.currency, m.amount "
        "FROM campaigns c LEFT JOIN (SELECT campaign_id, currency, sum(amount) AS amount FROM money "
        "GROUP BY campaign_id, currency) m ON m.campaign_id = c.id WHERE c.tenant_id = :tenant"
    ),
    "tenant_charge_ids": "SELECT processor_charge_id FROM payments WHERE tenant_id = :tenant",
    "serving_port": "SELECT inet_server_port() AS port",
    "platform_connections": "SELECT count(*) AS connections FROM pg_stat_activity WHERE application_name = 'platform'",
}


class DatabaseInspector:
    def __init__(self, database_url: str | None) -> None:
        self._engine = None
        self._digests = RowDigests(database_url) if database_url else None
        if database_url:
            self._engine = engine(
                database_url,
                pool_size=2,
                max_overflow=2,
                pool_pre_ping=True,
                execution_options={"postgresql_readonly": True},
            )

    @property
    def available(self) -> bool:
        return self._engine is not None

    def rows(self, query_name: str, *, evidence: bool = True, **params: Any) -> list[dict[str, Any]] | None:
        """Runs one named read-only query; None (and a note in the report) when there is no database.
        ``evidence=False``: nothing attached (a check of every scenario, which names what it finds wrong)."""
        if self._engine is None:
            if evidence:
                attach_text(f"database check skipped: {query_name}", "no DATABASE_URL was given")
            return None
        sql = QUERIES[query_name]
        with self._engine.connect() as conn:
            result = [dict(r) for r in conn.execute(text(sql), {k: str(v) for k, v in params.items()}).mappings()]
            conn.rollback()
        if evidence:
            attach_json(
                f"database: {query_name} ({len(result)} rows)", {"query": sql, "params": params, "rows": result}
            )
        return result

    def company_rows_by_table(self, tenant: str) -> dict[str, int] | None:
        """How many rows the company has in every table that holds companies' rows (found in the catalogue, so a
        table added later is counted too), and its own entry in ``tenants``; None when there is no database."""
        if self._engine is None:
            attach_text("database check skipped: company rows by table", "no DATABASE_URL was given")
            return None
        with self._engine.connect() as conn:
            quote = conn.dialect.identifier_preparer.quote
            tables = conn.execute(text(COMPANY_TABLES)).scalars().all()
            sql = " UNION ALL ".join(
                [
                    *(
                        f"SELECT '{table}' AS table_name, count(*) AS rows FROM {quote(table)} "
                        "WHERE tenant_id = CAST(:tenant AS uuid)"
                        for table in tables
                    ),
                    "SELECT 'tenants', count(*) FROM tenants WHERE id = CAST(:tenant AS uuid)",
                ]
            )
            counted = {row.table_name: row.rows for row in conn.execute(text(sql), {"tenant": str(tenant)})}
            conn.rollback()
        attach_json(f"database: rows of company {tenant} by table", {"query": sql, "rows": counted})
        return counted

    def company_fingerprint(self, tenant: str, *, leave_out: tuple[str, ...] = ()) -> Rows | None:
        """The company's rows in each table that holds companies' rows (but ``leave_out``), each digested under its
        id (a row without one under its digest): any row added, changed or removed shows. None when there is no
        database. Not attached to the report: the checks that hold everywhere take one around each request."""
        return None if self._digests is None else self._digests.of(tenant, leave_out=leave_out)

    def close(self) -> None:
        if self._digests is not None:
            self._digests.close()
        if self._engine is not None:
            self._engine.dispose()
