"""Personas acting on the platform in business verbs, each through their own session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from support.clients.paths import Assistant, Billing, Compliance, Finance, Sales
from support.clients.platform_api import Answer, PlatformApi
from support.scenario.builders import client_email

AUDIT_PAGE = 1000  # the most entries the trail gives in one answer


@dataclass
class Actor:
    name: str
    role: str
    user_id: str
    token: str
    api: PlatformApi
    tenant_slug: str

    # sales
    def captures_lead(
        self, company: str, value: Decimal, currency: str, *, with_email: bool = True, reachable: bool = True
    ) -> dict[str, Any]:
        return self.sends_lead(company, value, currency, with_email=with_email, reachable=reachable).expect_record(
            f"{self.name} capturing a lead from {company}"
        )

    def sends_lead(
        self, company: str, value: Decimal, currency: str, *, with_email: bool = True, reachable: bool = True
    ) -> Answer:
        """A lead sent to be captured, however it is answered (``reachable``: its e-mail address is one a mail
        server takes; else one it refuses for good)."""
        lead = {
            "company": company,
            "contact_name": f"Buyer at {company}"[:200].rstrip(),  # a name may have 200 characters
            "contact_email": client_email(company, self.tenant_slug, reachable=reachable) if with_email else None,
            "estimated_value": f"{value:.2f}",
            "currency": currency,
        }
        return self.api.post(Sales.LEADS, lead)

    def qualifies(self, lead: dict[str, Any]) -> dict[str, Any]:
        return self.api.post(Sales.lead(lead["id"], "qualify")).expect_record(f"{self.name} qualifying the lead")

    def disqualifies(self, lead: dict[str, Any], reason: str) -> dict[str, Any]:
        return self.api.post(Sales.lead(lead["id"], "disqualify"), {"reason": reason}).expect_record(
            f"{self.name} disqualifying the lead"
        )

    def converts(self, lead: dict[str, Any]) -> Answer:
        return self.api.post(Sales.lead(lead["id"], "convert"), {})

    def moves(self, deal: dict[str, Any], stage: str) -> dict[str, Any]:
        return self.api.post(Sales.deal(deal["id"], "stage"), {"stage": stage}).expect_record(
            f"{self.name} moving the deal to {stage}"
        )

    def wins(self, deal: dict[str, Any]) -> dict[str, Any]:
        return self.api.post(Sales.deal(deal["id"], "win")).expect_record(f"{self.name} winning the deal")

    def loses(self, deal: dict[str, Any], reason: str) -> dict[str, Any]:
        return self.api.post(Sales.deal(deal["id"], "lose"), {"reason": reason}).expect_record(
            f"{self.name} losing the deal"
        )

    # billing
    def drafts_invoice(self, project_id: str, lines: list[dict[str, str]], terms_days: int = 30) -> dict[str, Any]:
        return self.api.post(
            Billing.INVOICES, {"project_id": project_id, "lines": lines, "payment_terms_days": terms_days}
        ).expect_record(f"{self.name} drafting an invoice")

    def issues(self, invoice: dict[str, Any]) -> dict[str, Any]:
        return self.api.post(Billing.invoice(invoice["id"], "issue")).expect_record(f"{self.name} issuing the invoice")

    def voids(self, invoice: dict[str, Any], reason: str) -> dict[str, Any]:
        return self.api.post(Billing.invoice(invoice["id"], "void"), {"reason": reason}).expect_record(
            f"{self.name} voiding the invoice"
        )

    def takes_card_payment(self, invoice_id: str, amount: Decimal, card_token: str, key: str) -> Answer:
        return card_payment(self.api, invoice_id, amount, card_token, key)

    # reports
    def reads_sales_summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = self.reads_report("sales-summary")
        return summary

    def reads_report(self, name: str, **params: Any) -> Any:
        return self.api.get(Finance.report(name), **params).expect_ok(f"{self.name} reading the {name} report")

    def archives_thread(self, thread_id: str) -> dict[str, Any]:
        return self.api.post(Assistant.thread(thread_id, "archive")).expect_record(f"{self.name} archiving a thread")

    # reading
    def looks_at(self, kind: str, record_id: str) -> dict[str, Any]:
        return self.api.get(f"/{kind}/{record_id}").expect_record(f"{self.name} reading {kind} {record_id}")

    def reads_conversation(self, thread_id: str) -> dict[str, Any]:
        """One of the person's conversations with every message, oldest first: its pages of messages, one after
        the other, while each answer's ``Link`` names a next one."""
        pages = cast(list[dict[str, Any]], list(self.pages(Assistant.thread(thread_id))))  # each page a thread
        return {**pages[0], "messages": [message for page in pages for message in page["messages"]]}

    def pages(self, path: str, **params: Any) -> Iterator[list[dict[str, Any]]]:
        """The listing's pages, one after the other, while each one's ``Link`` names a next one."""
        while True:
            answer = self.api.get(path, **params)
            yield answer.expect_ok(f"{self.name} listing {path}")
            after = next_cursor(answer.headers.get("Link"))
            if after is None:
                return
            params = {**params, "after": after}

    def ids_page_by_page(self, path: str, *, most_pages: int, **params: Any) -> list[list[str]]:
        """The ids on each page of the listing; stops after ``most_pages`` (a listing that never ends), so the
        check after it says what came instead of the run hanging."""
        pages: list[list[str]] = []
        for page in self.pages(path, **params):
            pages.append([record["id"] for record in page])
            if len(pages) >= most_pages:
                break
        return pages

    def lists(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Everything the listing holds, every page of it (the audit trail's pages follow its entries' seq)."""
        if path == Compliance.AUDIT and not params:
            return self.whole_audit_trail()
        return [record for page in self.pages(path, **params) for record in page]

    def whole_audit_trail(self) -> list[dict[str, Any]]:
        """Every entry of the company's trail, oldest first: read a page of the most it gives at a time, each
        after the last entry's seq, until a page comes short (the trail names no next page)."""
        entries: list[dict[str, Any]] = []
        while True:
            after = entries[-1]["seq"] if entries else 0
            page = self.api.get(Compliance.AUDIT, after_seq=after, limit=AUDIT_PAGE).expect_ok(
                f"{self.name} reading the audit trail after entry {after}"
            )
            entries += page
            if len(page) < AUDIT_PAGE:
                return entries


def card_payment(api: PlatformApi, invoice_id: str, amount: Decimal, card_token: str, key: str) -> Answer:
    """A card payment of the invoice taken through ``api`` (any instance's), with its idempotency key."""
    return api.post(
        Billing.payments(invoice_id),
        {"amount": f"{amount:.2f}", "card_token": card_token},
        headers={"Idempotency-Key": key},
    )


def next_cursor(link: str | None) -> str | None:
    """The ``after`` cursor of a ``Link: <...>; rel="next"`` header, or None on the last page."""
    if not link or 'rel="next"' not in link:
        return None
    query = parse_qs(urlsplit(link.split(";")[0].strip("<> ")).query)
    return query.get("after", [None])[0]
