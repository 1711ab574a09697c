"""Every address of the platform's API that the harness uses, by business area.

The one place a route's path is written: a renamed route is changed here and
nowhere else (a test keeps other modules of ``support/`` from spelling paths).
Paths are relative to the API's prefix (``/api/v1``), as ``PlatformApi`` takes them.
"""

from __future__ import annotations

from typing import Any

API_PREFIX = "/api/v1"


class Operations:
    """What operators read, served at the host's root rather than under the API's prefix."""

    HEALTH = "/health"
    LIVE = "/health/live"
    READY = "/health/ready"
    METRICS = "/metrics"
    OPENAPI = "/openapi.json"
    AT_ROOT = (HEALTH, OPENAPI)
    SETTINGS_RELOAD = "/admin/settings/reload"  # under the API's prefix: every instance reads its settings again

    @staticmethod
    def company_clock(company_id: Any) -> str:
        """Under the API's prefix: a test stack's instance makes the company's clock stand at an instant."""
        return f"/admin/companies/{company_id}/clock"

    OUTSIDE_TENANCY = (f"{API_PREFIX}/admin/", f"{API_PREFIX}/auth/")  # answered before a company is known

    @staticmethod
    def health(which: str) -> str:
        """``live`` or ``ready``."""
        return f"{Operations.HEALTH}/{which}"


class Tenancy:
    """Companies, their people and their sessions."""

    COMPANIES = "/admin/tenants"
    SIGN_IN = "/auth/token"
    SIGN_OUT = "/auth/logout"
    ME = "/me"
    USERS = "/users"

    RESTORE = "/admin/tenants/restore"

    @staticmethod
    def company(company_id: Any) -> str:
        """One company (``DELETE``, by the operator: it and everything it holds)."""
        return f"/admin/tenants/{company_id}"

    @staticmethod
    def backup(company_id: Any) -> str:
        """One company's backup (``GET``, by the operator); ``RESTORE`` takes it back."""
        return f"/admin/tenants/{company_id}/backup"

    @staticmethod
    def user(user_id: Any) -> str:
        """One person of the company (``PATCH``: their role)."""
        return f"/users/{user_id}"

    @staticmethod
    def company_leads(company_id: Any) -> str:
        """A company named in the address (the platform must ignore it: the caller's token decides)."""
        return f"/tenants/{company_id}/leads"


class Sales:
    """Leads, deals, clients, delivery projects, campaigns and what people are told."""

    LEADS = "/leads"
    DEALS = "/opportunities"
    CLIENTS = "/clients"
    PROJECTS = "/projects"
    CAMPAIGNS = "/campaigns"
    NOTIFICATIONS = "/notifications"

    @staticmethod
    def notification_read(notification_id: Any) -> str:
        return f"/notifications/{notification_id}/read"

    @staticmethod
    def lead(lead_id: Any, action: str | None = None) -> str:
        """A lead, or one of its actions (``qualify``, ``disqualify``, ``convert``)."""
        return f"/leads/{lead_id}" + (f"/{action}" if action else "")

    @staticmethod
    def deal(deal_id: Any, action: str | None = None) -> str:
        """A deal, or one of its actions (``win``, ``lose``, ``stage``)."""
        return f"/opportunities/{deal_id}" + (f"/{action}" if action else "")

    @staticmethod
    def client(client_id: Any) -> str:
        return f"/clients/{client_id}"

    @staticmethod
    def project(project_id: Any) -> str:
        return f"/projects/{project_id}"


class Analytics:
    """The analytics store's figures: the funnel, money received per day, the platform's use, how fresh they are."""

    FIGURES = ("funnel", "revenue", "usage", "freshness")

    @staticmethod
    def figure(name: str) -> str:
        return f"/analytics/{name}"


class Billing:
    """Invoices, payments, refunds and commissions."""

    INVOICES = "/invoices"
    COMMISSIONS = "/commissions"

    @staticmethod
    def invoice(invoice_id: Any, action: str | None = None) -> str:
        """An invoice, or one of its actions (``issue``, ``void``)."""
        return f"/invoices/{invoice_id}" + (f"/{action}" if action else "")

    @staticmethod
    def payments(invoice_id: Any) -> str:
        """An invoice's payments: listed, and taken."""
        return f"/invoices/{invoice_id}/payments"

    @staticmethod
    def refunds(payment_id: Any) -> str:
        return f"/payments/{payment_id}/refunds"


class Compliance:
    """The audit trail, approvals and the company's settings."""

    AUDIT = "/audit"
    AUDIT_VERIFY = "/audit/verify"
    APPROVALS = "/approvals"
    SETTINGS = "/settings"

    @staticmethod
    def approval(approval_id: Any, decision: str) -> str:
        """A decision on an approval request (``approve``, ``reject``)."""
        return f"/approvals/{approval_id}/{decision}"


class Finance:
    """The company's reports."""

    @staticmethod
    def report(name: str) -> str:
        """A report by its name in the address (``sales-summary``, ``receivables-ageing``, ...)."""
        return f"/reports/{name}"


class CustomerCare:
    """Customer tickets."""

    TICKETS = "/tickets"

    @staticmethod
    def ticket(ticket_id: Any, action: str | None = None) -> str:
        """A ticket, or one of its actions (``answer``, ``close``)."""
        return f"/tickets/{ticket_id}" + (f"/{action}" if action else "")


class Assistant:
    """The assistant's conversations and its live socket."""

    THREADS = "/assistant/threads"
    SOCKET = f"{API_PREFIX}/assistant/ws"  # from the host's root: a socket is opened outside PlatformApi

    @staticmethod
    def thread(thread_id: Any, action: str | None = None) -> str:
        """A conversation, or one of its actions (``archive``)."""
        return f"/assistant/threads/{thread_id}" + (f"/{action}" if action else "")


# A person's own things, each under its own address: a colleague is as much a stranger to them as a person of
# another company (the address as sent, the API's prefix included)
OWN_THINGS = (f"{API_PREFIX}{Assistant.THREADS}/", f"{API_PREFIX}{Sales.NOTIFICATIONS}/")
