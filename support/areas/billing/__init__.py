"""Billing: invoices drafted, issued, paid and refunded; invoice e-mail; what the payment checks expect."""
