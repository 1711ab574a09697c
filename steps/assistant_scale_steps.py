"""The assistant at scale: many companies' people asking at once."""

from behave import given, then, when

from support.areas.assistant import at_scale as assistant_scale


@given("{companies:d} companies of {people:d} people each")
def step_companies(context, companies, people):
    """Provisions that many companies with that many people each, every one signed in."""
    assistant_scale.companies_of_people(context.world, companies, people)


@when('all of them ask the assistant "{question}" at the same time, over every instance')
def step_everyone_asks(context, question):
    """Everyone provisioned asks the question at once, spread over every platform instance, and follows it to its end."""
    assistant_scale.everyone_asks(context.world, question)


@then("each of the {people:d} people receives every event of their own question once, in order, and nothing else")
def step_each_whole(context, people):
    """Checks each of that many people received every event of their own run once, in order, and nothing of anyone else's."""
    assistant_scale.each_got_their_whole_answer(context.world, people)
