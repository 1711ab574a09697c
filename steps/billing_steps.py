"""Billing: invoices, their totals and card payments."""

from behave import given, then, when

from support.areas.billing import checks as billing_checks
from support.areas.billing import invoice_mail as mail
from support.areas.billing import key_reuse
from support.areas.billing import tasks as billing


@given('{biller:Persona} has issued an invoice to "{company}" for {net:Money} at {rate:Percent} VAT')
@when('{biller:Persona} issues an invoice to "{company}" for {net:Money} at {rate:Percent} VAT')
def step_issued_invoice(context, biller, company, net, rate):
    """The person named wins a deal with the client, invoices the project for that net amount and VAT rate, and issues it."""
    billing.issued_invoice(context.world, company, *net, rate, biller=biller)


@given('{biller:Persona} is invoicing a delivery project for "{company}"')
def step_project_to_invoice(context, biller, company):
    """A deal with the client named is won, so the person named has a delivery project to invoice."""
    billing.project_to_invoice(context.world, biller, company)


@when("{biller:Persona} invoices the project at {rate:Percent} VAT")
def step_invoice_project(context, biller, rate):
    """The person named drafts and issues the invoice for the project at that VAT rate."""
    billing.invoice_project(context.world, biller, rate)


@when("{biller:Persona} drafts an invoice with one line of {quantity:Number} × {price:Money} at {rate:Percent} VAT")
def step_draft_one_line(context, biller, quantity, price, rate):
    """The person named drafts an invoice with one line of that quantity, unit price and VAT rate."""
    billing.draft_one_line(context.world, biller, quantity, price, rate)


@when("{biller:Persona} drafts an invoice with these lines:")
def step_draft_lines(context, biller):
    """The person named drafts an invoice with the table's lines."""
    billing.draft_invoice(context.world, biller, [billing.line_from_row(row) for row in context.table])


@when('{biller:Persona} voids the invoice because "{reason}"')
@given('{biller:Persona} has voided the invoice because "{reason}"')
def step_void_invoice(context, biller, reason):
    """The person named voids the invoice, giving the reason."""
    billing.void_invoice(context.world, biller, reason)


@when("{company:Company} pays {amount:Money} by card")
@given("{company:Company} has paid {amount:Money} by card")
def step_pay(context, company, amount):
    """The client company named pays that amount by card, and the payment is accepted."""
    billing.customer_pays(context.world, *amount, payer=company)
    billing_checks.payment_accepted(context.world)


@when("{company:Company} tries to pay {amount:Money} by card")
def step_try_to_pay(context, company, amount):
    """The client company named tries to pay that amount by card; the answer is kept for the checks."""
    billing.customer_pays(context.world, *amount, payer=company)


@when("{company:Company} tries to pay {amount:Money} with a card that is declined")
def step_pay_with_declined_card(context, company, amount):
    """The client company named pays with a card the processor declines."""
    billing.customer_pays(context.world, *amount, declined=True, payer=company)


@when("the same payment is sent again")
def step_pay_again(context):
    """Sends the last payment again with the same idempotency key and body."""
    billing.pay_again(context.world)


@when("the same payment is sent again for {amount:Money}")
def step_pay_again_other_amount(context, amount):
    """Sends the last payment's key again with another amount."""
    billing.pay_again(context.world, *amount)


@when("the same payment's key is sent again {how:KeyReuse}")
def step_key_sent_again(context, how):
    """Sends the last payment's key again in the direction named (another invoice, a colleague, another company)."""
    key_reuse.sent_again(context.world, how)


@then("it is answered as the key's contract says")
def step_key_contract(context):
    """Checks the answer to the key sent again: refused as reused, replayed, or another company's own payment."""
    key_reuse.answered_as_the_contract_says(context.world)


@then("the invoice total is {total:Money}")
def step_invoice_total(context, total):
    """Checks the invoice's total (net plus VAT) is that amount."""
    billing_checks.invoice_total_is(context.world, *total)


@then("the line's net is {net:Money} and its VAT is {vat:Money}")
def step_line_amounts(context, net, vat):
    """Checks the invoice line's net and VAT are those amounts."""
    billing_checks.line_amounts_are(context.world, net, vat)


