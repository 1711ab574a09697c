"""Invoice e-mail: delivered once, and kept until the mail server can take it."""

from behave import given, then, when

from support.areas.billing import invoice_mail as mail


@then("{company:Company} receives the invoice by e-mail once, showing a total of {total}")
def step_receives(context, company, total):
    mail.receives_invoice(context.world, company, total)


@given("the mail server is down")
def step_mail_down(context):
    mail.mail_server_goes_down(context.world)


@when("the mail server is back")
def step_mail_back(context):
    mail.mail_server_comes_back(context.world)


@then("the invoice e-mail to {company:Company} waits, and none has arrived")
def step_mail_waits(context, company):
    mail.invoice_mail_waits(context.world, company)
