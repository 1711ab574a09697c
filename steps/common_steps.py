"""Steps every folder of features/ shares: a record's life cycle (brought to a state, one move tried), mistakes in what people send."""

from behave import given, then, when

from support.areas.common import input_checks as expect
from support.areas.common import life_cycles


@given("a {kind} that is {state}")
@given("an {kind} that is {state}")
def step_record_in_state(context, kind, state):
    """Brings a record of the kind named into the state named by the platform's own moves."""
    life_cycles.record_in_state(context.world, kind, state)


@when("{name:Persona} tries to {action:LifeCycleAction}")
def step_tries(context, name, action):
    """The person named tries the action on the record; the answer is kept."""
    life_cycles.tries(context.world, name, action)


@then("the move is {outcome} and the {kind} is {after}")
def step_outcome(context, outcome, kind, after):
    """Checks the move was allowed or refused and the record's state afterwards."""
    life_cycles.outcome_is(context.world, outcome, kind, after)


@when("{seller:Persona} sends a lead with {mistake}")
def step_send_bad_lead(context, seller, mistake):
    """The seller named sends a lead with the mistake named (see support/areas/common/input_checks.py)."""
    expect.send_lead_with(context.world, seller, mistake)


@when("{biller:Persona} takes a payment with {mistake}")
def step_send_bad_payment(context, biller, mistake):
    """The person named sends a payment with the mistake named."""
    expect.send_payment_with(context.world, biller, mistake)


@when("{seller:Persona} looks for a lead by a malformed reference")
def step_malformed_reference(context, seller):
    """The seller named asks for a lead by a reference that is not one."""
    expect.look_for_lead_by_malformed_reference(context.world, seller)


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
