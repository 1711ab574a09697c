"""Business journeys built from actor tasks; each remembers what it made in the world.

World facts written here: ``billing.drafted``, ``billing.invoice``, ``billing.invoice_pages``,
``billing.payment_request``, ``billing.payments``, ``billing.refund``, ``billing.refund_request``, ``sales.lead``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to

from support.areas.sales import tasks as sales
from support.areas.sales.tasks import won_project
from support.clients.paths import Billing
from support.clients.platform_api import Answer, PlatformApi
from support.clients.processor_reader import APPROVED_CARD, DECLINED_CARD
from support.scenario import builders
from support.scenario.facts import Told
from support.scenario.money_text import Money, parse_amount, parse_percent
from support.scenario.personas import FINANCE_PERSONA, OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World


def draft_invoice(world: World, biller: str, lines: list[dict[str, str]], terms_days: int = 30) -> dict[str, Any]:
    world.billing.invoice = world.actor(biller).drafts_invoice(world.sales.project["id"], lines, terms_days)
    return world.billing.invoice


def draft_one_line(world: World, biller: str, quantity: Decimal, price: Money, tax_rate: Decimal) -> dict[str, Any]:
    """A draft of one line at ``price`` each; the project's currency must be the price's (a draft takes it)."""
    line = builders.invoice_line(quantity=str(quantity), unit_price=str(price.amount), tax_rate=str(tax_rate))
    invoice = draft_invoice(world, biller, [line])
    assert_that(invoice["currency"], equal_to(price.currency), "the currency of the drafted invoice")
    return invoice


def invoice_project(world: World, biller: str, tax_rate: Decimal, terms_days: int = 30) -> dict[str, Any]:
    """Invoices the won deal's whole amount as one line at ``tax_rate`` and issues the invoice."""
    deal = world.sales.deal
    draft_invoice(
        world,
        biller,
        [builders.invoice_line(description=deal["title"], unit_price=deal["amount"], tax_rate=str(tax_rate))],
        terms_days,
    )
    world.billing.invoice = world.actor(biller).issues(world.billing.invoice)
    return world.billing.invoice


def issued_invoice(
    world: World,
    company: str,
    net: Decimal,
    currency: str,
    tax_rate: Decimal,
    terms_days: int = 30,
    *,
    biller: str = FINANCE_PERSONA,
) -> dict[str, Any]:
    """``biller`` drafts and issues the invoice for ``company``'s won project."""
    won_project(world, company, net, currency)
    return invoice_project(world, biller, tax_rate, terms_days)


def issued_invoice_to_client_without_email(
    world: World, biller: str, company: str, net: Decimal, currency: str, tax_rate: Decimal
) -> dict[str, Any]:
    """As ``issued_invoice``, for a client whose lead gave no e-mail address."""
    return _issued_to_client(world, biller, company, net, currency, tax_rate, with_email=False)


def issued_invoice_to_unreachable_client(
    world: World, biller: str, company: str, net: Decimal, currency: str, tax_rate: Decimal
) -> dict[str, Any]:
    """As ``issued_invoice``, for a client whose e-mail address no mail server takes (no such mailbox)."""
    return _issued_to_client(world, biller, company, net, currency, tax_rate, reachable=False)


def _issued_to_client(
    world: World, biller: str, company: str, net: Decimal, currency: str, tax_rate: Decimal, **address: bool
) -> dict[str, Any]:
    seller = world.actor(SALES_PERSONA)
    world.sales.lead = seller.qualifies(seller.captures_lead(company, net, currency, **address))
    sales.convert_lead(world, SALES_PERSONA).expect_ok("turning the lead into a deal")
    sales.win_deal(world, SALES_PERSONA)
    return invoice_project(world, biller, tax_rate)


def project_to_invoice(world: World, biller: str, company: str) -> dict[str, Any]:
    """A won project for ``company``, which ``biller`` can see (she is the one to invoice it)."""
    project = won_project(world, company)
    world.actor(biller).looks_at("projects", project["id"])
    return project


def paying_client_is(world: World, company: str) -> None:
    """The company the feature says pays is the client the invoice is addressed to (never a stand-in)."""
    invoice = world.billing.invoice
    client = world.actor(OWNER_PERSONA).looks_at("clients", invoice["client_id"])
    if client["name"] != company:
        raise AssertionError(
            f"the invoice is addressed to {client['name']!r}, not to {company!r} who the step says pays"
        )


