"""The assistant: questions, its stages, its answers, its limits."""

from behave import given, then, when

from support.areas.assistant import at_scale as assistant_scale
from support.areas.assistant import checks as expect
from support.areas.assistant import (
    connection_limit,
    conversation_pages,
    held_write,
    lookup_bounds,
    revocation,
    rights,
    turns,
)
from support.areas.assistant import tasks as assistant
from support.areas.sales import tasks as sales


@when('{someone:Someone} asks the assistant "{question}"')
def step_ask(context, someone, question):
    """The person named (of the company named, if one is) asks the question and follows the run to its end."""
    assistant.ask(context.world, someone[0], question, company=someone[1])


@given('{someone:Someone} has asked the assistant "{question}"')
def step_has_asked(context, someone, question):
    """As a Given: the person named has asked the question and the run has ended."""
    assistant.asked(context.world, someone[0], question, company=someone[1])


@when("{name:Persona} asks the assistant a question of {characters:d} characters")
def step_ask_long(context, name, characters):
    """The person named asks a question of exactly that many characters and follows the run to its end."""
    assistant.asks_at_length(context.world, name, characters)


@then("{name:Persona}'s conversation is named by the first {characters:d} characters of the question")
def step_conversation_named(context, name, characters):
    """Checks the person's conversation of the last question is named by that many of its first characters."""
    expect.conversation_named_by_its_question(context.world, name, characters)


@when('{name:Persona} asks the assistant in the same conversation "{question}"')
def step_ask_again(context, name, question):
    """The person named asks a further question in the conversation of the last run."""
    assistant.ask(context.world, name, question, same_thread=True)


@when('{name:Persona} asks the assistant "{question}" through instance {instance:d}')
def step_ask_on_instance(context, name, question, instance):
    """The person named asks the question through the platform instance numbered."""
    assistant.ask(context.world, name, question, instance=instance - 1)


@when('{name:Persona} asks the assistant "{question}" and sees it {stage}')
def step_ask_until(context, name, question, stage):
    """The person named asks the question and reads events until the stage named arrives."""
    assistant.ask(context.world, name, question, wait_for=expect.STAGES[stage])


@when('{name:Persona} asks the assistant "{question}" through instance {instance:d} and sees it {stage}')
def step_ask_on_instance_until(context, name, question, instance, stage):
    """The person named asks through the instance numbered and reads events until the stage named arrives."""
    assistant.ask(context.world, name, question, instance=instance - 1, wait_for=expect.STAGES[stage])


@when("{name:Persona} also follows that question from instance {instance:d}")
def step_also_follow(context, name, instance):
    """The person named also follows the running question from the instance numbered."""
    assistant.also_follow(context.world, name, instance=instance - 1)


@when("instance {instance:d} stops dead")
def step_instance_crashes(context, instance):
    """Kills the platform instance numbered (SIGKILL), as a crash would."""
    assistant.instance_crashes(context.world, instance)


@when("the instance is back")
def step_instance_back(context):
    """Starts the killed instance again and waits until it is ready."""
    assistant.instance_comes_back(context.world)


@then("within {seconds:d} seconds {name:Persona} hears that the question failed because {reason}")
def step_hears_end(context, seconds, name, reason):
    """Checks the follower named hears the run end as failed, for the reason named, within that many seconds."""
    assistant.follower_hears_the_end(context.world, name, within_s=seconds)
    expect.run_ended(context.world, "fails", reason)


@then("he may ask again")
@then("she may ask again")
def step_may_ask_again(context):
    """Checks the asker's next question is answered."""
    expect.may_ask_again(context.world)


@when("{name:Persona} cancels the question")
def step_cancel(context, name):
    """The person named cancels the running question."""
    assistant.cancel(context.world, name)


@when("{name:Persona}'s connection drops and he reconnects to instance {instance:d}")
@when("{name:Persona}'s connection drops and she reconnects to instance {instance:d}")
def step_reconnect(context, name, instance):
    """Drops the person's socket and resumes the run from the last event seen, through the instance numbered."""
    assistant.reconnect_and_resume(context.world, name, instance=instance - 1)


