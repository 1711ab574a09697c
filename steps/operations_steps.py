"""Operations: sign-in throttling, headers and limits, socket messages, start-up configuration."""

from behave import given, then, when

from support.areas.operations import (
    access_events,
    backups,
    configuration,
    http_limits,
    key_rotation,
    metrics,
    shutdown,
    sign_in,
    socket_frames,
    start_up,
)
from support.areas.sales import tasks as sales


@given("someone has tried to sign in as {who:Persona} with a wrong password {times:d} times")
@when("someone tries to sign in as {who:Persona} with a wrong password {times:d} times")
def step_wrong_passwords(context, who, times):
    """Someone signs in as the person named with a wrong password that many times."""
    sign_in.wrong_passwords(context.world, who, times)


@when("someone tries to sign in as {who:Persona} with a wrong password {times:d} times at once")
def step_wrong_passwords_at_once(context, who, times):
    """Someone sends that many wrong passwords for the person named at the same moment."""
    sign_in.wrong_passwords_at_once(context.world, who, times)


@then(
    "{unknown:d} of the attempts are refused as unknown and the other {waiting:d} are told to try again within"
    " {seconds:d} seconds"
)
def step_at_once_refused(context, unknown, waiting, seconds):
    """Checks how many of the attempts made at once were refused as unknown and how many told to wait."""
    sign_in.at_once_refused_and_told_to_wait(context.world, unknown, waiting, seconds)


@when("someone tries to sign in as {who:Persona} with a wrong password {times:d} times, her address written {how}")
@when("someone tries to sign in as {who:Persona} with a wrong password {times:d} times, his address written {how}")
def step_wrong_passwords_spelled(context, who, times, how):
    """Someone signs in with a wrong password that many times, the person's address written another way."""
    sign_in.wrong_passwords_spelled(context.world, who, times, how)


@when('someone tries to sign in as "{email}" with a wrong password {times:d} times')
def step_wrong_passwords_unknown(context, email, times):
    """Someone signs in as an account that does not exist with a wrong password that many times."""
    sign_in.wrong_passwords(context.world, email, times)


@when(
    "someone at {address} tries {accounts:d} different accounts with a wrong password,"
    " each claiming to forward for another address"
)
def step_many_accounts_forwarded(context, address, accounts):
    """Someone at the address named tries that many accounts, each request saying it passes on another's."""
    sign_in.many_accounts_guessed(context.world, address, accounts, claiming_to_forward=True)


@when("someone at {address} tries {accounts:d} different accounts with a wrong password")
def step_many_accounts(context, address, accounts):
    """Someone at the address named tries that many accounts with a wrong password."""
    sign_in.many_accounts_guessed(context.world, address, accounts)


@then("attempts {first:d} to {last:d} are refused as unknown")
def step_refused_as_unknown(context, first, last):
    """Checks the attempts from first to last were refused as unknown credentials (401)."""
    sign_in.attempts_refused_as_unknown(context.world, first, last)


@then("the last attempt is told to try again within {seconds:d} seconds")
def step_last_told_to_wait(context, seconds):
    """Checks the last attempt was told to wait (429) with a Retry-After of at most that many seconds."""
    sign_in.last_attempt_told_to_wait(context.world, seconds)


@when("{name:Persona} signs in with her own password")
def step_signs_in(context, name):
    """The person named signs in with her own password; the answer is kept."""
    sign_in.signs_in_with_own_password(context.world, name)


@then("{name:Persona} signs in with her own password")
def step_can_sign_in(context, name):
    """Checks the person named signs in with her own password."""
    sign_in.can_sign_in(context.world, name)


@when("{name:Persona} signs in from {address} with her own password")
def step_signs_in_from(context, name, address):
    """The person named signs in from the address named."""
    sign_in.signs_in_with_own_password(context.world, name, source=address)


@then("she is told to try again within {seconds:d} seconds")
def step_told_to_wait(context, seconds):
    """Checks the last sign-in was told to wait (429) with a Retry-After of at most that many seconds."""
    sign_in.told_to_wait(context.world.operations.sign_in_answer, seconds)