def void_invoice(world: World, biller: str, reason: str) -> dict[str, Any]:
    world.billing.invoice = world.actor(biller).voids(world.billing.invoice, reason)
    return world.billing.invoice


def customer_pays(
    world: World,
    amount: Decimal,
    currency: str,
    *,
    declined: bool = False,
    key: str | None = None,
    taker: str = FINANCE_PERSONA,
    payer: str | None = None,
) -> Answer:
    """The client pays the remembered invoice by card; ``taker`` (finance by default) takes the payment.

    ``payer``: the company the feature names as paying; it must be the invoice's client."""
    if payer is not None:
        paying_client_is(world, payer)
    invoice = world.billing.invoice
    in_invoice_currency(world, currency)
    request = {
        "invoice_id": invoice["id"],
        "amount": amount,
        "card_token": DECLINED_CARD if declined else APPROVED_CARD,
        "key": key or builders.idempotency_key(),
    }
    world.billing.payment_request = request
    kept = world.actor(taker).takes_card_payment(**request)
    world.billing.payments.append(kept)
    return kept


def in_invoice_currency(world: World, currency: str) -> None:
    """The currency a step names is the invoice's (never silently taken as it)."""
    invoice_currency = world.billing.invoice["currency"]
    if currency != invoice_currency:
        raise ValueError(f"the invoice is in {invoice_currency}, not {currency}")


def pay_again(world: World, amount: Decimal | None = None, currency: str | None = None) -> Answer:
    """Sends the last payment again with the same key (and, if given, another amount in ``currency``)."""
    last = world.billing.payment_request
    return customer_pays(
        world,
        amount if amount is not None else last["amount"],
        currency or world.billing.invoice["currency"],
        declined=last["card_token"] == DECLINED_CARD,
        key=last["key"],
    )


def last_payment(world: World) -> Answer:
    return world.billing.payments[-1]


def line_from_row(row) -> dict[str, str]:
    """An invoice line from a table row with description, quantity, unit price and rate."""
    return builders.invoice_line(
        description=row["description"],
        quantity=str(parse_amount(row["quantity"])),
        unit_price=str(parse_amount(row["unit price"])),
        tax_rate=str(parse_percent(row["rate"])),
    )


def last_accepted_payment(world: World) -> dict[str, Any]:
    """The body of the scenario's last payment the platform accepted."""
    return next(a.body for a in reversed(world.billing.payments) if a.status == 201)


def refund_last_payment(world: World, biller: str, amount: Decimal, currency: str) -> Answer:
    """Refunds part of the last accepted payment of the invoice."""
    in_invoice_currency(world, currency)
    payment = last_accepted_payment(world)
    request = {
        "payment_id": payment["id"],
        "charge": payment["processor_charge_id"],
        "amount": amount,
        "key": builders.idempotency_key(),
    }
    answer = refund(world.actor(biller).api, request)
    world.billing.refund_request = request
    world.billing.refund = Told(biller, answer)
    return answer


def refund(api: PlatformApi, request: dict[str, Any]) -> Answer:
    """A refund of ``request["amount"]`` of a payment, with its idempotency key, through ``api``."""
    return api.post(
        Billing.refunds(request["payment_id"]),
        {"amount": f"{request['amount']:.2f}"},
        headers={"Idempotency-Key": request["key"]},
    )


def drafted_invoices(world: World, biller: str, count: int) -> list[str]:
    """``count`` one-line drafts on one won project, oldest first; their ids are remembered as ``drafted``."""
    project = won_project(world, "Globex")
    line = {"description": "Delivery", "quantity": "1", "unit_price": "100.00", "tax_rate": "0"}
    drafted = [world.actor(biller).drafts_invoice(project["id"], [line])["id"] for _ in range(count)]
    world.billing.drafted = drafted
    return world.billing.drafted


def reads_invoices_in_pages(world: World, reader: str, size: int) -> list[list[str]]:
    pages = world.actor(reader).ids_page_by_page(Billing.INVOICES, most_pages=101, limit=size)
    world.billing.invoice_pages = pages
    return world.billing.invoice_pages