@when("{someone:Someone} follows that question from instance {instance:d}")
def step_follow(context, someone, instance):
    """The person named (of the company named, if one is) asks to follow the last run from the instance numbered."""
    assistant.follow_from(context.world, someone[0], company=someone[1], instance=instance - 1)


@when("{name:Persona} asks to resume a question whose events are no longer kept")
def step_resume_unknown(context, name):
    """The person named asks to resume a run whose event log has expired."""
    assistant.resume_unknown_run(context.world, name)


@given("the assistant's tools may take at most {ms:d} milliseconds")
def step_tool_limit(context, ms):
    """Sets how long one assistant tool may run, for this scenario's tenant."""
    assistant.set_assistant_limits(context.world, assistant_tool_timeout_ms=ms)


@given("each person may ask the assistant {count:d} questions a minute")
def step_rate_limit(context, count):
    """Sets how many questions a person may ask a minute, for this scenario's tenant."""
    assistant.set_assistant_limits(context.world, assistant_runs_per_minute=count)


@then("each person may ask the assistant {count:d} questions a minute and each tool may take {ms:d} milliseconds")
def step_limits_are(context, count, ms):
    """Reads the company's assistant limits as its owner sees them."""
    expect.limits_are(context.world, count, ms)


@given("a long-running job holds the company's records")
def step_hold_records(context):
    """Holds a lock on the company's records from a long-running database transaction, released at cleanup."""
    assistant.hold_company_records(context.world)


@given("instance {instance:d} takes one question at a time and keeps none waiting")
def step_one_question_at_a_time(context, instance):
    """Restarts the platform instance numbered with room for one question only, as it was at cleanup."""
    assistant.instance_takes_one_question_at_a_time(context.world, instance)


@then("{name:Persona} is told to ask again in {seconds:d} second")
@then("{name:Persona} is told to ask again in {seconds:d} seconds")
def step_ask_again_in(context, name, seconds):
    """Checks the person's refused question says when to ask again."""
    expect.told_to_ask_again_in(context.world, name, seconds)


@given("the language model service is down")
def step_model_down(context):
    """Makes the language model double fail every request until it is back."""
    assistant.model_goes_down(context.world)


@given("the language model will fail its next {count:d} requests")
def step_model_fails_next(context, count):
    """Makes the language model double answer its next that many requests with a server error."""
    assistant.model_fails_next(context.world, count)


@when("the language model service is back")
def step_model_back(context):
    """Makes the language model double answer again."""
    assistant.model_comes_back(context.world)


@given('{seller:Persona} is delivering a project for "{company}"')
def step_delivering(context, seller, company):
    """The seller named wins a deal with the client named, which opens the delivery project the assistant reads."""
    sales.project_delivered_by(context.world, seller, company)


@when('all five people of {count:d} companies ask the assistant "{question}" at the same time, over every instance')
def step_crowd(context, count, question):
    """All five people of that many companies ask the question at once, spread over every instance."""
    assistant.many_people_ask(context.world, count, question)


@then("every stage arrives once, in order, and nothing follows the end")
def step_contract(context):
    """Checks the run's events keep the contract: every stage once, sequence numbers without gaps, nothing after the end."""
    expect.run_keeps_contract(context.world)


@then("{name:Persona} sees the assistant {stages:List}, in that order")
def step_stages(context, name, stages):
    """Checks the person named saw the stages listed, in that order."""
    expect.stages_in_order(context.world, name, stages)


@then("the assistant used the {tools:List} tools, each paired with its result")
@then("the assistant used the {tools:List} tool, paired with its result")
def step_tools(context, tools):
    """Checks the run called the tools named, each tool call paired with its result."""
    expect.tools_used(context.world, tools)