@then("after that wait {name:Persona} signs in with her own password")
def step_after_wait(context, name):
    """Waits out the Retry-After given and checks the person named then signs in."""
    sign_in.signs_in_after_waiting(context.world, name)


@then("she is signed in")
def step_signed_in(context):
    """Checks the last sign-in gave a session."""
    sign_in.signed_in(context.world)


@when("{name:Persona} reads her own profile")
def step_reads_profile(context, name):
    """The person named reads her own profile."""
    http_limits.reads_own_profile(context.world, name)


@when("{name:Persona} signs in")
def step_plain_sign_in(context, name):
    """The person named signs in."""
    http_limits.signs_in(context.world, name)


@when("{name:Persona} asks for the headers alone of {what:HeadersOf}")
def step_asks_for_headers_alone(context, name, what):
    """The person named asks for the headers alone of each thing named, and for the whole of it."""
    http_limits.asks_for_headers_alone(context.world, name, what)


@then("each is answered as the whole request is, with the same headers and no body")
def step_headers_alone_as_whole(context):
    """Checks each answer of headers alone has the whole answer's status and headers, and no body."""
    http_limits.headers_alone_as_whole(context.world)


@then("the answer may not be sniffed, framed or stored")
def step_protected(context):
    """Checks the last answer's protective headers (nosniff, no framing, no referrer, no-store)."""
    http_limits.answer_protected(context.world)


@when("{name:Persona} sends a request whose {part} holds {size:RequestSize}")
def step_sized_request(context, name, part, size):
    """The person named sends a request whose headers or body hold the size named."""
    http_limits.sends_sized(context.world, name, part, size)


@when("{name:Persona} sends a new lead labelled as {sent_as:BodyLabel}")
def step_lead_labelled(context, name, sent_as):
    """The person named sends a valid lead whose body is labelled as the feature says (its content type)."""
    http_limits.sends_lead_as(context.world, name, sent_as)


@when("{name:Persona} opens the assistant with handshake headers of {size:RequestSize}")
def step_sized_handshake(context, name, size):
    """The person named opens the assistant's socket with handshake headers of the size named, in all."""
    http_limits.opens_assistant_with_headers_of(context.world, name, size)


@then("the assistant still answers {name:Persona}")
def step_assistant_still_answers(context, name):
    """Checks a question the person named asks on a plain connection is accepted and its run ends."""
    http_limits.assistant_still_answers(context.world, name)


@then("it is {outcome:RequestOutcome}")
def step_request_became(context, outcome):
    """Checks what became of the request: answered, or refused naming the part too large (protected either way)."""
    http_limits.became(context.world, outcome)


@then("the same connection answers her next request")
@then("the same connection answers the next request")
def step_connection_usable(context):
    """Checks the same keep-alive connection answers the next request."""
    http_limits.connection_still_answers(context.world)


@given('"{company}" has a project delivered for the company')
def step_project(context, company):
    """A deal with the client named is won, which opens a delivery project."""
    sales.won_project(context.world, company)


@when("{biller:Persona} drafts an invoice with one line of {quantity} at {price} and {tax}% tax")
def step_draft_line(context, biller, quantity, price, tax):
    """The person named drafts an invoice with one line of that quantity, price and tax rate."""
    http_limits.drafts_line(context.world, biller, quantity, price, tax)


@then("the invoice is {outcome}, naming {field}")
def step_line_outcome(context, outcome, field):
    """Checks the invoice was drafted, or refused naming the field, and nothing written when refused."""
    http_limits.line_outcome(context.world, outcome, field)


@given("{name:Persona} has the assistant open")
def step_assistant_open(context, name):
    """The person named opens the assistant's socket."""
    socket_frames.opens_assistant(context.world, name)


@when("{name:Persona} sends {frame:SocketFrame} on it")
def step_send_frame(context, name, frame):
    """The person named sends the malformed frame named on the socket."""
    socket_frames.sends(context.world, name, frame)


@then("the platform closes his socket because {why:SocketClose}")
def step_closed(context, why):
    """Checks the platform closed the socket with the close code for the reason named, and gave a reason."""
    socket_frames.closed_because(context.world, why)


@then("he is told what is wrong with {what:SocketField}")
def step_error_naming(context, what):
    """Checks the platform answered an error naming the part of the message named."""
    socket_frames.error_naming(context.world, what)


