"""Invoice e-mail: delivered once, and kept until the mail server can take it."""

from behave import given, then, when

from support.areas.billing import invoice_mail as mail


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
