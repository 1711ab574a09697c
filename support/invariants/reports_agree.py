"""Every company's reports agree with the records they sum, at the end of every scenario.

``features/finance`` says what each report shows for deals and invoices in chosen states. Here it holds for
whatever a scenario left: at its last step, for each of its companies that has a deal or an invoice (voided
included), the company's owner reads the sales summary, the forecast, the receivables' ageing, the profit and
loss and the money received by month (cached or not, as anyone would), and, per currency, against the company's
rows in the database:

- the open pipeline, in the summary and as the forecast's open amount, is what the deals at an open stage are
  worth, and the forecast weighs it at most at its whole;
- won is what the won deals are worth;
- invoiced is the totals of the invoices issued (in part paid or paid included; never a draft or a void one), and
  outstanding what they still owe, which the ageing's buckets add up to;
- received lies between what those invoices hold as paid (refunds taken off) and every payment taken;
- the profit and loss, over every month the company issued an invoice (voided since included) or earned a
  commission in, shows as revenue the net of its invoices issued, paid in part or paid, as cost of sales the
  commissions earned, and the one less the other as gross profit;
- the money received month by month is the payments received in each month.

A company the scenario removed, a database or cache it stopped, or an owner who cannot sign in now makes no
claim; nor does an answer other than 200, nor a report by month once the harness moved a record's date itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from support.clients.exchanges import json_or_none
from support.clients.paths import Finance
from support.clients.unrecorded import sent_by

ZERO = Decimal("0.00")
REPORTS = ("sales-summary", "forecast")
AGEING = "receivables-ageing"
AGEING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")

MEANING = {
    "open": "what its deals at an open stage are worth",
    "won": "what its won deals are worth",
    "invoiced": "the totals of its invoices issued, paid in part or paid",
    "outstanding": "what those invoices still owe",
    "paid": "what those invoices hold as paid",
    "taken": "every payment taken",
}
# figure -> currency -> amount, as the company's rows give them
Books = Mapping[str, Mapping[str, Decimal]]
# (month, figure, currency) -> amount, as the company's rows give them month by month
Months = Mapping[tuple[str, str, str], Decimal]
PNL = "profit-and-loss"
BY_MONTH = "revenue-by-month"
LONGEST_PNL_MONTHS = 36  # the profit and loss's longest span (the API's bound)
NOTHING_IN_PNL = {"revenue": "0.00", "cost_of_sales": "0.00", "gross_profit": "0.00"}


def disagreements(books: Books, read: Callable[[str], Any], company: str) -> list[str]:
    """What the company's reports (``read``: a report's body by its name, None when it could not be read) show
    against its ``books``, in a reviewer's words."""
    today = datetime.now(UTC).date().isoformat()  # any day: the buckets add up to what is owed on every one
    summary, forecast, ageing = (_per_currency(read(name)) for name in (*REPORTS, f"{AGEING}?as_of={today}"))
    shown = [report for report in (summary, forecast, ageing) if report is not None]
    currencies = sorted({c for figures in [*books.values(), *shown] for c in figures})
    found = []
    for currency in currencies:
        said = Said(company, currency, books)
        if summary is not None:
            line = summary.get(currency, {})
            said.agrees("the sales summary's open pipeline", line.get("open_pipeline"), "open")
            said.agrees("the sales summary's won", line.get("won"), "won")
            said.agrees("the sales summary's invoiced", line.get("invoiced"), "invoiced")
            said.agrees("the sales summary's outstanding", line.get("outstanding"), "outstanding")
            said.between("the sales summary's received", line.get("received"), "paid", "taken")
        if forecast is not None:
            line = forecast.get(currency, {})
            said.agrees("the forecast's open amount", line.get("open"), "open")
            said.between("the forecast's weighted amount", line.get("weighted"), None, "open")
        if ageing is not None:
            line = ageing.get(currency, {})
            total = sum((amount_shown(line.get(bucket)) or ZERO for bucket in AGEING_BUCKETS), ZERO)
            said.agrees("the receivables' ageing, its buckets added up,", total, "outstanding")
        found += said.problems
    return found


class Said:
    """The findings about one currency of one company's reports."""

    def __init__(self, company: str, currency: str, books: Books) -> None:
        self.company, self.currency, self.books = company, currency, books
        self.problems: list[str] = []

    def figure(self, name: str) -> Decimal:
        return self.books.get(name, {}).get(self.currency, ZERO)

    def agrees(self, what: str, shown: Any, figure: str) -> None:
        amount = shown if isinstance(shown, Decimal) else amount_shown(shown)
        if amount is None and shown is not None:
            self.problems.append(f"{what} for {self.company} in {self.currency} is not an amount: {shown!r}")
        elif (amount or ZERO) != self.figure(figure):
            self.problems.append(
                f"{what} for {self.company} is {amount or ZERO} {self.currency}, where its records give "
                f"{self.figure(figure)} {self.currency} ({MEANING[figure]})"
            )

    def between(self, what: str, shown: Any, low: str | None, high: str) -> None:
        amount = amount_shown(shown) if shown is not None else ZERO
        least = self.figure(low) if low else ZERO
        if amount is None or not least <= amount <= self.figure(high):
            floor = f"{MEANING[low]} ({least} {self.currency})" if low else "nothing"
            self.problems.append(
                f"{what} for {self.company} is {shown} {self.currency}, where it must lie between {floor} and "
                f"{MEANING[high]} ({self.figure(high)} {self.currency})"
            )


