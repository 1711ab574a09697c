"""The assistant: questions, its stages, its answers, its limits."""

from behave import given, then, when

from support.areas.assistant import checks as expect
from support.areas.assistant import tasks as assistant
from support.areas.sales import tasks as sales


@when('{someone:Someone} asks the assistant "{question}"')
def step_ask(context, someone, question):
    assistant.ask(context.world, someone[0], question, company=someone[1])


@given('{someone:Someone} has asked the assistant "{question}"')
def step_has_asked(context, someone, question):
    assistant.asked(context.world, someone[0], question, company=someone[1])


@when('{name:Persona} asks the assistant in the same conversation "{question}"')
def step_ask_again(context, name, question):
    assistant.ask(context.world, name, question, same_thread=True)


@when('{name:Persona} asks the assistant "{question}" through instance {instance:d}')
def step_ask_on_instance(context, name, question, instance):
    assistant.ask(context.world, name, question, instance=instance - 1)


@when('{name:Persona} asks the assistant "{question}" and sees it {stage}')
def step_ask_until(context, name, question, stage):
    assistant.ask(context.world, name, question, wait_for=expect.STAGES[stage])


@when('{name:Persona} asks the assistant "{question}" through instance {instance:d} and sees it {stage}')
def step_ask_on_instance_until(context, name, question, instance, stage):
    assistant.ask(context.world, name, question, instance=instance - 1, wait_for=expect.STAGES[stage])


@when("{name:Persona} also follows that question from instance {instance:d}")
def step_also_follow(context, name, instance):
    assistant.also_follow(context.world, name, instance=instance - 1)


@when("instance {instance:d} stops dead")
def step_instance_crashes(context, instance):
    assistant.instance_crashes(context.world, instance)


@when("the instance is back")
def step_instance_back(context):
    assistant.instance_comes_back(context.world)


@then("within {seconds:d} seconds {name:Persona} hears that the question failed because {reason}")
def step_hears_end(context, seconds, name, reason):
    assistant.follower_hears_the_end(context.world, name, within_s=seconds)
    expect.run_ended(context.world, "fails", reason)


@then("he may ask again")
@then("she may ask again")
def step_may_ask_again(context):
    expect.may_ask_again(context.world)


@when("{name:Persona} cancels the question")
def step_cancel(context, name):
    assistant.cancel(context.world, name)


@when("{name:Persona}'s connection drops and he reconnects to instance {instance:d}")
@when("{name:Persona}'s connection drops and she reconnects to instance {instance:d}")
def step_reconnect(context, name, instance):
    assistant.reconnect_and_resume(context.world, name, instance=instance - 1)


@when("{someone:Someone} follows that question from instance {instance:d}")
def step_follow(context, someone, instance):
    assistant.follow_from(context.world, someone[0], company=someone[1], instance=instance - 1)


@when("{name:Persona} asks to resume a question whose events are no longer kept")
def step_resume_unknown(context, name):
    assistant.resume_unknown_run(context.world, name)


@given("the assistant's tools may take at most {ms:d} milliseconds")
def step_tool_limit(context, ms):
    assistant.set_assistant_limits(context.world, assistant_tool_timeout_ms=ms)


@given("each person may ask the assistant {count:d} questions a minute")
def step_rate_limit(context, count):
    assistant.set_assistant_limits(context.world, assistant_runs_per_minute=count)


@given("a long-running job holds the company's records")
def step_hold_records(context):
    assistant.hold_company_records(context.world)


@given("the language model service is down")
def step_model_down(context):
    assistant.model_goes_down(context.world)


@when("the language model service is back")
def step_model_back(context):
    assistant.model_comes_back(context.world)


@given('{seller:Persona} is delivering a project for "{company}"')
def step_delivering(context, seller, company):
    sales.project_delivered_by(context.world, seller, company)


@when('all five people of {count:d} companies ask the assistant "{question}" at the same time, over every instance')
def step_crowd(context, count, question):
    assistant.many_people_ask(context.world, count, question)


@then("every stage arrives once, in order, and nothing follows the end")
def step_contract(context):
    expect.run_keeps_contract(context.world)


@then("{name:Persona} sees the assistant {stages:List}, in that order")
def step_stages(context, name, stages):
    expect.stages_in_order(context.world, name, stages)


@then("the assistant used the {tools:List} tools, each paired with its result")
@then("the assistant used the {tools:List} tool, paired with its result")
def step_tools(context, tools):
    expect.tools_used(context.world, tools)


@then("the {tool} tool is reported as {status}")
def step_tool_status(context, tool, status):
    expect.tool_status(context.world, tool, {"timed out": "timeout", "done": "ok"}.get(status, status))


@then("the run ends with an answer")
def step_ends_with_answer(context):
    expect.run_ended(context.world, "answers")


@then("the run fails because {reason}")
def step_run_fails(context, reason):
    expect.run_ended(context.world, "fails", reason)


@then('the answer mentions "{text}"')
def step_answer_mentions(context, text):
    expect.answer_mentions(context.world, text)


@then("the answer carries no markup")
def step_no_markup(context):
    expect.answer_has_no_markup(context.world)


@then("the answer gives an open pipeline of {amount:Money} in {deals:d} deals, as stored")
def step_pipeline(context, amount, deals):
    expect.pipeline_agrees_with_data(context.world, amount[0], deals)


@then("the second answer draws on the first")
def step_context(context):
    expect.second_answer_uses_first(context.world)


@then("the conversation holds {count:d} messages, questions and answers in turn")
def step_thread_messages(context, count):
    expect.thread_holds(context.world, count)


@then("{name:Persona} has {count:d} conversation")
@then("{name:Persona} has {count:d} conversations")
def step_threads(context, name, count):
    expect.threads_listed(context.world, name, count)


@when("{name:Persona} archives the conversation")
def step_archive(context, name):
    context.world.actor(name).archives_thread(context.world.recall("run").thread_id)


@then("{name:Persona} has {count:d} archived conversation")
def step_archived(context, name, count):
    expect.threads_listed(context.world, name, count, archived=True)


@then("the question is refused because {reason}")
def step_refused(context, reason):
    expect.refused(context.world, reason)


@then("no event was lost or doubled")
def step_nothing_lost(context):
    expect.nothing_doubled_or_lost(context.world)


@then("the other instance delivered every event of the run")
def step_follower_all(context):
    expect.follower_saw_whole_run(context.world)


@then("she receives none of its events")
def step_follower_nothing(context):
    expect.follower_saw_nothing(context.world)


@then("{name:Persona} is told the question can no longer be resumed")
def step_resume_unavailable(context, name):
    expect.resume_unavailable(context.world, name)


@then('the project has a task "{title}"')
def step_task_written(context, title):
    expect.follow_up_task_written(context.world, title, written=True)


@then('the project has no task "{title}"')
def step_task_not_written(context, title):
    expect.follow_up_task_written(context.world, title, written=False)


@then("everyone receives the events of their own question, and only those")
def step_crowd_isolated(context):
    expect.everyone_got_only_their_own(context.world)


@given('{name:Persona} has asked the assistant "{question}" through every instance')
def step_asked_on_every_instance(context, name, question):
    assistant.asked_on_every_instance(context.world, name, question)


@then('{name:Persona}\'s question "{question}" to the assistant is answered through every instance')
def step_answered_on_every_instance(context, name, question):
    expect.answered_on_every_instance(context.world, name, question)
