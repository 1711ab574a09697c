"""Tenancy: companies kept apart, sessions and roles held to their rights."""

from behave import given, then, when

from support.areas.tenancy import checks as expect
from support.areas.tenancy import isolation, ownership, people, removal
from support.scenario import personas


@given("{home:Company} and {other:Company} both run their business on the platform")
def step_two_tenants(context, home, other):
    """Provisions both companies with their people; the first named is the scenario's home company."""
    context.world.call_home(home)
    context.world.tenant(other)


@given("{company:Company} has a record of every kind")
def step_records(context, company):
    """Creates a record of every kind in the company named."""
    isolation.records_of_every_kind(context.world, company)


@given("the rights of each role are:")
def step_rights(context):
    """Remembers the table's rights of each role for the sweep."""
    context.world.tenancy.rights = personas.rights_from_table(context.table)


@when("Olivia of {company:Company} tries every operation of the platform on them")
def step_sweep_other_tenant(context, company):
    """Olivia of the company named tries every operation of the OpenAPI on the other company's records."""
    isolation.sweep_as_other_tenant(context.world, company)


@when("someone without a session tries every operation of the platform on them")
def step_sweep_no_token(context):
    """Someone without a session tries every operation of the OpenAPI on the records."""
    isolation.sweep_without_token(context.world)


@when("each role tries every operation of the platform on them")
def step_sweep_roles(context):
    """Each role tries every operation of the OpenAPI on the records."""
    isolation.sweep_by_role(context.world)


@then("every attempt answers as the rule says")
def step_every_attempt(context):
    """Checks every attempt of the sweep was answered as the rule says."""
    expect.every_attempt_held(context.world)


@then("{company:Company}'s records are unchanged")
def step_unchanged(context, company):
    """Checks the company's records are as they were before the sweep, in the database."""
    expect.records_unchanged(context.world, company)


@when("{someone:Someone} looks for {owner:Company}'s {kind}")
def step_look_for(context, someone, owner, kind):
    """The person named (of the company named) asks for the owner's record of the kind named."""
    isolation.look_for(context.world, kind, someone[1], someone[0], owner=owner)


@when("{someone:Someone} lists the {listing}")
def step_list(context, someone, listing):
    """The person named (of the company named) lists the records named."""
    isolation.list_as(context.world, listing, someone[1], someone[0])


@then("she is told it does not exist")
def step_not_found(context):
    """Checks the last answer was 404 and said the record does not exist."""
    expect.told_it_does_not_exist(context.world)


@then("she sees none of {company:Company}'s records")
def step_sees_none(context, company):
    """Checks the listing holds none of the company's records."""
    expect.sees_none_of_the_records(context.world, company)


@when("{name:Persona}'s session is {state}")
def step_session_state(context, name, state):
    """Spoils the person's session in the way named (tampered, foreign-signed, expired, signed out)."""
    expect.session_gone_bad(context.world, name, state)


@then("{name:Persona} is asked to sign in again")
def step_sign_in_again(context, name):
    """Checks the person named is asked to sign in again (401)."""
    expect.asked_to_sign_in(context.world, name)


@when("Olivia of {intruder:Company} asks for leads naming {victim:Company} {where}")
def step_forged_tenant(context, intruder, victim, where):
    """Olivia of the intruder company asks for leads naming the victim company in the place named."""
    expect.reach_naming_tenant(context.world, intruder, victim, where)


@then("nothing of {victim:Company}'s is seen or written")
def step_nothing_seen(context, victim):
    """Checks nothing of the victim's was read or written."""
    expect.nothing_of_theirs_seen_or_written(context.world, victim)


@then("every cache entry belongs to one company, and this company's sales summary is among them")
def step_cache_namespaced(context):
    """Checks every Redis key belongs to one company's namespace (or a platform-wide one) and this company's summary is cached."""
    expect.every_cache_key_namespaced(context.world)


@when("{someone:Someone} reads the sales summary")
@given("{someone:Someone} has read the sales summary")
def step_read_summary(context, someone):
    """The person named (of the company named) reads the sales summary."""
    context.world.actor(*someone).reads_sales_summary()


@then("{someone:Someone} sees an open pipeline of {amount:Money}")
def step_pipeline(context, someone, amount):
    """Checks the person named (of the company named) sees that open pipeline."""
    expect.open_pipeline_seen(context.world, *someone, *amount)


