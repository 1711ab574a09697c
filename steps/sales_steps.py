"""Sales: leads, deals and the project a won deal opens."""

from behave import given, then, when

from support.areas.billing import checks as billing_checks
from support.areas.sales import checks as sales_checks
from support.areas.sales import listing, notifications
from support.areas.sales import tasks as sales


@given('{seller:Persona} has captured a lead from "{company}" worth {value:Money}')
def step_captured_lead(context, seller, company, value):
    """The seller named captures a lead from the client named worth that value."""
    sales.captured_lead(context.world, seller, company, *value)


@given('{seller:Persona} has a qualified lead from "{company}" worth {value:Money}')
def step_qualified_lead(context, seller, company, value):
    """The seller named captures a lead from the client named and qualifies it."""
    sales.qualified_lead(context.world, seller, company, *value)


@given('{seller:Persona} has an open deal with "{company}" worth {value:Money}')
@when('{seller:Persona} opens a deal with "{company}" worth {value:Money}')
def step_open_deal(context, seller, company, value):
    """The seller named qualifies a lead from the client named and converts it into a deal of that value."""
    sales.open_deal(context.world, seller, company, *value)


@when("{seller:Persona} wins the deal")
@given("{seller:Persona} has won the deal")
def step_win_deal(context, seller):
    """The seller named wins the deal, which opens its delivery project."""
    sales.win_deal(context.world, seller)


@when('{seller:Persona} loses the deal because "{reason}"')
@given('{seller:Persona} has lost the deal because "{reason}"')
def step_lose_deal(context, seller, reason):
    """The seller named loses the deal, giving the reason."""
    sales.lose_deal(context.world, seller, reason)


@when('{seller:Persona} disqualifies the lead because "{reason}"')
def step_disqualify_lead(context, seller, reason):
    """The seller named disqualifies the lead, giving the reason."""
    context.world.sales.lead = context.world.actor(seller).disqualifies(context.world.sales.lead, reason)


@then("a delivery project is opened for {company:Company} with its kick-off tasks")
def step_project_opened(context, company):
    """Checks a delivery project is open for the client named with its kick-off tasks."""
    sales_checks.project_opened_with_kickoff(context.world, company)


@then("{seller:Persona} cannot turn the lead into a deal")
def step_cannot_convert(context, seller):
    """Checks the seller named is refused turning the lead into a deal."""
    sales_checks.lead_cannot_become_deal(context.world, seller)


@then("{company:Company} has no deal and no delivery project")
def step_no_deal(context, company):
    """Checks the client named has no deal and no project."""
    sales_checks.no_deal_or_project_for(context.world, company)


@then("no delivery project is opened for {company:Company}")
def step_no_project(context, company):
    """Checks no delivery project is open for the client named."""
    sales_checks.no_project_for(context.world, company)


@then("the deal is {stage:w}")
def step_deal_stage(context, stage):
    """Checks the deal's stage."""
    sales_checks.deal_stage_is(context.world, stage)


@then("{seller:Persona} has earned {amount:Money} in commission")
def step_commission(context, seller, amount):
    """Checks the seller named has earned that commission."""
    billing_checks.commission_earned(context.world, seller, amount)


@given("{seller:Persona} has captured {count:d} leads")
def step_many_leads(context, seller, count):
    """The seller named has that many leads, seeded in one statement for speed."""
    listing.many_leads(context.world, seller, count)


@when("{reader:Persona} reads the leads {size:d} at a time")
def step_read_pages(context, reader, size):
    """The reader named reads the leads that many at a time, following each page's next link."""
    listing.reads_leads_in_pages(context.world, reader, size)


@then("she has read {pages:d} pages holding all {count:d} leads, each once, oldest first")
def step_read_all(context, pages, count):
    """Checks the pages read and that every lead came once, oldest first."""
    listing.read_every_lead_once(context.world, pages, count)


@when("{reader:Persona} reads the leads a page at a time, leaving the size to the platform")
def step_read_default_pages(context, reader):
    """The reader named follows the leads' pages without asking for a page size."""
    listing.reads_leads_in_pages(context.world, reader, None)


@when("{reader:Persona} asks for the leads {size:d} at a time")
def step_ask_one_page(context, reader, size):
    """The reader named asks for the first page of the leads with that page size."""
    listing.asks_for_one_page(context.world, reader, size)


