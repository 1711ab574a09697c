"""The assistant's rights: what the platform lets a model do for each person, and a model that misbehaves."""

from behave import given, then

from support.areas.assistant import rights


@given("the model {how} when {name:Persona} asks")
def step_model_misbehaves(context, how, name):
    rights.model_misbehaves(context.world, name, how)


@then("the platform {decision} the {tool} tool")
def step_decision(context, decision, tool):
    rights.tool_outcome(context.world, tool, {"allows": "used", "refuses": "refused"}[decision])


@then("the audit trail holds {count:d} refused tool calls for {name:Persona}")
def step_refusals_audited(context, count, name):
    rights.refusal_audited(context.world, name, count)


@then("a tool call is refused, naming the {field}")
def step_refused_naming(context, field):
    rights.refused_naming(context.world, field)


@then("nothing of {company:Company} appears in the run")
def step_nothing_of(context, company):
    rights.nothing_of(context.world, company)


@then('the project\'s task "{title}" was asked for by {asker:Persona} and written by the assistant')
def step_task_attributed(context, title, asker):
    rights.task_attributed(context.world, title, asker)


@then('{name:Persona} sees the task "{title}" on the project')
def step_colleague_sees(context, name, title):
    rights.colleague_sees_task(context.world, name, title)