@given("the operator has removed {company:Company}")
@when("the operator removes {company:Company}")
def step_operator_removes(context, company):
    """The operator removes the company named, with everything it holds; every company's holdings noted first."""
    removal.operator_removes(context.world, company)


@when(
    "the operator removes {company:Company} while {name:Persona} of it sends {leads:d} leads at the same moment,"
    " behind a long job holding its records"
)
def step_operator_removes_while_leads_come(context, company, name, leads):
    """The operator removes the company named while the person named sends that many leads, all behind a long job."""
    removal.operator_removes_while_leads_come(context.world, company, name, leads)


@then("each lead {name:Persona} sent was taken before {company:Company} went, or refused with nothing kept")
def step_written_meanwhile(context, name, company):
    """Checks each lead sent as the company went was taken, or refused as its company gone, never failed."""
    removal.written_meanwhile_went_with_it(context.world, name, company)


@when("the operator removes {company:Company} twice at the same moment, behind a long job holding its records")
def step_operator_removes_twice(context, company):
    """The operator removes the company named twice at the same moment, both behind a long job."""
    removal.operator_removes_twice_at_once(context.world, company)


@then("one removal is done, and the other is told the company does not exist")
def step_removed_once(context):
    """Checks one removal was done and the other told the company does not exist."""
    removal.removed_once(context.world)


@when("the operator removes a company that does not exist")
def step_operator_removes_unknown(context):
    """The operator asks to remove a company id the platform never had."""
    removal.operator_removes(context.world, None)


@then("nothing of {company:Company} remains on the platform, in its database, its cache or its analytics")
def step_nothing_remains(context, company):
    """Checks the removal was done, and no row of the company in any table and no cache key of it are left."""
    removal.nothing_remains(context.world, company)


@then("{someone:Someone} is refused her session and cannot sign in again")
def step_locked_out(context, someone):
    """Checks the removed company's person named is refused with her session and when signing in again."""
    removal.people_locked_out(context.world, *someone)


@then("{company:Company} keeps every record it had, and its audit trail is intact")
def step_keeps_everything(context, company):
    """Checks the company's listings, audit trail and rows by table are as before the removal, the trail verified."""
    removal.keeps_everything(context.world, company)


@then("the operator is told the company does not exist")
def step_told_no_such_company(context):
    """Checks the removal was refused as not found."""
    removal.told_no_such_company(context.world)


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


@when(
    "{name:Persona} adds a colleague with one new address {times:d} times at the same moment,"
    " behind a long job holding the company's records"
)
def step_add_colleagues_at_once(context, name, times):
    """Adds a colleague with one new address that many times at the same moment."""
    people.adds_colleagues_with_one_new_address_at_once(context.world, name, times)


@then("one colleague is added, and each other addition is refused because the address already has an account")
def step_one_added(context):
    """Checks one addition was made and every other refused, naming the address as taken."""
    people.one_added_the_others_refused_as_taken(context.world)


@when("{name:Persona} adds a colleague with {who:Persona}'s address written {how}")
def step_add_colleague_with_address_of(context, name, who, how):
    """Adds a colleague whose address is another person's, written as the feature says."""
    people.adds_colleague_with_address_of(context.world, name, who, how)


@given('{name:Persona} has added a colleague at "{address}"')
def step_has_added_colleague_at(context, name, address):
    """The person named has added a colleague at the address given."""
    people.has_added_colleague_at(context.world, name, address)


@when('{name:Persona} adds a colleague at "{address}"')
def step_adds_colleague_at(context, name, address):
    """The person named adds a colleague at the address given."""
    people.adds_colleague_at(context.world, name, address)


@then('the colleague added signs in at "{address}"')
def step_added_colleague_signs_in_at(context, address):
    """Checks the colleague added first signs in to their account at the address given."""
    people.added_colleague_signs_in_at(context.world, address)


@then("the addition is refused because the address already has an account")
def step_addition_refused_as_taken(context):
    """Checks the refusal names the address as taken."""
    people.refused_as_taken(context.world)


@then("the company's people are as they were")
def step_people_as_they_were(context):
    """Checks nobody was added or changed."""
    people.people_as_they_were(context.world)
