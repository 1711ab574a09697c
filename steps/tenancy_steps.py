"""Tenancy: companies kept apart, sessions and roles held to their rights."""

from behave import given, then, when

from support.areas.tenancy import checks as expect
from support.areas.tenancy import isolation


@given("{home:Company} and {other:Company} both run their business on the platform")
def step_two_tenants(context, home, other):
    context.world.call_home(home)
    context.world.tenant(other)


@given("{company:Company} has a record of every kind")
def step_records(context, company):
    isolation.records_of_every_kind(context.world, company)


@given("the rights of each role are:")
def step_rights(context):
    context.world.remember("rights", isolation.rights_from_table(context.table))


@when("Olivia of {company:Company} tries every operation of the platform on them")
def step_sweep_other_tenant(context, company):
    isolation.sweep_as_other_tenant(context.world, company)


@when("someone without a session tries every operation of the platform on them")
def step_sweep_no_token(context):
    isolation.sweep_without_token(context.world)


@when("each role tries every operation of the platform on them")
def step_sweep_roles(context):
    isolation.sweep_by_role(context.world)


@then("every attempt answers as the rule says")
def step_every_attempt(context):
    expect.every_attempt_held(context.world)


@then("{company:Company}'s records are unchanged")
def step_unchanged(context, company):
    expect.records_unchanged(context.world, company)


@when("{someone:Someone} looks for {owner:Company}'s {kind}")
def step_look_for(context, someone, owner, kind):
    isolation.look_for(context.world, kind, someone[1], someone[0], owner=owner)


@when("{someone:Someone} lists the {listing}")
def step_list(context, someone, listing):
    isolation.list_as(context.world, listing, someone[1], someone[0])


@then("she is told it does not exist")
def step_not_found(context):
    expect.told_it_does_not_exist(context.world)


@then("she sees none of {company:Company}'s records")
def step_sees_none(context, company):
    expect.sees_none_of_the_records(context.world, company)


@when("{name:Persona}'s session is {state}")
def step_session_state(context, name, state):
    expect.session_gone_bad(context.world, name, state)


@then("{name:Persona} is asked to sign in again")
def step_sign_in_again(context, name):
    expect.asked_to_sign_in(context.world, name)


@when("Olivia of {intruder:Company} asks for leads naming {victim:Company} {where}")
def step_forged_tenant(context, intruder, victim, where):
    expect.reach_naming_tenant(context.world, intruder, victim, where)


@then("nothing of {victim:Company}'s is seen or written")
def step_nothing_seen(context, victim):
    expect.nothing_of_theirs_seen_or_written(context.world, victim)


@then("every cache entry belongs to one company, and this company's sales summary is among them")
def step_cache_namespaced(context):
    expect.every_cache_key_namespaced(context.world)


@when("{someone:Someone} reads the sales summary")
@given("{someone:Someone} has read the sales summary")
def step_read_summary(context, someone):
    context.world.actor(*someone).reads_sales_summary()


@then("{someone:Someone} sees an open pipeline of {amount:Money}")
def step_pipeline(context, someone, amount):
    expect.open_pipeline_seen(context.world, *someone, *amount)
