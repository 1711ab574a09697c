"""The assistant's rights: what the platform lets a model do for each person, and a model that misbehaves."""

from behave import given, then, when

from support.areas.assistant import rights


@given("the model {how} when {name:Persona} asks")
def step_model_misbehaves(context, how, name):
    """Tells the model double to misbehave as described the next time the person named asks."""
    rights.model_misbehaves(context.world, name, how)


@then("the platform {decision} the {tool} tool")
def step_decision(context, decision, tool):
    """Checks the run's tool call was allowed (it ran) or refused (ended as an error naming the refusal)."""
    rights.tool_outcome(context.world, tool, {"allows": "used", "refuses": "refused"}[decision])


@then("the audit trail holds {count:d} refused tool calls for {name:Persona}")
def step_refusals_audited(context, count, name):
    """Reads the audit trail and counts the refused tool calls recorded for the person named."""
    rights.refusal_audited(context.world, name, count)


@then("a tool call is refused, naming the {field}")
def step_refused_naming(context, field):
    """Checks a tool call in the run was refused naming the field named."""
    rights.refused_naming(context.world, field)


@then("nothing of {company:Company} appears in the run")
def step_nothing_of(context, company):
    """Checks no event of the run mentions any record of the company named."""
    rights.nothing_of(context.world, company)


@then('the project\'s task "{title}" was asked for by {asker:Persona} and written by the assistant')
def step_task_attributed(context, title, asker):
    """Checks the task records the asker named as its author and the assistant as its writer, in the task and its audit entry."""
    rights.task_attributed(context.world, title, asker)


@then('{name:Persona} sees the task "{title}" on the project')
def step_colleague_sees(context, name, title):
    """The person named reads the project's tasks and finds the task titled so."""
    rights.colleague_sees_task(context.world, name, title)


@when(
    '{first:Persona} and {second:Persona} each ask the assistant "{question}" {times:d} times, '
    "each tool allowed from half to twice the time a follow-up takes"
)
def step_ask_under_time_limits(context, first, second, question, times):
    """Times one follow-up, then each person asks that many times, the tool time limit swept around that time."""
    rights.follow_ups_under_time_limits(context.world, [first, second], question, times)


@then('the project holds as many follow-ups "{title}" as the runs reported written')
def step_as_many_as_reported(context, title):
    """Checks the project holds one follow-up of that title for each run that reported the follow-up done."""
    rights.as_many_follow_ups_as_reported(context.world, title)


@then("every one of those runs ended with an answer")
def step_every_run_answered(context):
    """Checks every run of the repeated question ended with an answer."""
    rights.every_run_answered(context.world)
