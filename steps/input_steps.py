"""Mistakes in what people send: refused, named, nothing saved."""

from behave import then, when

from support.areas import input_checks as expect
from support.areas.sales import tasks as sales


@when("{seller:Persona} sends a lead with {mistake}")
def step_send_bad_lead(context, seller, mistake):
    """The seller named sends a lead with the mistake named (see support/areas/input_checks.py)."""
    expect.send_lead_with(context.world, seller, mistake)


@when("{biller:Persona} takes a payment with {mistake}")
def step_send_bad_payment(context, biller, mistake):
    """The person named sends a payment with the mistake named."""
    expect.send_payment_with(context.world, biller, mistake)


@when("{seller:Persona} looks for a lead by a malformed reference")
def step_malformed_reference(context, seller):
    """The seller named asks for a lead by a reference that is not one."""
    expect.look_for_lead_by_malformed_reference(context.world, seller)


@when('{seller:Persona} captures a lead from "{company}" worth {value:Money}')
def step_capture_lead(context, seller, company, value):
    """The seller named captures a lead from the company named worth that value."""
    sales.captured_lead(context.world, seller, company, *value)


@then("{name:Persona} is told to fix the {field}")
def step_told_to_fix(context, name, field):
    """Checks the last answer refused the request naming the field."""
    expect.told_to_fix(context.world, name, field)


@then("no lead is saved")
def step_no_lead(context):
    """Checks no lead was saved, in the API and the database."""
    expect.no_lead_saved(context.world)


@then('the lead is saved with the company name "{company}" exactly as written')
def step_saved_as_written(context, company):
    """Checks the lead is stored with the company name exactly as sent."""
    expect.lead_saved_as_written(context.world, company)
