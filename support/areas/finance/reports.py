"""Finance reports as the business reads them, and the checks on their figures.

World facts written here: ``finance.computations_before``, ``sales.deal``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to, has_entries

from support.areas.billing import tasks as billing
from support.areas.sales import tasks as sales
from support.clients.cache_tamper import overwrite_cached_report
from support.clients.database_tamper import backdate_invoice, date_commissions_of, date_payment
from support.scenario.async_runner import run_async
from support.scenario.matchers import amount_of
from support.scenario.money_text import Money, parse_money
from support.scenario.personas import OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World

BUCKETS = {
    "current": "current",
    "1 to 30 days": "days_1_30",
    "31 to 60 days": "days_31_60",
    "61 to 90 days": "days_61_90",
    "over 90 days": "days_90_plus",
}


def today() -> date:
    return datetime.now(UTC).date()


def open_deal_at_stage(world: World, company: str, amount: Decimal, currency: str, stage: str) -> None:
    deal = sales.open_deal(world, SALES_PERSONA, company, amount, currency)
    if stage != "prospecting":
        world.sales.deal = world.actor(SALES_PERSONA).moves(deal, stage)


def _line(report: dict[str, Any], currency: str) -> dict[str, Any]:
    lines = [line for line in report["currencies"] if line["currency"] == currency]
    assert_that(len(lines), equal_to(1), f"one {currency} line in the report")
    return lines[0]


def forecast_shows(world: World, weighted: Money, open_amount: Money) -> None:
    report = world.actor(OWNER_PERSONA).reads_report("forecast")
    assert_that(_line(report, weighted.currency), has_entries(weighted=amount_of(weighted.amount)), "the forecast")
    assert_that(_line(report, open_amount.currency), has_entries(open=amount_of(open_amount.amount)), "the forecast")


def ageing_shows(world: World, days_later: int, amount: Decimal, currency: str, bucket: str) -> None:
    as_of = today() + timedelta(days=days_later)
    line = _line(world.actor(OWNER_PERSONA).reads_report("receivables-ageing", as_of=as_of.isoformat()), currency)
    expected = {key: amount_of(amount if key == BUCKETS[bucket] else Decimal("0.00")) for key in BUCKETS.values()}
    assert_that(line, has_entries(**expected), f"the receivables as of {as_of}")


def nothing_due(world: World) -> None:
    report = world.actor(OWNER_PERSONA).reads_report("receivables-ageing", as_of=today().isoformat())
    assert_that(report["currencies"], equal_to([]), "money still due")


def read_ageing(world: World, name: str) -> None:
    world.actor(name).reads_report("receivables-ageing", as_of=today().isoformat())


def profit_and_loss_this_month(world: World, revenue: Money, costs: Money, profit: Money) -> None:
    report = world.actor(OWNER_PERSONA).reads_report("profit-and-loss", month=today().strftime("%Y-%m"))
    for name, money in (("revenue", revenue), ("cost_of_sales", costs), ("gross_profit", profit)):
        assert_that(
            _line(report, money.currency),
            has_entries({name: amount_of(money.amount)}),
            f"the {name.replace('_', ' ')} in {money.currency} this month",
        )


def instant_in_utc(text: str) -> datetime:
    """An instant a table writes as ``2025-12-01 00:00:00`` (UTC)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def database_to_date(world: World, what: str) -> str:
    """The database's address, to date ``what`` at an instant of the past (the harness writes it there)."""
    database_url = world.inspectors.config.database_url
    if not database_url:
        raise AssertionError(f"dating {what} at an instant of the past needs DATABASE_URL")
    return database_url


def invoices_issued_at(world: World, biller: str, tax_rate: Decimal, rows: list[dict[str, str]]) -> None:
    """``biller`` issues one invoice per row (client, net, "issued at" in UTC); each is then dated at its instant."""
    database_url = database_to_date(world, "an invoice")
    for row in rows:
        net, currency = parse_money(row["net"])
        invoice = billing.issued_invoice(world, row["client"], net, currency, tax_rate, biller=biller)
        backdate_invoice(database_url, world.tenant_id, invoice["id"], instant_in_utc(row["issued at (UTC)"]))


def commissions_earned_at(world: World, biller: str, tax_rate: Decimal, rows: list[dict[str, str]]) -> None:
    """Per row, an invoice to ``client`` for ``net`` issued and paid in full by card; the harness then dates the
    commissions that payment earned at the row's instant (UTC)."""
    database_url = database_to_date(world, "a commission")
    for row in rows:
        paid = _invoiced_and_paid(world, biller, tax_rate, row)
        date_commissions_of(database_url, world.tenant_id, paid["id"], instant_in_utc(row["earned at (UTC)"]))


