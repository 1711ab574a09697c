"""Business rules: money, invoicing, sales, approvals, roles, the audit chain, assistant events; imports only the standard library."""