@then("his socket still answers a question")
def step_still_answers(context):
    """Checks the same socket answers a question afterwards."""
    socket_frames.still_answers(context.world)


@then("the platform logged no exception")
def step_no_exception(context):
    """Checks the platform instances' logs hold no exception or error since the socket was opened."""
    socket_frames.no_exception_logged(context.world)


@when("the platform is started with these settings")
def step_start_with(context):
    """Starts the platform from this checkout with the table's settings and keeps what it printed."""
    configuration.start_with(context.world, {row["setting"]: row["value"] for row in context.table})


@then("it refuses to start with exit code {code:d}")
def step_refused(context, code):
    """Checks the platform exited with that code."""
    configuration.refused_to_start(context.world, code)


@then("it names {settings:List}")
def step_names(context, settings):
    """Checks what the platform printed names each setting listed."""
    configuration.named(context.world, settings)


@then("it does not name {settings:List}")
def step_does_not_name(context, settings):
    """Checks what the platform printed names none of the settings listed."""
    configuration.not_named(context.world, settings)


@then('nothing it printed contains "{first}" or "{second}"')
def step_no_secret(context, first, second):
    """Checks what the platform printed holds neither secret given."""
    configuration.nothing_secret_printed(context.world, [first, second])


@given("{name:Persona} signed in before the rotation")
def step_signed_in_before(context, name):
    """The person named signs in before the signing key rotates."""
    key_rotation.signed_in_before(context.world, name)


@when("every instance takes a new signing key without a restart, keeping the previous one")
def step_rotate_without_restart(context):
    """Every instance reads a new signing key from its settings file (sent SIGHUP), keeping the previous one."""
    key_rotation.rotated_without_restart(context.world, keep_previous=True)


@when("every instance retires the previous signing key without a restart")
def step_retire_without_restart(context):
    """Every instance reads its settings file again, now without the previous key (sent SIGHUP)."""
    key_rotation.rotated_without_restart(context.world, keep_previous=False)


@when("the operator asks for a new signing key on every instance in one call, keeping the previous one")
def step_operator_rotates(context):
    """Writes a new key to the settings file, keeping the previous, and makes the operator's reload call."""
    key_rotation.operator_rotates(context.world, keep_previous=True)


@when("the operator retires the previous signing key on every instance in one call")
def step_operator_retires(context):
    """Writes the new key alone to the settings file and makes the operator's reload call."""
    key_rotation.operator_rotates(context.world, keep_previous=False)


@then("the operator is told {changed} changed and {others:d} other instance was told")
def step_operator_told(context, changed, others):
    """Checks the reload call's answer: the settings named (comma-separated, never values) and instances told."""
    key_rotation.operator_told_what_changed(context.world, [name.strip() for name in changed.split(",")], others)


@when("the operator sets {setting:w} to {value:w} in one call while Redis is away")
def step_operator_sets_alone(context, setting, value):
    """Writes the setting to the settings file and makes the operator's reload call; waits for the instance called."""
    key_rotation.operator_sets(context.world, setting, value, others_hear=False)


@then("the operator is told {changed} changed and no other instance was told")
def step_operator_told_alone(context, changed):
    """Checks the reload call's answer: the settings named (comma-separated, never values), no instance told."""
    key_rotation.operator_told_what_changed(context.world, [name.strip() for name in changed.split(",")], 0)


@when("the operator sets {setting:w} to {value:w} on every instance in one call")
def step_operator_sets(context, setting, value):
    """Writes the setting to the settings file and makes the operator's reload call; waits for every instance."""
    key_rotation.operator_sets(context.world, setting, value)


@then("the run set off {count:d} look-ups before it was stopped")
def step_look_ups_made(context, count):
    """Checks how many look-ups the last question's run set off."""
    start_up.look_ups_made(context.world, count)


@then("every instance's log says the operator asked for it")
def step_logged_operator(context):
    """Checks each instance's last settings reload in its log names an operator's call."""
    key_rotation.each_instance_logged_the_operator(context.world)