def payments_received_at(world: World, biller: str, tax_rate: Decimal, rows: list[dict[str, str]]) -> None:
    """Per row, an invoice to ``client`` for ``net`` issued and paid in full by card; the harness then dates the
    payment at the row's instant (UTC)."""
    database_url = database_to_date(world, "a payment")
    for row in rows:
        paid = _invoiced_and_paid(world, biller, tax_rate, row)
        date_payment(database_url, world.tenant_id, paid["id"], instant_in_utc(row["received at (UTC)"]))


def _invoiced_and_paid(world: World, biller: str, tax_rate: Decimal, row: dict[str, str]) -> dict[str, Any]:
    """The payment of an invoice to the row's client for its net, paid in full by card."""
    net, currency = parse_money(row["net"])
    invoice = billing.issued_invoice(world, row["client"], net, currency, tax_rate, biller=biller)
    payment = billing.customer_pays(world, Decimal(invoice["total"]), currency)
    return payment.expect_ok(f"{row['client']} paying its invoice in full")


def _currency_and_amount(money: str) -> tuple[str, str]:
    amount, currency = parse_money(money)
    return currency, f"{amount:.2f}"


def revenue_per_month(world: World, rows: list[dict[str, str]]) -> None:
    """The revenue received by month shows each row's month and amount, and no other month."""
    months = world.actor(OWNER_PERSONA).reads_report("revenue-by-month")
    seen = [(m["month"], m["currency"], m["received"]) for m in months]
    expected = [(row["month"], *_currency_and_amount(row["received"])) for row in rows]
    assert_that(seen, equal_to(expected), "revenue received per month (month, currency, amount)")


def figure_per_span(world: World, figure: str, rows: list[dict[str, str]]) -> None:
    """Per row, the profit and loss of ``months`` whole months from ``from`` shows that ``figure`` (revenue or
    cost of sales; "nothing": no line for the currency)."""
    field = figure.replace(" ", "_")
    seen, expected = [], []
    for row in rows:
        report = world.actor(OWNER_PERSONA).reads_report("profit-and-loss", month=row["from"], months=row["months"])
        seen.append((row["from"], row["months"], [(line["currency"], line[field]) for line in report["currencies"]]))
        wanted = [] if row[figure] == "nothing" else [parse_money(row[figure])]
        expected.append((row["from"], row["months"], [(currency, f"{amount:.2f}") for amount, currency in wanted]))
    assert_that(seen, equal_to(expected), f"{figure} per span of months (from, months, [(currency, {figure})])")


def revenue_this_month(world: World, amount: Decimal, currency: str) -> None:
    months = world.actor(OWNER_PERSONA).reads_report("revenue-by-month")
    assert_that(
        months,
        equal_to([{"month": today().strftime("%Y-%m"), "currency": currency, "received": f"{amount:.2f}"}]),
        "revenue by month",
    )


def many_read_forecast_at_once(world: World, people: int) -> None:
    owner = world.actor(OWNER_PERSONA)
    world.finance.computations_before = owner.reads_report("cache-stats")["computations"]

    async def everyone() -> None:
        await asyncio.gather(*(asyncio.to_thread(owner.reads_report, "forecast") for _ in range(people)))

    run_async(everyone())


def computed_once(world: World) -> None:
    after = world.actor(OWNER_PERSONA).reads_report("cache-stats")["computations"]
    assert_that(after - world.finance.computations_before, equal_to(1), "computations of the cold report")


def read_forecast(world: World, name: str) -> None:
    world.actor(name).reads_report("forecast")


def cached_forecast_damaged(world: World, garbage: str) -> None:
    redis_url = world.inspectors.config.redis_url
    if not redis_url:
        raise AssertionError("damaging the cache needs REDIS_URL")
    overwrite_cached_report(redis_url, world.tenant_id, "forecast", garbage)


def sales_summary_shows(world: World, figures: dict[str, Money]) -> None:
    """``figures``: the open pipeline, won, invoiced, received and outstanding amounts, by their names, each
    looked for in its currency's row."""
    summary = world.actor(OWNER_PERSONA).reads_sales_summary()
    rows = {row["currency"]: row for row in summary["currencies"]}
    seen = {name: rows.get(money.currency, {}).get(name) for name, money in figures.items()}
    expected = {name: amount_of(money.amount) for name, money in figures.items()}
    assert_that(
        seen, has_entries(expected), f"the sales summary in {', '.join(sorted({m.currency for m in figures.values()}))}"
    )
