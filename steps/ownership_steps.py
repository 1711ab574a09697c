"""What only its owner may touch, tried by a colleague and by a person of another company."""

from behave import given, then, when

from support.areas.tenancy import ownership


@given("{owner:Persona} has a {thing:OwnedThing}")
def step_owns(context, owner, thing):
    """The person named comes to have the thing named (a question under way, a conversation, a notification)."""
    ownership.owns(context.world, owner, thing)


@when("{someone:Someone} tries to {action:OwnersAction} {owner:Persona}'s {thing:OwnedThing}")
def step_tries(context, someone, action, owner, thing):
    """The person named (of the company named, if one is) tries the action on the owner's thing, by its id."""
    ownership.tries(context.world, someone[0], someone[1], action, owner, thing)


@then("each of them is told it does not exist")
def step_told_not_there(context):
    """Checks every try was answered as for a thing that does not exist, giving nothing of it."""
    ownership.told_it_does_not_exist(context.world)


@then("{owner:Persona}'s {thing:OwnedThing} is as he left it")
@then("{owner:Persona}'s {thing:OwnedThing} is as she left it")
def step_as_left(context, owner, thing):
    """Checks the owner's thing is unchanged: the question answers, the conversation is open, the notification unread."""
    ownership.as_it_was(context.world, owner, thing)
