"""Resilience: faults struck while work is under way, and the steady state around them."""

from behave import given, then, when

from support.areas.billing import checks as billing_checks
from support.areas.billing import tasks as billing
from support.areas.resilience import contention, leaks, outages, processor_outage, readiness, steady_state


@given("the company's money is in its steady state")
@then("the company's money is in its steady state")
def step_steady_state(context):
    """Checks the company's money adds up: every invoice's paid and due against its payments, refunds and charges."""
    steady_state.holds(context.world)


@when("{company:Company} pays {amount:Money} by card and the platform's database connections are cut meanwhile")
def step_pay_connections_cut(context, company, amount):
    """The client company named pays while the platform's database connections are cut mid-payment."""
    billing.paying_client_is(context.world, company)
    outages.pay_while_database_fails(context.world, *amount, "connections cut")


@when("{company:Company} pays {amount:Money} by card and the database restarts meanwhile")
def step_pay_database_restarts(context, company, amount):
    """The client company named pays while the database restarts mid-payment."""
    billing.paying_client_is(context.world, company)
    outages.pay_while_database_fails(context.world, *amount, "restarts")


@when("{company:Company} pays {amount:Money} by card and the database's primary is lost meanwhile")
def step_pay_primary_lost(context, company, amount):
    """The client company named pays while the database's primary is lost and its standby promoted."""
    billing.paying_client_is(context.world, company)
    outages.pay_while_database_fails(context.world, *amount, "primary lost")


@given("the database is kept in step by a standby")
def step_standby_kept(context):
    """Starts a standby of the database, kept in step by synchronous streaming replication."""
    outages.standby_kept(context.world)


@when("{count:d} payments of {amount:Money} arrive one after another while the database's primary is lost")
def step_burst_primary_lost(context, count, amount):
    """Sends that many payments over every instance, 0.1 s apart; once one is acknowledged, the primary is lost."""
    contention.pay_while_primary_lost(context.world, count, *amount)


@when(
    "{reader:Persona} reads the invoice {reads:d} times while a payment of {amount:Money} waits on a processor "
    "answering in {seconds:d} seconds"
)
def step_reads_during_payment(context, reader, reads, amount, seconds):
    """Pays with a slow processor and, once the charge reached it, the person named reads the invoice, timed."""
    contention.reads_while_a_payment_is_in_flight(context.world, reader, reads, *amount, seconds)


@then("each of her reads was answered within {seconds:f} seconds, without waiting for the payment")
def step_reads_fast(context, seconds):
    """Checks every timed read of the invoice took at most that long."""
    contention.reads_answered_within(context.world, seconds)


@when("{company:Company} starts paying {amount:Money} by card, the processor holding its answer {seconds:d} seconds")
def step_slow_payment(context, company, amount, seconds):
    """The company named pays; the processor answers late, and the step returns once the charge reached it."""
    billing.paying_client_is(context.world, company)
    processor_outage.slow_payment_starts(context.world, *amount, seconds)


@then("the slow payment is answered, and accepted")
def step_slow_payment_accepted(context):
    """Waits for the slow payment's answer and checks it was accepted."""
    processor_outage.slow_payment_accepted(context.world)


@when("{seller:Persona} wins the deal {times:d} times at the same moment")
def step_win_at_once(context, seller, times):
    """The person named wins the deal that many times at once, over every instance."""
    contention.deal_won_at_once(context.world, seller, times)


@then("the deal was won once, and the {others:d} other tries were told it is no longer open")
def step_won_once(context, others):
    """Checks one try won, the others were refused as the deal is no longer open, and one project exists."""
    contention.won_once(context.world, others)


@then("each payment is taken or told to try again later")
def step_taken_or_retry(context):
    """Checks each payment of the burst was taken or told to retry, with a Retry-After."""
    contention.each_taken_or_told_to_retry(context.world)


@then("every payment acknowledged while the primary was lost is recorded")
def step_acknowledged_kept(context):
    """Checks every payment of the burst that was taken is among the invoice's payments."""
    contention.acknowledged_ones_kept(context.world)


@then("the platform writes to the former standby, ready on every instance")
def step_writes_to_standby(context):
    """Checks the data is served by the promoted standby and every instance reports ready."""
    outages.writes_to_the_former_standby(context.world)


