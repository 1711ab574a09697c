"""Invoice e-mail: delivered once, and kept until the mail server can take it."""

from behave import given, then, when

from support.areas.billing import invoice_mail as mail
from support.areas.billing import tasks as billing


@then("{company:Company} receives the invoice by e-mail once, showing a total of {total}")
def step_receives(context, company, total):
    """Checks the mail server received the invoice e-mail for the client company once, showing that total."""
    mail.receives_invoice(context.world, company, total)


@given("the mail server is down")
def step_mail_down(context):
    """Stops the mail server double's SMTP side."""
    mail.mail_server_goes_down(context.world)


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


@then("no invoice e-mail waits for {company:Company}")
def step_no_mail_waits(context, company):
    """Checks nothing waits in the company's outbox for the client."""
    mail.no_mail_waits(context.world, company)