@then("the stored invoice agrees with its lines")
def step_stored_invoice(context):
    """Checks the stored invoice's totals equal the sum of its stored lines."""
    billing_checks.stored_invoice_agrees_with_lines(context.world)


@then("the invoice is {status:InvoiceStatus}")
def step_invoice_status(context, status):
    """Checks the invoice's status as the finance persona reads it."""
    billing_checks.invoice_status_is(context.world, status)


@then("the invoice is {status:InvoiceStatus} with {due:Money} still due")
def step_invoice_status_due(context, status, due):
    """Checks the invoice's status and the amount still due."""
    billing_checks.invoice_status_is(context.world, status, due)


@then("the invoice's payments add up to {amount:Money}")
def step_payments_sum(context, amount):
    """Checks the invoice's recorded payments add up to that amount, in the API and the database."""
    billing_checks.payments_add_up_to(context.world, amount)


@then("the payment is answered that the processor refused it, not to try again later")
def step_refused_by_processor(context):
    """Checks the last payment was answered 502 (the processor refused it), without Retry-After."""
    billing_checks.payment_refused_by_the_processor(context.world)


@then("the payment is refused because {reason}")
def step_payment_refused(context, reason):
    """Checks the last payment was refused for the reason named."""
    billing_checks.payment_refused(context.world, reason)


@then("no payment is recorded for the invoice")
def step_no_payment(context):
    """Checks no payment is recorded for the invoice, in the API and the database."""
    billing_checks.no_payment_recorded(context.world)


@then("the card was not charged")
def step_not_charged(context):
    """Checks the payment processor received no charge for the invoice."""
    billing_checks.card_charged(context.world, 0)


@then("the card was charged {amount:Money} once")
def step_charged_amount_once(context, amount):
    """Checks the payment processor charged the card once for the invoice, that amount in that currency."""
    billing_checks.card_charged_once_with(context.world, amount)


@then("the card was charged once")
def step_charged_once(context):
    """Checks the payment processor charged the card once for the invoice."""
    billing_checks.card_charged(context.world, 1)


@then("both answers describe the same payment")
def step_same_payment(context):
    """Checks both answers to the repeated payment describe one payment (same id and amount)."""
    billing_checks.answers_describe_one_payment(context.world)


@when("{biller:Persona} refunds {amount:Money} of the payment")
def step_refund(context, biller, amount):
    """The person named refunds that amount of the last payment, and the refund is accepted."""
    billing.refund_last_payment(context.world, biller, *amount)
    billing_checks.refund_accepted(context.world)


@when("the same refund's key is sent again {how:RefundKeyReuse}")
def step_refund_key_again(context, how):
    """The last refund's key (and body) sent again in the direction named."""
    key_reuse.refund_sent_again(context.world, how)


@then("it is answered as the refund key's contract says")
def step_refund_key_contract(context):
    """Checks the refund's key sent again was answered as its contract says, and what was given back."""
    key_reuse.refund_answered_as_the_contract_says(context.world)


@when("{biller:Persona} tries to refund {amount:Money} of the payment")
def step_try_refund(context, biller, amount):
    """The person named tries to refund that amount of the last payment."""
    billing.refund_last_payment(context.world, biller, *amount)


@then("the refund is refused because {reason}")
def step_refund_refused(context, reason):
    """Checks the refund was refused for the reason named."""
    billing_checks.refund_refused(context.world, reason)


@then("{name:Persona} is told {amount:Money} is left to refund")
def step_told_left_to_refund(context, name, amount):
    """Checks the refused refund told the person named how much of the payment is left to refund."""
    billing_checks.told_left_to_refund(context.world, name, amount)


@given("{biller:Persona} has drafted {count:d} invoices")
def step_drafted_invoices(context, biller, count):
    """The person named drafts that many one-line invoices on one won project."""
    billing.drafted_invoices(context.world, biller, count)


@when("{reader:Persona} reads the invoices {size:d} at a time")
def step_read_invoice_pages(context, reader, size):
    """The reader named follows the invoices' pages, asking for that many a page."""
    billing.reads_invoices_in_pages(context.world, reader, size)


@then("she has read {pages:d} pages holding all {count:d} invoices, each once, oldest first")
def step_read_all_invoices(context, pages, count):
    """Checks the pages read and that every invoice came once, oldest first."""
    billing_checks.read_every_invoice_once(context.world, pages, count)