@then('the payment is answered "try again later"')
def step_try_again_later(context):
    """Checks the last payment was answered 503 with Retry-After."""
    outages.answered_try_again_later(context.world)


@then('the payment is accepted, at once or when sent again after "try again later"')
def step_taken_once_way_or_other(context):
    """Checks the payment made during the fault was accepted, or answered 503 and accepted when sent again."""
    outages.taken_at_once_or_when_sent_again(context.world)


@then("the payment is accepted")
def step_payment_accepted(context):
    """Checks the last payment was accepted."""
    billing_checks.payment_accepted(context.world)


@given("{server:Server} is down")
@when("{server:Server} goes down")
@when("{server:Server} stops")
def step_server_down(context, server):
    """Stops the server named (the database, Redis, the payment processor) by its own means."""
    outages.server_goes_down(context.world, server)


@when("{server:Server} is back")
def step_server_back(context, server):
    """Starts the server named again and waits until it answers."""
    outages.server_comes_back(context.world, server)


@then('a payment of {amount:Money} is answered "try again later"')
def step_payment_try_later(context, amount):
    """Pays that amount and checks the answer is 503 with Retry-After."""
    outages.answered_try_again_later(context.world, billing.customer_pays(context.world, *amount))


@then("a payment of {amount:Money} is accepted")
def step_payment_ok(context, amount):
    """Pays that amount and checks the payment is accepted."""
    billing.customer_pays(context.world, *amount)
    billing_checks.payment_accepted(context.world)


@then("readiness reports the database down while the process stays alive")
def step_database_down_reported(context):
    """Checks readiness answers 503 naming the database while liveness answers 200."""
    readiness.database_reported_down(context.world)


@then("the platform is ready on every instance")
def step_ready_everywhere(context):
    """Waits until every platform instance reports ready."""
    readiness.readiness_everywhere(context.world)


@when(
    "{count:d} payments of {amount:Money} arrive at once while a long job holds the company's records for "
    "{seconds:d} seconds"
)
def step_pool_exhaustion(context, count, amount, seconds):
    """Sends that many payments at once while a job holds the company's records for that many seconds."""
    contention.pay_while_records_held(context.world, count, *amount, seconds)


@then("each payment is taken or told to try again later, and some were told to try again")
def step_overflow(context):
    """Checks each payment was taken or told to retry after 1 s, and at least one was told so."""
    contention.overflow_told_to_retry(context.world)


@then("while the records were held, reading the invoice from the same instance took at most {seconds:f} seconds")
def step_reads_beside_full_payments(context, seconds):
    """Checks each read of the invoice made while the payments' connections were all taken was that quick."""
    contention.reads_answered_within(context.world, seconds)


@then("while the records were held, every database connection was shown in use and requests waiting for one")
def step_pool_figures(context):
    """Checks the instance's pool figures during the hold: the whole pool in use and requests waiting."""
    contention.pool_showed_full_with_waiters(context.world)


@when("the payments told to try again are sent again")
def step_send_refused_again(context):
    """Sends again the payments that were told to try again later."""
    contention.refused_ones_sent_again(context.world)


@then("the card was charged {times:d} times")
def step_charged_times(context, times):
    """Checks the processor charged the invoice that many times."""
    billing_checks.card_charged(context.world, times)


@given('the database will refuse an invoice line described "{description}"')
def step_poisoned_line(context, description):
    """Adds a database constraint that refuses an invoice line with that description, removed at cleanup."""
    outages.poisoned_line(context.world, description)


@when("{biller:Persona} tries to draft an invoice with these lines:")
def step_try_draft(context, biller):
    """The person named tries to draft an invoice with the table's lines."""
    outages.try_to_draft_invoice(context.world, biller, [billing.line_from_row(row) for row in context.table])


@then("the invoice is not created and no part of it is stored")
def step_nothing_stored(context):
    """Checks no invoice, line or audit entry of the attempt is stored."""
    outages.nothing_of_the_invoice_stored(context.world)


@then("readiness reports the cache down, the platform degraded but ready, and every circuit's state unknown")
def step_cache_down(context):
    """Checks readiness reports the cache down and the platform degraded but ready; the circuits unknown."""
    readiness.dependency_down_platform_degraded(context.world, "cache")
    readiness.circuits_unknown(context.world)


