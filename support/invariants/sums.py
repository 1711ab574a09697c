"""What an invoice, a payment or a refund shows of its own money adds up, in every answer that shows it.

``features/billing`` says how an invoice's amounts are made (each line's net is its quantity times its unit
price and its tax the net at its rate, each rounded half up to the cent; the net and tax are the lines' sums and
the total their sum) and what its status says of what it was paid (issued: nothing yet; partially paid: some of
its total; paid: all of it; a draft or a void invoice: nothing). Here it holds for every invoice any answer shows,
in any list, after anything: and what is still due on an invoice issued, paid in part or paid is its total less
what it was paid. A payment's or a refund's answer says in what status it left the invoice and what is still due:
paid exactly when nothing is, partially paid or issued only when something is.

Pure checks over a recorded answer: each returns its problems in a reviewer's words (empty: kept). A field not
shown, or not an amount, is no claim here (the pinned contract and ``values`` speak to those).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from support.clients.exchanges import HttpExchange, objects_shown
from support.invariants.histories import kind_of

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
OWING = ("issued", "partially_paid", "paid")  # an invoice whose amount due is its total less what it was paid


def amounts_add_up(exchange: HttpExchange) -> list[str]:
    """The problems with the money of every invoice, payment and refund the answer shows."""
    if exchange.status >= 300:
        return []
    found = []
    for record in objects_shown(exchange):
        kind = kind_of(record).name
        if kind == "invoice":
            found += [f"shows the invoice {record.get('id')} {problem}" for problem in invoice_problems(record)]
        elif kind in ("payment", "refund"):
            found += [f"shows the {kind} {record.get('id')} {problem}" for problem in left_problems(record)]
    return found


def invoice_problems(invoice: Mapping[str, Any]) -> list[str]:
    """What does not add up in one invoice as shown."""
    net, tax, total = (_amount(invoice.get(name)) for name in ("net", "tax", "total"))
    paid, due, status = _amount(invoice.get("amount_paid")), _amount(invoice.get("amount_due")), invoice.get("status")
    problems = []
    lines = [line for line in invoice.get("lines") or [] if isinstance(line, dict)]
    for line in lines:
        problems += [f"with its line {line.get('position')} {problem}" for problem in _line_problems(line)]
    for name, whole in (("net", net), ("tax", tax)):
        parts = [part for line in lines if (part := _amount(line.get(name))) is not None]
        if whole is not None and parts and len(parts) == len(lines) and sum(parts, Decimal(0)) != whole:
            problems.append(f"with a {name} of {whole}, where its lines' add up to {sum(parts, Decimal(0))}")
    if net is not None and tax is not None and total is not None and net + tax != total:
        problems.append(f"with a total of {total}, where its net {net} and tax {tax} add up to {net + tax}")
    if total is not None and paid is not None:
        told = {
            "draft": paid == 0,
            "void": paid == 0,
            "issued": paid == 0,
            "partially_paid": 0 < paid < total,
            "paid": paid == total,
        }.get(str(status), True)
        if not told:
            problems.append(f"{str(status).replace('_', ' ')} with {paid} paid of its {total}")
        if status in OWING and due is not None and due != total - paid:
            problems.append(f"with {due} due, where its total {total} less the {paid} paid is {total - paid}")
    return problems


def left_problems(record: Mapping[str, Any]) -> list[str]:
    """What does not agree in how a payment or a refund says it left its invoice."""
    due, status = _amount(record.get("amount_due")), record.get("invoice_status")
    if due is None or status is None:
        return []
    if due < 0:
        return [f"leaving {due} due on its invoice: less than nothing"]
    if (status == "paid") != (due == 0):
        return [f"leaving its invoice {str(status).replace('_', ' ')} with {due} due"]
    return []


def _line_problems(line: Mapping[str, Any]) -> list[str]:
    quantity, price, rate = (_amount(line.get(name)) for name in ("quantity", "unit_price", "tax_rate"))
    net, tax = _amount(line.get("net")), _amount(line.get("tax"))
    problems = []
    if quantity is not None and price is not None and net is not None:
        made = (quantity * price).quantize(CENT, ROUND_HALF_UP)
        if made != net:
            problems.append(f"of {quantity} at {price} with a net of {net}, where it makes {made} (half up)")
    if net is not None and rate is not None and tax is not None:
        made = (net * rate / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        if made != tax:
            problems.append(f"with a net of {net} at {rate} % taxed {tax}, where that makes {made} (half up)")
    return problems


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        return None
