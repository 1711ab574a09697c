"""Each record the repositories hand the services has exactly its table's columns."""

import pytest
from hamcrest import assert_that, equal_to

from app.adapters.tables import metadata
from app.domain import records

# the table each record of the repositories is read from
RECORD_OF_TABLE: dict[str, type] = {
    "tenants": records.CompanyRecord,
    "users": records.PersonRecord,
    "leads": records.LeadRecord,
    "clients": records.ClientRecord,
    "opportunities": records.DealRecord,
    "projects": records.ProjectRecord,
    "tasks": records.TaskRecord,
    "campaigns": records.CampaignRecord,
    "tickets": records.TicketRecord,
    "invoices": records.InvoiceRecord,
    "invoice_lines": records.InvoiceLineRecord,
    "payments": records.PaymentRecord,
    "refunds": records.RefundRecord,
    "commissions": records.CommissionRecord,
    "approvals": records.ApprovalRecord,
    "notifications": records.NotificationRecord,
    "audit_entries": records.AuditEntryRecord,
    "assistant_threads": records.ThreadRecord,
    "assistant_messages": records.MessageRecord,
}


@pytest.mark.parametrize("table", sorted(RECORD_OF_TABLE))
def test_a_record_names_every_column_of_its_table_and_nothing_else(table):
    record = RECORD_OF_TABLE[table]
    assert_that(
        set(record.__annotations__),
        equal_to({column.name for column in metadata.tables[table].columns}),
        f"the {record.__name__} keys and the columns of {table}",
    )