@when("Redis stops answering for {seconds:d} seconds")
def step_redis_pause(context, seconds):
    """Pauses Redis (CLIENT PAUSE) for that many seconds."""
    outages.redis_pauses(context.world, seconds)


@when("Redis answers again")
def step_redis_unpause(context):
    """Ends the Redis pause."""
    outages.redis_answers_again(context.world)


@given("the processor will fail its next {count:d} requests")
def step_processor_burst(context, count):
    """Makes the processor double fail its next that many requests (503)."""
    outages.processor_fault(context.world, errors=count)


@then("the processor made one refund of {amount:Money} on the payment's charge")
def step_refunded_once(context, amount):
    """Checks the processor made exactly one refund, of that amount, on the last payment's charge."""
    processor_outage.refunded_once(context.world, *amount)


@given("the processor will fail its next request")
def step_processor_fails_once(context):
    """Makes the processor double fail its next request (503)."""
    outages.processor_fault(context.world, errors=1)


@given("the processor will answer its next {count:d} requests with {answer:ProcessorAnswer}")
def step_processor_burst_of(context, count, answer):
    """Makes the processor double answer its next that many requests as named (a failure, busy, a refusal)."""
    outages.processor_fault(context.world, errors=count, errors_status=outages.PROCESSOR_ANSWERS[answer])


@when("{company:Company} tries to pay {amount:Money} by card {tries:d} times")
def step_try_pay_times(context, company, amount, tries):
    """The client company named tries to pay that amount that many times."""
    billing.paying_client_is(context.world, company)
    processor_outage.try_payments(context.world, tries, *amount)


@then('each payment is answered "try again later"')
def step_each_try_later(context):
    """Checks every one of those payments was answered 503 with Retry-After."""
    processor_outage.all_told_to_try_again_later(context.world)


@given("the operators watch the platform's logs")
def step_watch_logs(context):
    """Marks where the platform instances' logs end now (embedded stack), for the checks that read them."""
    readiness.operators_watch_the_logs(context.world)


@then("the operators read in the logs that the circuit to the {dependency} opened")
def step_logged_open(context, dependency):
    """Checks an instance logged, since the logs were watched, that the circuit to the dependency opened."""
    readiness.logged_circuit_opened(context.world, dependency.replace(" ", "_"), opened=True)


@then("the operators read in the logs that every database connection was busy")
def step_logged_busy(context):
    """Checks an instance logged, since the logs were watched, that a request found no free connection."""
    readiness.logged_connections_busy(context.world)


@then("the operators read nothing in the logs of the circuit to the {dependency} opening")
def step_logged_no_open(context, dependency):
    """Checks no instance logged, since the logs were watched, that the circuit to the dependency opened."""
    readiness.logged_circuit_opened(context.world, dependency.replace(" ", "_"), opened=False)


@given("the circuit to the {dependency} is {state} on every platform instance")
def step_circuit_starts(context, dependency, state):
    """Waits for the circuit to be in that state on every instance; keeps how often it had opened so far."""
    readiness.circuit_starts(context.world, dependency.replace(" ", "_"), state.replace("-", "_"))


@then("the circuit to the {dependency} is {state} on every platform instance")
def step_circuit(context, dependency, state):
    """Waits until the circuit to the dependency named is in the state named on every instance."""
    readiness.circuit_eventually(context.world, dependency.replace(" ", "_"), state.replace("-", "_"))


@then("the circuit to the {dependency} opened {times:d} time since the scenario began")
@then("the circuit to the {dependency} opened {times:d} times since the scenario began")
def step_circuit_opened(context, dependency, times):
    """Checks how often the circuit to the dependency named opened since the scenario's Given."""
    readiness.circuit_opened_times(context.world, dependency.replace(" ", "_"), times)


@then("{tries:d} more payments are refused at once without reaching the processor")
def step_refused_at_once(context, tries):
    """Sends that many payments and checks each is refused at once while the processor saw none."""
    processor_outage.payments_refused_without_calling(context.world, tries)


@then("the processor received {count:d} charge requests for it")
@then("the processor received {count:d} charge request for it")
def step_processor_saw(context, count):
    """Checks the processor received that many charge requests for the invoice."""
    processor_outage.processor_saw(context.world, count)