@then("the {tool} tool is reported as {status}")
def step_tool_status(context, tool, status):
    """Checks the tool named ended with the status named (timed out, done, error)."""
    expect.tool_status(context.world, tool, {"timed out": "timeout", "done": "ok"}.get(status, status))


@then("the run ends with an answer")
def step_ends_with_answer(context):
    """Checks the run's terminal event is an answer."""
    expect.run_ended(context.world, "answers")


@then('{name:Persona} asking again "{question}" on every instance is refused at once without reaching the model')
def step_refused_without_model(context, name, question):
    """The person named asks again on each instance; checks each run fails and the model was never called."""
    expect.refused_at_once_without_the_model(context.world, name, question)


@then("the run fails because {reason}")
def step_run_fails(context, reason):
    """Checks the run's terminal event is a failure for the reason named."""
    expect.run_ended(context.world, "fails", reason)


@then('the answer mentions "{text}"')
def step_answer_mentions(context, text):
    """Checks the answer's text contains the words given."""
    expect.answer_mentions(context.world, text)


@then("the answer carries no markup")
def step_no_markup(context):
    """Checks the answer holds no HTML or script markup."""
    expect.answer_has_no_markup(context.world)


@then("the answer gives an open pipeline of {amount:Money} in {deals:d} deals, as stored")
def step_pipeline(context, amount, deals):
    """Checks the answer's pipeline equals that amount and number of deals, and equals what the database stores."""
    expect.pipeline_agrees_with_data(context.world, amount, deals)


@given("{name:Persona} has asked the assistant {questions:d} questions in one conversation")
def step_long_conversation(context, name, questions):
    """The person named has asked that many short questions, one after the other, in one conversation."""
    assistant.asked_in_one_conversation(context.world, name, questions)


@given(
    "{name:Persona} has asked the assistant {questions:d} questions of {characters:d} characters in one conversation"
)
def step_long_questions(context, name, questions, characters):
    """The person named has asked that many questions of that many characters in one conversation."""
    assistant.asked_in_one_conversation(context.world, name, questions, characters=characters)


@when("{name:Persona} reads the conversation {size:d} messages at a time")
def step_read_conversation_pages(context, name, size):
    """The person named reads their last conversation a page of that many messages at a time."""
    conversation_pages.reads_in_pages(context.world, name, size)


@then("they have read {pages:d} pages holding each question and its answer once, in the order asked")
def step_read_every_message(context, pages):
    """Checks the pages read, and every question of the conversation and its answer once, in order."""
    conversation_pages.read_every_message_once(context.world, pages)


@then("the assistant was given the latest {given:d} of the conversation's {held:d} earlier messages")
def step_given_the_latest(context, given, held):
    """Checks the conversation held that many messages before the question, and the model got the latest so many."""
    expect.given_the_latest(context.world, given, held)


@then("the second answer draws on the first")
def step_context(context):
    """Checks the second answer is in the same conversation and carries the first answer's words."""
    expect.second_answer_uses_first(context.world)


@then("the conversation holds {count:d} messages, questions and answers in turn, each answer under its question's run")
def step_thread_messages(context, count):
    """Checks the conversation holds that many messages, questions and answers alternating, each with its run."""
    expect.thread_holds(context.world, count)


@then("{name:Persona} has {count:d} conversation")
@then("{name:Persona} has {count:d} conversations")
def step_threads(context, name, count):
    """Checks the person named has that many conversations listed."""
    expect.threads_listed(context.world, name, count)


@when("{name:Persona} archives the conversation")
def step_archive(context, name):
    """The person named archives the conversation of the last run."""
    context.world.actor(name).archives_thread(context.world.assistant.run.thread_id)


@then("{name:Persona} has {count:d} archived conversation")
def step_archived(context, name, count):
    """Checks the person named has that many archived conversations."""
    expect.threads_listed(context.world, name, count, archived=True)


@then("the question is refused because {reason}")
def step_refused(context, reason):
    """Checks the question was refused for the reason named."""
    expect.refused(context.world, reason)


