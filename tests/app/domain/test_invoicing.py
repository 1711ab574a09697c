from decimal import Decimal

import pytest

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.invoicing import (
    InvoiceStatus,
    ensure_can_accept_payment,
    ensure_can_issue,
    ensure_can_void,
    invoice_totals,
    line_amounts,
    status_after_payments,
)

D = Decimal


@pytest.mark.parametrize(
    "quantity, price, rate, net, tax",
    [
        ("1", "100.00", "21", "100.00", "21.00"),
        ("3", "0.35", "21", "1.05", "0.22"),
        ("0.5", "0.25", "20", "0.13", "0.03"),
        ("2.5", "19.99", "7", "49.98", "3.50"),
        ("1", "0.05", "10", "0.05", "0.01"),
    ],
)
def test_line_amounts_round_net_then_tax_half_up(quantity, price, rate, net, tax):
    amounts = line_amounts(D(quantity), D(price), D(rate))
    assert (amounts.net, amounts.tax) == (D(net), D(tax))


def test_invoice_total_is_sum_of_rounded_lines_not_rounded_sum():
    lines = [line_amounts(D("0.5"), D("0.25"), D("20")) for _ in range(3)]
    assert invoice_totals(lines).total == D("0.48")  # the rounded sum would be 0.46


def test_invoice_totals_of_no_lines_are_zero():
    assert invoice_totals([]).total == D("0.00")


@pytest.mark.parametrize(
    "paid, status",
    [
        ("0.00", InvoiceStatus.ISSUED),
        ("0.01", InvoiceStatus.PARTIALLY_PAID),
        ("120.99", InvoiceStatus.PARTIALLY_PAID),
        ("121.00", InvoiceStatus.PAID),
    ],
)
def test_status_follows_the_residual(paid, status):
    assert status_after_payments(D("121.00"), D(paid)) is status


def test_payment_above_residual_is_an_overpayment_naming_amount():
    with pytest.raises(RuleViolation) as refused:
        ensure_can_accept_payment(InvoiceStatus.PARTIALLY_PAID, D("100.00"), D("60.00"), D("40.01"))
    assert (refused.value.code, refused.value.field) == ("overpayment", "amount")


def test_payment_of_exact_residual_is_accepted():
    ensure_can_accept_payment(InvoiceStatus.PARTIALLY_PAID, D("100.00"), D("60.00"), D("40.00"))


@pytest.mark.parametrize("status", [InvoiceStatus.DRAFT, InvoiceStatus.VOID, InvoiceStatus.PAID])
def test_payment_on_unpayable_invoice_is_refused(status):
    with pytest.raises(InvalidTransition):
        ensure_can_accept_payment(status, D("100.00"), D("0.00"), D("1.00"))


def test_only_a_draft_with_lines_can_be_issued():
    ensure_can_issue(InvoiceStatus.DRAFT, 1)
    with pytest.raises(RuleViolation):
        ensure_can_issue(InvoiceStatus.DRAFT, 0)
    with pytest.raises(InvalidTransition):
        ensure_can_issue(InvoiceStatus.ISSUED, 1)


def test_void_is_refused_once_money_was_received():
    ensure_can_void(InvoiceStatus.ISSUED, D("0.00"))
    with pytest.raises(InvalidTransition):
        ensure_can_void(InvoiceStatus.PARTIALLY_PAID, D("1.00"))
    with pytest.raises(InvalidTransition):
        ensure_can_void(InvoiceStatus.VOID, D("0.00"))


def test_an_invoice_past_the_largest_amount_kept_is_refused_and_one_at_it_is_not():
    import pytest as _pytest

    from app.domain.errors import RuleViolation as _RuleViolation
    from app.domain.invoicing import invoice_totals as _totals
    from app.domain.invoicing import line_amounts as _line

    at_the_limit = _line(Decimal("1"), Decimal("999999999999.99"), Decimal("0"))
    assert _totals([at_the_limit]).total == Decimal("999999999999.99")
    with _pytest.raises(_RuleViolation) as refused:
        _totals([_line(Decimal("1000"), Decimal("9999999999.99"), Decimal("0"))])
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "lines")
    with _pytest.raises(_RuleViolation):  # each line fits; their sum does not
        _totals([at_the_limit, _line(Decimal("1"), Decimal("0.01"), Decimal("0"))])
