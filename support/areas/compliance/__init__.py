"""Compliance: high-value approvals and the audit trail's integrity."""
