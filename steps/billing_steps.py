"""Billing: invoices, their totals and card payments."""

from behave import given, then, when

from support.areas.billing import checks as billing_checks
from support.areas.billing import tasks as billing
from support.scenario import builders


@given('{biller:Persona} has issued an invoice to "{company}" for {net:Money} at {rate:Percent} VAT')
def step_issued_invoice(context, biller, company, net, rate):
    billing.issued_invoice(context.world, company, *net, rate, biller=biller)


@given('{biller:Persona} is invoicing a delivery project for "{company}"')
def step_project_to_invoice(context, biller, company):
    billing.project_to_invoice(context.world, biller, company)


@when("{biller:Persona} invoices the project at {rate:Percent} VAT")
def step_invoice_project(context, biller, rate):
    billing.invoice_project(context.world, biller, rate)


@when("{biller:Persona} drafts an invoice with one line of {quantity:Number} × {price:Money} at {rate:Percent} VAT")
def step_draft_one_line(context, biller, quantity, price, rate):
    line = builders.invoice_line(quantity=str(quantity), unit_price=str(price[0]), tax_rate=str(rate))
    billing.draft_invoice(context.world, biller, [line])


@when("{biller:Persona} drafts an invoice with these lines:")
def step_draft_lines(context, biller):
    billing.draft_invoice(context.world, biller, [billing.line_from_row(row) for row in context.table])


@when('{biller:Persona} voids the invoice because "{reason}"')
@given('{biller:Persona} has voided the invoice because "{reason}"')
def step_void_invoice(context, biller, reason):
    billing.void_invoice(context.world, biller, reason)


@when("{company:Company} pays {amount:Money} by card")
@given("{company:Company} has paid {amount:Money} by card")
def step_pay(context, company, amount):
    billing.customer_pays(context.world, *amount, payer=company)
    billing_checks.payment_accepted(context.world)


@when("{company:Company} tries to pay {amount:Money} by card")
def step_try_to_pay(context, company, amount):
    billing.customer_pays(context.world, *amount, payer=company)


@when("{company:Company} tries to pay {amount:Money} with a card that is declined")
def step_pay_with_declined_card(context, company, amount):
    billing.customer_pays(context.world, *amount, declined=True, payer=company)


@when("the same payment is sent again")
def step_pay_again(context):
    billing.pay_again(context.world)


@when("the same payment is sent again for {amount:Money}")
def step_pay_again_other_amount(context, amount):
    billing.pay_again(context.world, *amount)


@then("the invoice total is {total:Money}")
def step_invoice_total(context, total):
    billing_checks.invoice_total_is(context.world, *total)


@then("the line's net is {net:Money} and its VAT is {vat:Money}")
def step_line_amounts(context, net, vat):
    billing_checks.line_amounts_are(context.world, net[0], vat[0])


@then("the stored invoice agrees with its lines")
def step_stored_invoice(context):
    billing_checks.stored_invoice_agrees_with_lines(context.world)


@then("the invoice is {status:InvoiceStatus}")
def step_invoice_status(context, status):
    billing_checks.invoice_status_is(context.world, status)


@then("the invoice is {status:InvoiceStatus} with {due:Money} still due")
def step_invoice_status_due(context, status, due):
    billing_checks.invoice_status_is(context.world, status, due[0])


@then("the invoice's payments add up to {amount:Money}")
def step_payments_sum(context, amount):
    billing_checks.payments_add_up_to(context.world, amount[0])


@then("the payment is refused because {reason}")
def step_payment_refused(context, reason):
    billing_checks.payment_refused(context.world, reason)


@then("no payment is recorded for the invoice")
def step_no_payment(context):
    billing_checks.no_payment_recorded(context.world)


@then("the card was not charged")
def step_not_charged(context):
    billing_checks.card_charged(context.world, 0)


@then("the card was charged once")
def step_charged_once(context):
    billing_checks.card_charged(context.world, 1)


@then("both answers describe the same payment")
def step_same_payment(context):
    billing_checks.answers_describe_one_payment(context.world)


@when("{biller:Persona} refunds {amount:Money} of the payment")
def step_refund(context, biller, amount):
    billing.refund_last_payment(context.world, biller, *amount)
    billing_checks.refund_accepted(context.world)


@when("{biller:Persona} tries to refund {amount:Money} of the payment")
def step_try_refund(context, biller, amount):
    billing.refund_last_payment(context.world, biller, *amount)


@then("the refund is refused because {reason}")
def step_refund_refused(context, reason):
    billing_checks.refund_refused(context.world, reason)
