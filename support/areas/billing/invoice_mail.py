"""Invoice e-mail as the client receives it, read from the real SMTP server's side.

World facts written here: ``billing.invoiced_clients``, ``billing.mail_fault``,
``billing.named_with_line_separators``.
"""

from __future__ import annotations

from decimal import Decimal

import requests
from hamcrest import (
    assert_that,
    contains_string,
    described_as,
    empty,
    equal_to,
    greater_than,
    has_entries,
    has_item,
    has_length,
    is_not,
)

from support.areas.billing import tasks as billing
from support.clients.faults import DoubleFault
from support.clients.paths import Sales
from support.report.evidence import attach_json
from support.scenario.async_runner import run_async
from support.scenario.builders import client_email
from support.scenario.connections import chat
from support.scenario.eventually import eventually
from support.scenario.world import World

LINE_SEPARATOR = "\u2028"


def received_by(world: World, company: str) -> list[dict]:
    """What the mail server received for ``company``'s address."""
    if not world.inspectors.config.mail_server_url:
        raise AssertionError("reading received mail needs MAIL_SERVER_URL")
    response = requests.get(
        world.inspectors.config.mail_server_url + "/messages",
        params={"to": client_email(company, world.tenant().slug)},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def receives_invoice(world: World, company: str, total_text: str) -> None:
    def arrived() -> list[dict]:
        mails = received_by(world, company)
        assert_that(mails, has_length(1), f"invoice e-mails received by {company}")
        return mails

    mails = eventually(arrived, timeout=15, interval=0.1)

    def marked_sent() -> list[dict] | None:
        """The sender marks a batch sent when it commits, a moment after the server took the last of it."""
        rows = world.db.rows("outbox_to", tenant=world.tenant_id, to=client_email(company, world.tenant().slug))
        if rows is not None:  # marked sent, saying when (what support reads when a client asks): nothing sends it again
            assert_that(
                [(r["status"], r["sent_at"] is not None) for r in rows],
                equal_to([("sent", True)]),
                "the outbox after delivery (its status, and whether it says when it was sent)",
            )
        return rows

    if eventually(marked_sent, timeout=5, interval=0.1) is not None:
        assert_that(received_by(world, company), has_length(1), "e-mails received once the outbox says sent")
    attach_json(f"mail received by {company}", mails)
    assert_that(mails[0]["body"], contains_string(f"Total: {total_text}"), "the invoice e-mail")
    invoice_number = str(world.billing.invoice["id"])[:8]  # the invoice is named by its first eight characters
    assert_that(mails[0]["subject"], equal_to(f"Invoice {invoice_number} for {company}"), "the e-mail's subject")


def told_undeliverable(world: World, biller: str, company: str) -> None:
    """``biller``, who issued the invoice to ``company`` whose mailbox does not exist, is pushed one notification
    naming the invoice, the address and what the mail server said, and lists the same one."""
    invoice, address = world.billing.invoice, client_email(company, world.tenant().slug, reachable=False)
    client = chat(world, biller)
    try:
        pushed = run_async(client.wait_for_notification(timeout=15))
    except AssertionError as nothing:
        raise AssertionError(
            f"{nothing}: the invoice's e-mail to {company} cannot be delivered, and {biller}, who issued it, was not"
            " told at once (she believes the client has it)"
        ) from None
    finally:
        client.attach_transcript()
    assert_that(
        pushed["data"],
        has_entries(kind="mail_undeliverable", subject_type="invoice", subject_id=str(invoice["id"])),
        f"what {biller} is told first after issuing the invoice: that its e-mail could not be delivered",
    )
    for said, why in (
        (str(invoice["id"])[:8], "the invoice, by the number its e-mail gives"),
        (address, "the address the e-mail was for"),
        ("No such mailbox", "why, in the mail server's own words"),
    ):
        assert_that(pushed["data"]["text"], contains_string(said), f"the notification names {why}")
    listed = [n for n in world.actor(biller).lists(Sales.NOTIFICATIONS) if n["kind"] == "mail_undeliverable"]
    assert_that(
        [(n["id"], n["text"]) for n in listed],
        equal_to([(pushed["data"]["id"], pushed["data"]["text"])]),
        f"{biller}'s notifications of undelivered mail: the one pushed to her",
    )


def set_aside(world: World, company: str) -> None:
    """``company``'s e-mail, refused for good, no longer waits: tried once and set aside, saying why (a database
    check: skipped, saying so, without the database). Nothing can reach its address: the mail server refuses the
    mailbox before any e-mail."""
    address = client_email(company, world.tenant().slug, reachable=False)

    def settled() -> list[dict] | None:
        rows = world.db.rows("outbox_to", tenant=world.tenant_id, to=address)
        if rows is not None:
            assert_that([r["status"] for r in rows], is_not(has_item("pending")), f"the e-mail to {company}: waiting")
        return rows

    rows = eventually(settled, timeout=15, interval=0.1)
    if rows is not None:
        attach_json(f"the outbox's e-mails to {company}", rows)
        assert_that(
            [(r["status"], r["attempts"]) for r in rows],
            equal_to([("undeliverable", 1)]),
            f"the e-mail to {company}: tried once, then set aside for good",
        )
        assert_that(rows[0]["last_error"], contains_string("550"), "why it was set aside, as the outbox keeps it")


def invoice_to_name_typed_with_line_separators(
    world: World, biller: str, company: str, net: Decimal, currency: str, rate: Decimal
) -> None:
    """An invoice issued to ``company`` whose name was typed with a line separator (U+2028) for each space: a
    name may hold one, an e-mail's subject line may not."""
    typed = company.replace(" ", LINE_SEPARATOR)
    world.billing.named_with_line_separators = (
        company,
        billing.issued_invoice(world, typed, net, currency, rate, biller=biller),
    )


def receives_invoice_subject_on_one_line(world: World, company: str) -> None:
    """The client whose name holds line separators receives its invoice once, the subject on one line."""
    named, invoice = world.billing.named_with_line_separators
    if named != company:
        raise AssertionError(f"the client named with line separators is {named!r}, not {company!r} as the step says")

    def arrived() -> list[dict]:
        mails = received_by(world, company)  # the address is made of the name's letters and digits alone
        assert_that(mails, has_length(1), f"invoice e-mails received by {company}")
        return mails

    mails = eventually(arrived, timeout=15, interval=0.1)
    attach_json(f"mail received by {company}", mails)
    assert_that(
        mails[0]["subject"],
        equal_to(f"Invoice {str(invoice['id'])[:8]} for {company}"),
        "the e-mail's subject: one line, a space where the name held a line separator",
    )


def mail_server_goes_down(world: World) -> None:
    fault = DoubleFault(world.inspectors.config.mail_server_url, {"down": True})
    world.on_cleanup(fault.heal)
    world.billing.mail_fault = fault


def mail_server_comes_back(world: World) -> None:
    world.billing.mail_fault.heal()


def invoice_mail_waits(world: World, company: str) -> None:
    """The mail was tried and refused, is still pending, and nothing arrived."""

    def tried() -> list[dict]:
        rows = world.db.rows("outbox_to", tenant=world.tenant_id, to=client_email(company, world.tenant().slug))
        assert_that(rows, has_length(1), "invoice e-mails in the outbox")
        assert_that(rows[0]["attempts"], greater_than(0), "sending attempts so far")
        return rows

    rows = eventually(tried, timeout=15, interval=0.1)
    assert_that(rows[0]["status"], equal_to("pending"), "the e-mail waits in the outbox")
    assert_that(received_by(world, company), empty(), "mail received while the server is down")


def never_mailed(world: World, company: str) -> None:
    """``company``'s e-mail was withdrawn, never to be sent, and nothing reached its address. Its e-mail is waited
    for until it no longer waits (withdrawn at once, or by the sender that next finds it due if one held it as the
    invoice was voided; sent, with the bug); without the database, nothing received is all that is checked."""
    address = client_email(company, world.tenant().slug)

    def settled() -> list[str] | None:
        rows = world.db.rows("outbox_to", tenant=world.tenant_id, to=address)
        if rows is None:
            return None
        statuses = [r["status"] for r in rows]
        assert_that(statuses, is_not(has_item("pending")), f"the e-mail to {company}: still waiting")
        return statuses

    statuses = eventually(settled, timeout=10, interval=0.1)
    assert_that(received_by(world, company), empty(), f"e-mails received by {company}, whose invoice was voided")
    if statuses is not None:
        assert_that(
            statuses, equal_to(["withdrawn"]), f"the e-mail to {company}: withdrawn with its invoice, never to be sent"
        )


def no_mail_waits(world: World, company: str) -> None:
    """Nothing waits in the company's outbox for a client without an address (a database check: skipped, saying
    so, without the database)."""
    rows = world.db.rows("outbox_of_tenant", tenant=world.tenant_id)
    if rows is not None:
        assert_that(rows, described_as(f"e-mails waiting in the outbox for {company}", empty()))


def mail_server_back_but_slow(world: World, seconds_each: float) -> None:
    """The mail server answers again, accepting each e-mail only after ``seconds_each``."""
    world.billing.mail_fault.heal()
    slow = DoubleFault(world.inspectors.config.mail_server_url, {"delay_ms": int(seconds_each * 1000)})
    world.on_cleanup(slow.heal)
    world.billing.mail_fault = slow


def invoices_to_each(
    world: World, biller: str, companies: list[str], net: Decimal, currency: str, rate: Decimal
) -> None:
    """An invoice issued to each company named, for ``net`` at ``rate``; the companies remembered."""
    for company in companies:
        billing.issued_invoice(world, company, net, currency, rate, biller=biller)
    world.billing.invoiced_clients = companies


def each_client_receives_once(world: World) -> None:
    """Each client invoiced receives its invoice e-mail, and only once, after every instance's sender has run."""
    companies = world.billing.invoiced_clients

    def counts() -> dict[str, int]:
        return {company: len(received_by(world, company)) for company in companies}

    eventually(lambda: assert_that(counts(), equal_to(dict.fromkeys(companies, 1)), "e-mails per client"), timeout=30)

    def all_marked_sent() -> None:  # a batch is marked sent when its sender commits, after the server took it
        rows = world.db.rows("outbox_of_tenant", tenant=world.tenant_id)
        if rows is not None:
            assert_that(sorted({r["status"] for r in rows}), equal_to(["sent"]), "the outbox's e-mails, all sent")

    eventually(all_marked_sent, timeout=5, interval=0.1)
    assert_that(counts(), equal_to(dict.fromkeys(companies, 1)), "e-mails per client once nothing waits")