@when('the operator asks in one call for a new signing key and {setting:w} "{value}"')
def step_operator_needs_restart(context, setting, value):
    """Writes a new key and a setting that needs a restart to the settings file, and makes the reload call."""
    key_rotation.operator_asks_for_a_change_needing_a_restart(context.world, setting, value)


@then("the operator is told the whole change is refused, naming {setting:w}, never the key")
def step_operator_refused(context, setting):
    """Checks the reload call was refused (422) naming the setting, without repeating the key."""
    key_rotation.operator_told_refused(context.world, setting)


@when('every instance is given a new signing key and {setting:w} "{value}" without a restart')
def step_refused_change(context, setting, value):
    """Every instance reads a new key and a setting that needs a restart from its settings file (sent SIGHUP)."""
    key_rotation.refused_change_without_restart(context.world, setting, value)


@then("every instance refuses the whole change, naming {setting:w}, and never repeats the key")
def step_refused_naming(context, setting):
    """Checks what each instance said: the change refused, the setting named, the key not repeated."""
    key_rotation.each_instance_refused_naming(context.world, setting)


@when("instance {instance:d} is restarted with a new signing key, keeping the previous one")
def step_rotated_keeping(context, instance):
    """Restarts the instance numbered with a new signing key, the previous one still honoured."""
    key_rotation.restarted_with(context.world, instance, keep_previous=True)


@when("instance {instance:d} is restarted with the new signing key only")
def step_rotated_retired(context, instance):
    """Restarts the instance numbered with the new signing key only."""
    key_rotation.restarted_with(context.world, instance, keep_previous=False)


@then("{name:Persona}'s {which} session is {taken:SessionTaken} on instance {instance:d}")
@then("{name:Persona}'s {which} session is {taken:SessionTaken} on instance {instance:d}, asking her to sign in again")
def step_session_answered(context, name, which, taken, instance):
    """Checks the person's session named (old or new) answers that status on the instance numbered."""
    key_rotation.session_answered(context.world, name, which, instance, 200 if taken == "still taken" else 401)


@when("{name:Persona} signs in again on instance {instance:d}")
def step_signs_in_again(context, name, instance):
    """The person named signs in again on the instance numbered."""
    key_rotation.new_sign_in(context.world, name, instance)


@then("her new session is signed with the new key")
def step_new_key(context):
    """Checks the new session's token is signed with the new key."""
    key_rotation.new_session_signed_with_new_key(context.world)


@when("{name:Persona} signs out")
def step_signs_out(context, name):
    """The person named signs out."""
    sign_in.signs_out(context.world, name)


@then("{reader:Persona} finds that {name:Persona}'s security events end with: {events:List}")
def step_security_events(context, reader, name, events):
    """The reader named reads the audit trail; the person's security events end with those listed."""
    sign_in.security_events_end_with(context.world, reader, name, events)


@then("{reader:Persona} finds where {name:Persona}'s sign-in and the failed one came from")
def step_security_events_came_from(context, reader, name):
    """The reader named reads where the person's last sign-in and last failed sign-in came from."""
    sign_in.security_events_came_from(context.world, reader, name)


@then("{reader:Persona} finds no failed sign-in in the audit trail")
def step_no_failed_sign_in(context, reader):
    """The reader named finds no failed sign-in in the audit trail."""
    sign_in.no_security_event_for(context.world, reader, "an unknown account")


@given("the platform's counters are noted")
def step_note_counters(context):
    """Notes every platform instance's counters on /metrics."""
    metrics.note_counters(context.world)


@then("the platform's counters moved by at least")
def step_counters_moved(context):
    """Checks each counter in the table moved by at least that much, summed over every instance."""
    metrics.counters_moved(context.world, {row["counter"]: int(row["by"]) for row in context.table})


@given("instance 2 will find {dependency} taking connections but never answering")
def step_silent_dependency(context, dependency):
    """Gives instance 2's next start, for the dependency named, a port that takes connections and never answers."""
    start_up.silent_dependency_for_instance_2(context.world, dependency)


@then("instance 2's log names {dependency} as not answering within its start-up time-out")
def step_log_names_silent(context, dependency):
    """Checks instance 2's log names the dependency as silent once the start-up time-out has passed."""
    start_up.log_names_the_silent(context.world, dependency)