@then("no event was lost or doubled")
def step_nothing_lost(context):
    """Checks the events read across every connection cover the run once: no sequence number missing or repeated."""
    expect.nothing_doubled_or_lost(context.world)


@then("the other instance delivered every event of the run")
def step_follower_all(context):
    """Checks the follower on the other instance received every event of the run."""
    expect.follower_saw_whole_run(context.world)


@then("she receives none of its events")
def step_follower_nothing(context):
    """Checks the follower received none of the run's events."""
    expect.follower_saw_nothing(context.world)


@then("{name:Persona} is told the question can no longer be resumed")
def step_resume_unavailable(context, name):
    """Checks the person named was told the run can no longer be resumed."""
    expect.resume_unavailable(context.world, name)


@then('the project has a task "{title}"')
def step_task_written(context, title):
    """Checks the project has a task with that title."""
    expect.follow_up_task_written(context.world, title, written=True)


@then('the project has no task "{title}"')
def step_task_not_written(context, title):
    """Checks the project has no task with that title."""
    expect.follow_up_task_written(context.world, title, written=False)


@then("everyone receives the events of their own question, and only those")
def step_crowd_isolated(context):
    """Checks every asker received only the events of their own run."""
    expect.everyone_got_only_their_own(context.world)


@given('{name:Persona} has asked the assistant "{question}" through every instance')
def step_asked_on_every_instance(context, name, question):
    """The person named asks the question once through each platform instance."""
    assistant.asked_on_every_instance(context.world, name, question)


@then('{name:Persona}\'s question "{question}" to the assistant is answered through every instance')
def step_answered_on_every_instance(context, name, question):
    """Checks the question asked through each instance ended with an answer."""
    expect.answered_on_every_instance(context.world, name, question)


@given('the company has 3 clients whose names start with "{prefix}", making a look-up summary of {size:d} characters')
def step_clients_for_summary(context, prefix, size):
    """Makes three clients named with the prefix, long enough that their look-up's summary has that many characters."""
    lookup_bounds.three_clients_making_a_summary_of(context.world, prefix, size)


@then("the client look-up handed the model {listed:d} clients and a summary of {length:d} characters, {ending}")
def step_lookup_handed(context, listed, length, ending):
    """Checks the look-up's result in the run: how many clients, how long the summary, and whether it was cut."""
    lookup_bounds.handed_the_model(context.world, listed, length, ending)


@given('the company has {count:d} clients whose names start with "{prefix}"')
def step_clients_named(context, count, prefix):
    """Makes that many clients, each with a deal, named with the prefix and a number."""
    lookup_bounds.clients_named(context.world, count, prefix)


@then('the client look-up handed the model the client "{name}" alone')
def step_client_handed_alone(context, name):
    """Checks the look-up's result in the run held the client named, and no other."""
    lookup_bounds.only_client_handed(context.world, name)


@then("the client look-up handed the model {listed:d} clients")
def step_clients_handed(context, listed):
    """Checks how many clients the look-up's result in the run held, oldest first."""
    lookup_bounds.clients_handed(context.world, listed)


@given("{name:Persona} has the assistant open on every instance")
def step_open_everywhere(context, name):
    """The person named opens an assistant connection to every platform instance."""
    revocation.connections_open(context.world, name)


@given("{name:Persona}'s session runs out in {seconds:d} seconds")
def step_session_expiring(context, name, seconds):
    """Gives the person named a session (their own, signed with the platform's key) that ends that soon."""
    revocation.session_expiring_in(context.world, name, seconds)


@when("{name:Persona}'s session runs out")
def step_session_runs_out(context, name):
    """Checks the person's session is about to run out (the platform's clock does the rest)."""
    revocation.session_runs_out(context.world, name)


@when("the operator removes {name:Persona}'s company")
def step_company_removed(context, name):
    """The platform's operator removes the company of the person named, with everything it holds."""
    revocation.company_removed(context.world, name)