@then("the page of {size:d} is {outcome}")
def step_page_outcome(context, size, outcome):
    """Checks the page was read (holding that many leads, or all there are) or refused naming the page size."""
    listing.page_outcome(context.world, size, outcome)


@given("{seller:Persona} has a qualified lead from a client whose name is {length:d} characters long")
def step_lead_with_long_name(context, seller, length):
    """The seller named captures and qualifies a lead from a client whose name has exactly that many characters."""
    sales.qualified_lead_named_at_length(context.world, seller, length)


@when("{seller:Persona} turns the lead into a deal")
def step_turn_into_deal(context, seller):
    """The seller named converts the qualified lead into a deal, the title left to the platform."""
    sales.convert_lead(context.world, seller).expect_ok(f"{seller} turning the lead into a deal")


@then("the deal is titled {title}")
def step_deal_titled(context, title):
    """Checks the deal's title is the client's name with or without "deal", as named."""
    sales_checks.deal_titled(context.world, title)


@then("no commission is recorded for {seller:Persona}")
def step_no_commission(context, seller):
    """Checks the seller named has no commission entry at all, not even one of 0.00."""
    billing_checks.no_commission_recorded(context.world, seller)


@given("{name:Persona} has the platform open")
def step_platform_open(context, name):
    """The person named has a live notification connection open."""
    notifications.keeps_platform_open(context.world, name)


@when("{name:Persona} opens the platform")
def step_opens_platform(context, name):
    """The person named opens a live notification connection now."""
    notifications.opens_platform(context.world, name)


@then("{name:Persona} was told of nothing else since opening the platform")
def step_told_nothing_else(context, name):
    """Checks the person named was pushed only the notification just checked since their connection opened."""
    notifications.told_nothing_else(context.world, name)


@then('{name:Persona} is notified at once that "{text}"')
def step_notified_live(context, name, text):
    """Checks the person named received that notification live."""
    notifications.notified_live(context.world, name, text)


@then('{name:Persona}\'s notifications list "{text}"')
def step_listed(context, name, text):
    """Checks the person named finds that notification in their list."""
    notifications.listed(context.world, name, text)


@then("{name:Persona} is not notified")
def step_not_notified(context, name):
    """Checks the person named received no notification, live or listed."""
    notifications.not_notified(context.world, name)


@given("{seller:Persona} has won the deals of {count:d} clients, one after the other")
def step_won_deals(context, seller, count):
    """The seller named wins a deal of each of that many clients, in turn: each notifies them of its kick-off."""
    sales.deals_won_in_turn(context.world, seller, count)


@when("{name:Persona} reads their notifications {size:d} at a time")
def step_read_notification_pages(context, name, size):
    """The person named follows the pages of their notifications, that many a page."""
    notifications.reads_in_pages(context.world, name, size)


@then("they have read {pages:d} pages holding one notification for each deal, each once, oldest first")
def step_read_every_notification(context, pages):
    """Checks the pages read, and one notification for each deal won, in the order they were won."""
    notifications.read_every_notification_once(context.world, pages)


@given('{seller:Persona} has won the deals of "{first}" and "{second}"')
def step_won_two_deals(context, seller, first, second):
    """The seller named wins a deal of each company named, which notifies them of each project's kick-off."""
    for company in (first, second):
        sales.project_delivered_by(context.world, seller, company)


@when("{reader:Persona} marks {owner:Persona}'s notification about {about} read")
def step_mark_read(context, reader, owner, about):
    """The first person named marks the second one's notification about the client named read."""
    notifications.marks_read(context.world, reader, owner, about)


@then("{name:Persona} is told the notification does not exist")
def step_notification_not_found(context, name):
    """Checks the person named was answered that the notification does not exist."""
    notifications.told_notification_does_not_exist(context.world, name)


@then("{owner:Persona}'s notification about {about} is {state:ReadState}")
def step_read_state(context, owner, about, state):
    """Checks whether the person named has read their notification about the client named (read or unread)."""
    notifications.notification_read_state(context.world, owner, about, state)


@when('{seller:Persona} captures a lead from "{company}" worth {value:Money}')
def step_capture_lead(context, seller, company, value):
    """The seller named captures a lead from the company named worth that value."""
    sales.captured_lead(context.world, seller, company, *value)