@then(
    "the platform waited {first_least:g} to {first_most:g} s before its first retry"
    " and {second_least:g} to {second_most:g} s before its second"
)
def step_retries_backed_off(context, first_least, first_most, second_least, second_most):
    """Checks the gaps between the processor's requests lay within the seconds given."""
    processor_outage.retries_backed_off(context.world, [(first_least, first_most), (second_least, second_most)])


@when("{count:d} payments of {amount:Money} arrive at once over every platform instance")
def step_many_pay(context, count, amount):
    """Sends that many payments of that amount at once, spread over every instance."""
    contention.many_pay_at_once(context.world, count, *amount)


@when("{count:d} refunds of {amount:Money} of the payment arrive at once over every platform instance")
def step_many_refund(context, count, amount):
    """Sends that many refunds of that amount of the payment at once, spread over every instance."""
    contention.many_refund_at_once(context.world, count, *amount)


@when("the same payment of {amount:Money} arrives {copies:d} times at once with one key over every platform instance")
def step_same_payment_at_once(context, amount, copies):
    """Sends one payment, with one key, that many times at the same moment, spread over every instance."""
    contention.same_payment_at_once(context.world, copies, *amount)


@then("it is taken once, and each other copy is answered with that payment or told its key is still in use")
def step_taken_once(context):
    """Checks one payment was made and every other copy was answered with it or told its key is in use."""
    contention.taken_once_for_its_key(context.world)


@when(
    "{voider:Persona} voids the invoice while a payment of {amount:Money} waits on a processor answering in"
    " {seconds:d} seconds"
)
def step_void_while_paying(context, voider, amount, seconds):
    """A payment waits on a slow processor; meanwhile the person named voids the invoice."""
    contention.void_while_a_payment_is_in_flight(context.world, voider, *amount, seconds)


@then("the void is refused because the invoice has payments, and the payment is accepted")
def step_void_refused(context):
    """Checks the void was refused (the invoice has money on it) and the payment in flight was taken."""
    contention.void_refused_and_payment_taken(context.world)


@then("{accepted:d} payments are accepted and {refused:d} refused because {reason}")
def step_batch_outcome(context, accepted, refused, reason):
    """Checks how many payments were accepted and how many refused for the reason named."""
    contention.batch_outcome(context.world, accepted, refused, billing_checks.REFUSAL_CODES[reason])


@then("{accepted:d} refunds are accepted and {refused:d} refused because {reason}")
def step_refunds_outcome(context, accepted, refused, reason):
    """Checks how many refunds were accepted and how many refused for the reason named."""
    contention.batch_outcome(context.world, accepted, refused, billing_checks.REFUSAL_CODES[reason], "refunds")


@when("{first:Persona} and {second:Persona} approve the payment at the same moment")
def step_approve_together(context, first, second):
    """Both people named approve the held payment at the same moment."""
    contention.approve_at_once(context.world, [first, second])


@then("one approval counts and the other is told it was already decided")
def step_one_decision(context):
    """Checks one approval counted and the other was told it was already decided."""
    contention.one_decision_counts(context.world)


@given(
    "{journeys:d} lead-to-cash journeys have run, {at_a_time:d} at a time, and the platform's connections, "
    "open files and memory are measured"
)
def step_baseline(context, journeys, at_a_time):
    """Runs that many lead-to-cash journeys that many at a time, then measures connections, open files and memory."""
    leaks.measure_after_warm_up(context.world, journeys, at_a_time)


@when("{journeys:d} more lead-to-cash journeys run, {at_a_time:d} at a time")
def step_many_journeys(context, journeys, at_a_time):
    """Runs that many more lead-to-cash journeys that many at a time."""
    leaks.run_journeys(context.world, journeys, at_a_time)


@then("all {journeys:d} invoices are paid")
def step_all_paid(context, journeys):
    """Checks all those journeys' invoices are paid."""
    leaks.every_journey_paid(context.world, journeys)


@then(
    "the platform holds no connection outside its pools nor in use, no more open files than after the first"
    " journeys, and no instance more than {megabytes:d} MB more memory"
)
def step_back_to_baseline(context, megabytes):
    """Checks every connection is idle in a pool, open files are back to the measured ones, memory within that."""
    leaks.holdings_back_to_baseline(context.world, megabytes)