@then("{company:Company} receives the invoice by e-mail once, showing a total of {total}")
def step_receives(context, company, total):
    """Checks the mail server received the invoice e-mail for the client company once, showing that total."""
    mail.receives_invoice(context.world, company, total)


@given("the mail server is down")
def step_mail_down(context):
    """Stops the mail server double's SMTP side."""
    mail.mail_server_goes_down(context.world)


@given("{biller:Persona} has issued an invoice to each of these clients for {net:Money} at {rate:Percent} VAT")
def step_invoices_to_each(context, biller, net, rate):
    """The person named issues one invoice to each client in the table, for that net amount and VAT rate."""
    mail.invoices_to_each(context.world, biller, [row["client"] for row in context.table], *net, rate)


@when("the mail server is back, taking {seconds:f} seconds over each e-mail")
def step_mail_back_slow(context, seconds):
    """Starts the mail server double's SMTP side again, accepting each e-mail only after that long."""
    mail.mail_server_back_but_slow(context.world, seconds)


@then("each of these clients receives its invoice by e-mail once")
def step_each_receives_once(context):
    """Checks every client invoiced received exactly one invoice e-mail and nothing waits in the outbox."""
    mail.each_client_receives_once(context.world)


@when("the mail server is back")
def step_mail_back(context):
    """Starts the mail server double's SMTP side again."""
    mail.mail_server_comes_back(context.world)


@then("the invoice e-mail to {company:Company} waits, and none has arrived")
def step_mail_waits(context, company):
    """Checks the e-mail waits in the outbox and none has reached the mail server."""
    mail.invoice_mail_waits(context.world, company)


@given(
    '{biller:Persona} has issued an invoice to "{company}", a client without an e-mail address, '
    "for {net:Money} at {rate:Percent} VAT"
)
def step_issued_without_email(context, biller, company, net, rate):
    """The person named issues an invoice to a client whose lead gave no e-mail address."""
    billing.issued_invoice_to_client_without_email(context.world, biller, company, *net, rate)


@given(
    '{biller:Persona} has issued an invoice to "{company}", whose mail server has no such mailbox, '
    "for {net:Money} at {rate:Percent} VAT"
)
def step_issued_to_unreachable(context, biller, company, net, rate):
    """The person named issues an invoice to a client whose e-mail address the mail server refuses for good."""
    billing.issued_invoice_to_unreachable_client(context.world, biller, company, *net, rate)


@then(
    "{biller:Persona} is told at once, and in her notifications, that the invoice's e-mail to {company:Company} "
    "could not be delivered, and why"
)
def step_told_undeliverable(context, biller, company):
    """Checks the person named was pushed, and lists, one notification of the invoice's undeliverable e-mail."""
    mail.told_undeliverable(context.world, biller, company)


@then("the invoice e-mail to {company:Company} is set aside, never to be tried again")
def step_set_aside(context, company):
    """Checks the client's e-mail no longer waits: tried once, set aside as undeliverable, saying why."""
    mail.set_aside(context.world, company)


@given(
    '{biller:Persona} has issued an invoice to "{company}", its name typed with a line separator for each space, '
    "for {net:Money} at {rate:Percent} VAT"
)
def step_issued_to_name_with_line_separators(context, biller, company, net, rate):
    """The person named issues an invoice to a client whose name holds line separators (U+2028) for its spaces."""
    mail.invoice_to_name_typed_with_line_separators(context.world, biller, company, *net, rate)


@then("{company:Company} receives its invoice by e-mail once, the subject on one line")
def step_receives_on_one_line(context, company):
    """Checks the client named with line separators received its invoice e-mail once, its subject one line."""
    mail.receives_invoice_subject_on_one_line(context.world, company)


@then("no invoice e-mail has reached {company:Company}, nor will one")
def step_never_mailed(context, company):
    """Checks nothing reached the client and its invoice's e-mail was withdrawn, never to be sent."""
    mail.never_mailed(context.world, company)


@then("no invoice e-mail waits for {company:Company}")
def step_no_mail_waits(context, company):
    """Checks nothing waits in the company's outbox for the client."""
    mail.no_mail_waits(context.world, company)