@when("instance 2 of the platform is started")
def step_instance_started(context):
    """Starts instance 2 and waits only until it is alive."""
    start_up.instance_started(context.world)


@then("instance 2 is alive and {readiness}, with {dependency} reported down")
def step_alive_and(context, readiness, dependency):
    """Checks instance 2 is alive, ready or not as named, with the dependency named reported down."""
    start_up.alive_and(context.world, readiness, dependency)


@then('a payment of {amount:Money} through instance 2 is answered "try again in {seconds:d} seconds"')
def step_instance_2_payment_later(context, amount, seconds):
    """Pays that amount through instance 2 and checks the answer is 503 with that Retry-After."""
    start_up.payment_told_to_come_back(context.world, *amount, seconds)


@then("a payment of {amount:Money} through instance 2 is accepted")
def step_instance_2_payment_accepted(context, amount):
    """Pays that amount through instance 2 and checks the payment is accepted."""
    start_up.payment_taken(context.world, *amount)


@then("instance 2 becomes ready by itself, with every dependency up")
def step_ready_by_itself(context):
    """Waits until instance 2 is ready with every dependency up, without being restarted."""
    start_up.ready_by_itself(context.world)


@when("{payer:Company} pays {amount:Money} by card through instance 2 while instance 2 is told to stop")
def step_pay_as_instance_stops(context, payer, amount):
    """The client company named pays through instance 2 while instance 2 is sent SIGTERM mid-payment."""
    shutdown.pays_through_instance_2_as_it_stops(context.world, payer, *amount)


@then("{name:Persona}'s connection to instance 2 was closed as the service restarting")
def step_closed_as_restarting(context, name):
    """Checks the person's socket to instance 2 was closed with 1012 (service restarting)."""
    shutdown.connection_closed_as_restarting(context.world, name)


@then("instance 2 has stopped and takes no new connection")
def step_stopped(context):
    """Checks instance 2 has exited and refuses new connections."""
    shutdown.stopped_taking_nothing_new(context.world)


@when("{name:Persona} tries to {operation:Forbidden}")
def step_tries(context, name, operation):
    """The person named tries the forbidden operation named."""
    access_events.tries(context.world, name, operation)


@then("{name:Persona} is refused")
def step_person_refused(context, name):
    """Checks the person named was refused (403)."""
    access_events.refused(context.world, name)


@then("{reader:Persona} finds that {name:Persona} was denied: {operation:Forbidden}")
def step_denial_recorded(context, reader, name, operation):
    """The reader named finds the person's refused operation in the audit trail, with who and which."""
    access_events.denial_recorded(context.world, reader, name, operation)


@when("{changer:Persona} changes {name:Persona}'s role to {role}")
def step_change_role(context, changer, name, role):
    """The changer named changes the person's role to the role named."""
    access_events.changes_role(context.world, changer, name, role)


@given("{changer:Persona} has changed {name:Persona}'s role to {role}")
def step_has_changed_role(context, changer, name, role):
    """The changer named has given the person the role named."""
    access_events.has_changed_role(context.world, changer, name, role)


@when(
    "{first:Persona} and {second:Persona} change each other's role to {role} at the same moment,"
    " while a long job holds the company's records"
)
def step_change_each_others_role(context, first, second, role):
    """Each of the two people named gives the other the role named, at the same moment, behind a long job."""
    access_events.change_each_others_role_at_once(context.world, first, second, role)


@then("one of the two changes to {role} is made, and the other is refused because its maker is no longer an owner")
def step_one_change_made(context, role):
    """Checks exactly one of the two changes was made, the other refused, and the people as the one left them."""
    access_events.one_of_each_others_changes_made(context.world, role)


@then("{reader:Persona} finds {count:d} change to the {role} role in the audit trail")
def step_changes_to_role_recorded(context, reader, count, role):
    """The reader named finds that many changes to the role named in the audit trail."""
    access_events.changes_to_role_recorded(context.world, reader, role, count)


@then("{name:Persona}'s role is {role}")
def step_role_is(context, name, role):
    """Checks the person named now holds the role named."""
    access_events.role_changed(context.world, name, role)