def _per_currency(body: Any) -> dict[str, dict[str, Any]] | None:
    """A report's lines by currency; None when the report could not be read (no claim)."""
    if not isinstance(body, dict) or not isinstance(body.get("currencies"), list):
        return None
    return {line["currency"]: line for line in body["currencies"] if isinstance(line, dict) and "currency" in line}


def amount_shown(value: Any) -> Decimal | None:
    """An amount as a report shows it (a decimal string); None when it shows none, or something else."""
    try:
        return Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        return None


def monthly_disagreements(months: Months, read: Callable[[str], Any], company: str) -> list[str]:
    """What the company's reports by month (``read``: a report's body by its name and query) show against its
    rows by month (``months``): the profit and loss over every month it issued an invoice (voided since included)
    or earned a commission in, and the money received month by month."""
    found: list[str] = []
    billing = sorted({month for month, figure, _ in months if figure in ("billed net", "earned", "voided net")})
    count = _months_from(billing[0], billing[-1]) if billing else 0
    if 0 < count <= LONGEST_PNL_MONTHS:
        span = f"from {billing[0]} over {count} month{'s' if count > 1 else ''}"
        pnl = _per_currency(read(f"{PNL}?month={billing[0]}&months={count}"))
        for currency in sorted(
            {c for _, f, c in months if f in ("billed net", "earned", "voided net")} | set(pnl or {})
        ):
            if pnl is None:
                break
            revenue, costs = (_summed(months, figure, currency) for figure in ("billed net", "earned"))
            line = pnl.get(currency) or NOTHING_IN_PNL  # a currency it shows no line for: nothing in it
            for what, shown, given, meaning in (
                ("revenue", line.get("revenue"), revenue, "the net of its invoices issued, paid in part or paid"),
                ("cost of sales", line.get("cost_of_sales"), costs, "the commissions it earned"),
                ("gross profit", line.get("gross_profit"), revenue - costs, "that revenue less that cost"),
            ):
                if amount_shown(shown) != given:
                    found.append(
                        f"the profit and loss's {what} for {company} {span} is {shown} {currency}, where its records"
                        f" give {given} {currency} ({meaning})"
                    )
    shown_months = read(BY_MONTH)
    if isinstance(shown_months, list):
        shown = {
            (str(line.get("month")), str(line.get("currency"))): amount_shown(line.get("received"))
            for line in shown_months
            if isinstance(line, dict)
        }
        given = {(month, c): amount for (month, figure, c), amount in months.items() if figure == "received"}
        found += [
            f"the money received for {company} in {month} is {or_nothing(shown.get((month, c)))} {c}, where its"
            f" records give {or_nothing(given.get((month, c)))} {c} (its payments received that month)"
            for month, c in sorted({*shown, *given})
            if shown.get((month, c)) != given.get((month, c))
        ]
    return found


def months_of(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], Decimal]:
    """The rows of the ``money_by_month`` query as (month, figure, currency) -> amount."""
    return {(str(r["month"]), str(r["figure"]), str(r["currency"])): Decimal(r["amount"]) for r in rows}


def _summed(months: Months, figure: str, currency: str) -> Decimal:
    return sum((a for (_, f, c), a in months.items() if f == figure and c == currency), ZERO)


def _months_from(first: str, last: str) -> int:
    """How many months from ``first`` to ``last`` (YYYY-MM), both included."""
    (y1, m1), (y2, m2) = ((int(part) for part in month.split("-")) for month in (first, last))
    return (y2 * 12 + m2) - (y1 * 12 + m1) + 1


def or_nothing(amount: Decimal | None) -> str:
    return "nothing" if amount is None else str(amount)


def of_company(
    db: Any,
    owner_reads: Callable[[], Callable[[str], Any] | None],
    company: str,
    company_id: str,
    *,
    monthly: bool = True,
) -> list[str]:
    """What the reports of one company (``company``: how to name it) show against its rows, read as
    ``owner_reads`` gives (None: nobody can sign in now); nothing when it has no deal nor invoice, or when its rows
    or its reports cannot be read. ``monthly``: the reports by month too (not when the harness moved a record's
    date itself: a report cached before it was moved is no claim)."""
    if not db.available:
        return []
    try:
        rows = db.rows("money_by_currency", evidence=False, tenant=company_id)
        months = db.rows("money_by_month", evidence=False, tenant=company_id) if monthly and rows else []
    except SQLAlchemyError:  # the scenario stopped the database: no claim
        return []
    read = owner_reads() if rows else None  # signed in only for a company with something to sum
    if read is None:
        return []
    found = disagreements(books_of(rows or []), read, company)
    return found + monthly_disagreements(months_of(months or []), read, company) if monthly else found


def books_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """The rows of the ``money_by_currency`` query (figure, currency, amount) as figure -> currency -> amount."""
    books: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        books.setdefault(str(row["figure"]), {})[str(row["currency"])] = Decimal(row["amount"])
    return books


def reader(platform_url: str, token: str) -> Callable[[str], Any]:
    """Reads a report by its name as the session's person: its body, or None (no claim) for any other answer
    than 200."""

    def read(name: str) -> Any:
        answer = sent_by(token, "owners", platform_url, "GET", Finance.report(name))
        return json_or_none(answer.text) if answer is not None and answer.status_code == 200 else None

    return read
