"""Life cycles: a record brought to a state, one action tried, the outcome and the state afterwards."""

from behave import given, then, when

from support.areas import life_cycles


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