@then("the role change is refused because {because}")
def step_role_change_refused(context, because):
    """Checks the role change was refused for the reason named."""
    access_events.role_change_refused(context.world, because)


@then("{reader:Persona} finds that {changer:Persona} changed {name:Persona}'s role from {old} to {new}")
def step_role_change_recorded(context, reader, changer, name, old, new):
    """The reader named finds the role change in the audit trail: who changed whose role, from and to."""
    access_events.role_change_recorded(context.world, reader, changer, name, old, new)


@then("{reader:Persona} finds no role change in the audit trail")
def step_no_role_change(context, reader):
    """The reader named finds no role change in the audit trail."""
    access_events.no_role_change_recorded(context.world, reader)


@when("{name:Persona} sends {what:NumberField} of {value}")
def step_sends_number(context, name, what, value):
    """The person named sends the number named (a lead's value, a budget, a threshold, a rate) at that value."""
    http_limits.sends_number(context.world, name, what, value)


@then("{what} of {value} is {outcome}, naming {field}")
def step_number_outcome(context, what, value, outcome, field):
    """Checks the number was kept, or refused naming the field with nothing written."""
    http_limits.number_outcome(context.world, what, value, outcome, field)


@when(
    "{biller:Persona} drafts an invoice with one line of {quantity} at {price} and another of 1 at {cents}, without tax"
)
def step_draft_two_lines(context, biller, quantity, price, cents):
    """The person named drafts an invoice of two untaxed lines: that quantity at that price, and one at the cents."""
    http_limits.drafts_lines(context.world, biller, [(quantity, price), ("1", cents)])


@given("the operator has backed up {company:Company}")
@when("the operator backs up {company:Company}")
def step_backs_up(context, company):
    """The operator takes the company's backup; every company's holdings are noted first."""
    backups.backs_up(context.world, company)


@given("{name:Persona} of {company:Company} has signed out since")
def step_signed_out_since(context, name, company):
    """The person named of the company named signs out after its backup was taken."""
    backups.signs_out_since(context.world, name, company)


@then("every session of {company:Company} begun before the restore is refused, {name:Persona}'s signed-out one too")
def step_sessions_before_restore_refused(context, company, name):
    """Checks every session the scenario began for the company's people, before its restore, is refused."""
    backups.sessions_before_the_restore_refused(context.world, company, signed_out=name)


@when("the operator restores {company:Company} from its backup")
@when("the operator restores {company:Company} from its backup while it is still there")
def step_restores(context, company):
    """The operator restores the company named from the backup taken earlier."""
    backups.restores(context.world, company)


@then(
    "{company:Company}'s people sign in again and find every record it had at its backup,"
    " its audit trail verified from its first entry to its restore"
)
def step_back_whole(context, company):
    """Checks the company's listings, rows and audit trail are as at its backup, then the restore and sign-ins."""
    backups.comes_back_whole(context.world, company)


@given("{company:Company}'s analytics hold every entry of its trail")
def step_analytics_up_to_date(context, company):
    """Waits until the analytics store holds each entry of the company's trail; checks it does, once each."""
    backups.analytics_copied_from_its_trail(context.world, company, restored=False)


@then("{company:Company}'s analytics hold each entry of its restored trail once, and nothing of before its removal")
def step_analytics_restored(context, company):
    """Checks the analytics store holds the restored trail's entries, each once, and no older event of it."""
    backups.analytics_copied_from_its_trail(context.world, company)


@then("the backup holds every record of {company:Company} and nothing of {other:Company}")
def step_backup_holds_one(context, company, other):
    """Checks the backup's rows are the company's, table by table, and nothing in it names the other company."""
    backups.holds_one_company(context.world, company, other)


@when("the operator restores {company:Company} from its backup {times:d} times at the same moment")
def step_restores_at_once(context, company, times):
    """The operator restores the company named from its backup that many times at the same moment."""
    backups.restores_at_once(context.world, company, times)


@then("it is restored once, and each other restore is told the company is already there")
def step_restored_once(context):
    """Checks one restore was done and every other refused as the company being there."""
    backups.restored_once(context.world)


@then("the operator is told the company is already there")
def step_told_there(context):
    """Checks the restore was refused because the company is there."""
    backups.restore_refused_as_there(context.world)
