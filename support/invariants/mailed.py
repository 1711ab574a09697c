"""Every e-mail a company's clients received is one the company queued, received once, to the invoice's client,
saying what the invoice says.

The platform e-mails an issued invoice to its client through an outbox (written with the invoice, sent later by
whichever instance finds it due). The scenarios about invoice e-mail read one client's mailbox; here, at every
scenario's last step, everything the mail server received at the addresses under the company's own domain (the
harness gives each scenario's clients addresses there) is held to the company's outbox:

- each e-mail is one the company queued (its Message-ID names the outbox's row): an e-mail of another company's,
  or one sent without being queued, is found;
- each queued e-mail arrived at most once, and once exactly when the outbox says it was sent: two instances
  sending the same one, or one marked sent that never left, are found;
- it went to the address the outbox holds, which is the invoice's client's; and it names the invoice, its total
  with its currency, and the day it is due.

An e-mail still on its way (received, not yet marked sent), addresses the harness does not give (no claim), a
company removed or restored from a backup (its outbox is not the one that sent) and dates the harness moved
itself make no claim; nor does an e-mail arriving twice once the harness stopped, killed or restarted a server
(delivery is at least once: an instance stopped between the mail server's answer and its commit sends again).
Against a deployment the mail server is not the harness's: nothing is read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import Any

import requests
from sqlalchemy.exc import SQLAlchemyError

from support.report.evidence import attach_json
from support.scenario.builders import company_domain, is_under

MESSAGE_ID = re.compile(r"<([0-9a-f-]{36})@platform>")


def of_companies(
    world: Any, companies: Iterable[Any], *, restored: bool, dates_moved: bool, interrupted: bool
) -> list[str]:
    """The rules above for each of ``companies``, read from the mail server and the database when the harness has
    both (``restored``: a company came back from a backup, no claim; ``interrupted``: the harness stopped a server,
    so an e-mail may have arrived twice)."""
    mail_server = world.inspectors.config.mail_server_url
    if restored or not mail_server or not world.db.available:
        return []
    problems = []
    for company in companies:
        try:
            queued = world.db.rows("mail_of_tenant", evidence=False, tenant=company.id) or []
        except SQLAlchemyError:  # the database stopped by the scenario: no claim
            continue
        if not queued:
            continue
        domain = company_domain(company.slug)
        answer = requests.get(f"{mail_server}/messages", params={"domain": domain}, timeout=5)
        answer.raise_for_status()
        received = answer.json()
        found = unfaithful(company.slug, domain, received, queued, dates_moved=dates_moved, at_least_once=interrupted)
        if found:  # the e-mails and the outbox as read: the report's evidence only when something is wrong
            attach_json(f"e-mail of {company.slug}: received, and its outbox", {"received": received, "outbox": queued})
        problems += found
    return problems


def unfaithful(
    slug: str,
    domain: str,
    received: Iterable[Mapping[str, Any]],
    queued: Iterable[Mapping[str, Any]],
    *,
    dates_moved: bool = False,
    at_least_once: bool = False,
) -> list[str]:
    """What is wrong with the e-mails received at ``domain`` (or under it) against the company's outbox
    (``queued``: its rows, each with the invoice it is about); ``dates_moved``: the harness moved an invoice's
    dates itself, so the due day is not held; ``at_least_once``: the harness stopped a server, so an e-mail
    arriving twice makes no claim."""
    rows = {str(row["id"]).lower(): row for row in queued}
    if not rows:
        return []  # nothing queued: a company removed, or one that never mailed (its domain is its own)
    problems: list[str] = []
    times: Counter[str] = Counter()
    for message in received:
        found = MESSAGE_ID.fullmatch(str(message.get("message_id", "")).strip().lower())
        row = rows.get(found.group(1)) if found else None
        if row is None:
            problems.append(
                f"an e-mail nobody of {slug} queued reached {', '.join(message.get('to', []))}:"
                f" {message.get('subject')!r} ({message.get('message_id')})"
            )
            continue
        times[str(row["id"]).lower()] += 1
        problems += _unlike_its_invoice(slug, message, row, dates_moved)
    for key, row in sorted(rows.items()):
        if not is_under(str(row["to_address"]), domain):
            continue
        if times[key] > 1 and not at_least_once:
            problems.append(f"an e-mail arrived {times[key]} times: queued by {slug} to {row['to_address']}")
        elif row["status"] == "sent" and times[key] == 0:
            problems.append(
                f"an e-mail marked sent never reached the mail server: queued by {slug} to {row['to_address']}"
            )
    return problems


def _unlike_its_invoice(slug: str, message: Mapping[str, Any], row: Mapping[str, Any], dates_moved: bool) -> list[str]:
    to = [str(address).lower() for address in message.get("to", [])]
    problems = []
    if to != [str(row["to_address"]).lower()]:
        problems.append(f"an e-mail went to {', '.join(to)}: queued by {slug} to {row['to_address']}")
    if row["about_id"] is None or row["total"] is None:
        return problems  # about no invoice the company still has
    if row["contact_email"] is not None and str(row["contact_email"]).lower() != str(row["to_address"]).lower():
        problems.append(
            f"an invoice's e-mail was queued to {row['to_address']}, where its client's address is"
            f" {row['contact_email']}: invoice {row['about_id']} of {slug}"
        )
    said = {
        "the invoice": str(row["about_id"]),
        "its total": f"{row['total']:,.2f} {row['currency']}",
        **(
            {} if dates_moved or row["due_at"] is None else {"its due day": f"{row['due_at'].astimezone(UTC):%Y-%m-%d}"}
        ),
    }
    body = str(message.get("body", ""))
    problems += [
        f"an invoice's e-mail does not say {what} ({text}): invoice {row['about_id']} of {slug}, to {row['to_address']}"
        for what, text in said.items()
        if text not in body
    ]
    return problems