@then("every connection {name:Persona} had open is closed because {why}")
def step_connections_closed(context, name, why):
    """Checks every connection the person had open was closed by the platform, saying why the session ended."""
    revocation.connections_closed(context.world, name, why)


@then("{name:Persona}'s ended session cannot open the assistant again")
def step_cannot_reconnect(context, name):
    """Checks a new connection with the ended session is closed at once."""
    revocation.old_session_cannot_reconnect(context.world, name)


@given('{name:Persona} has asked the assistant "{question}" and seen it think')
def step_asked_and_thinking(context, name, question):
    """The person named asks the question and reads events until the assistant thinks."""
    assistant.ask(context.world, name, question, wait_for=expect.STAGES["thinks"])


@given('{name:Persona} has asked the assistant "{question}" through instance {instance:d} and seen it think')
def step_asked_on_instance_and_thinking(context, name, question, instance):
    """The person named asks through the instance numbered and reads events until the assistant thinks."""
    assistant.ask(context.world, name, question, instance=instance - 1, wait_for=expect.STAGES["thinks"])


@given('{name:Persona} has asked the assistant "{question}" and its write is held up at the database')
def step_asked_write_held(context, name, question):
    """The person named asks for a write while its project is held; returns once the write waits for it."""
    held_write.asked_with_the_write_held(context.world, name, question)


@then("{name:Persona}'s follow-up is written before {change}")
def step_written_before(context, name, change):
    """Checks the held follow-up was written, and before the change of rights, in the company's trail."""
    held_write.written_before(context.world, name, change)


@then("{name:Persona}'s question ends with an answer")
def step_question_ends(context, name):
    """Waits for the end of the person's question; checks it ends with an answer."""
    assistant.wait_for_end(context.world, name)
    expect.run_ended(context.world, "answers")


@then("{name:Persona}, signed in again, finds his question ended because his session ended")
@then("{name:Persona}, signed in again, finds her question ended because her session ended")
def step_run_ended_for_session(context, name):
    """The person signs in again and resumes the question; checks it ended because the session ended."""
    revocation.run_ended_for_session(context.world, name)


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


@given("{name:Persona} has {count:d} assistant connections open on one instance, each answering")
def step_connections_open(context, name, count):
    """The person named opens that many connections on the first instance; checks each answers."""
    connection_limit.connections_held_open(context.world, name, count)


@when("{name:Persona} opens a connection there")
@when("{name:Persona} opens one more there")
def step_open_one_more(context, name):
    """The person named opens another connection on the first instance."""
    connection_limit.opens_another(context.world, name)


@then("it is closed at once because {name:Persona} holds {most:d} open already")
def step_closed_for_too_many(context, name, most):
    """Checks the last connection was closed as against the rules, naming that many held open."""
    connection_limit.refused_for_too_many(context.world, name, most)


@when("{name:Persona} closes one of them and opens another there")
def step_close_one(context, name):
    """The person named closes one of the connections they held open, then opens another until it is taken."""
    connection_limit.closes_one_and_opens_another(context.world, name)


@then("{name:Persona}'s new connection there answers")
def step_new_connection_answers(context, name):
    """Checks the last connection opened answers a message."""
    connection_limit.answered(context.world, name)


@when("{name:Persona} sends the assistant {count:d} questions it takes its time over, one after the other")
def step_slow_questions(context, name, count):
    """The person named sends that many slow questions without waiting for their answers."""
    turns.asks_slow_questions_at_once(context.world, name, count)


@then("at most {most:d} of {name:Persona}'s questions were worked on at once, the others once one of his had ended")
def step_most_at_once(context, most, name):
    """Checks, from the events' times, how many of the person's questions were worked on at one moment."""
    turns.most_worked_on_at_once(context.world, name, most)


@then("{colleague:Persona} was answered before any of {name:Persona}'s questions")
def step_answered_first(context, colleague, name):
    """Checks the colleague's last question ended before the first of the person's."""
    turns.answered_before_any_of(context.world, colleague, name)
