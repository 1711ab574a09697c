"""The business's words beside the contract's terms: where a reviewer traces a seed's contract to the
scenarios that prove it. Each entry: the words the features use, the term of the contract, and what it is."""

from __future__ import annotations

GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("the assistant starts", "agent_started", "the first event of a question's run (seq 0), carrying the question"),
    ("the assistant thinks", "agent_thinking", "one or more per run: what it is doing now"),
    (
        "the assistant uses a tool",
        "tool_executing",
        "a tool call begins, with its tool and arguments; paired by tool_call_id",
    ),
    ("the tool's result", "tool_completed", "the call ends: ok, error, timeout or cancelled, with its result or why"),
    ("the assistant answers", "agent_completed", "the run's end with its answer; never while a tool call is open"),
    ("the question fails", "agent_failed", "the run's end with a code, a message and whether asking again may help"),
    (
        "the question can no longer be resumed",
        "resume_unavailable",
        "the answer to a resume of a run not kept (gone, or not the caller's)",
    ),
    (
        "the question ended because his session ended",
        "session_ended",
        "a run whose asker signed out (or was removed) writes nothing more",
    ),
    (
        "a connection closed because the session ended",
        "close code 1008",
        "the socket of a signed-out, expired or removed session",
    ),
    (
        "closed at once because he holds 10 open already",
        "close code 1008",
        "a person's connection past the ten they may hold open on an instance",
    ),
    ("the socket takes text only", "close code 1003", "a binary frame"),
    ("a message must be JSON", "close code 1007", "a frame that is not JSON, or nested too deep"),
    ("the message is too big", "close code 1009", "a frame past 65,536 bytes"),
    (
        "the instance cannot take it now",
        "close code 1013 / busy",
        "a client that reads too slowly, or an instance full: try again",
    ),
    ("asked to sign in again", "401 unauthenticated", "no session, or one that has ended"),
    ("refused (may not)", "403 forbidden", "the role lacks the right; in the company's security trail"),
    (
        "told it does not exist",
        "404 not_found",
        "another company's record, or another person's, is never shown to exist",
    ),
    ("refused, naming the field", "422 validation_error", "bad input; `field` names it (e.g. lines.0.unit_price)"),
    ("its key was already used", "422 idempotency_key_reused", "one Idempotency-Key, one payment request"),
    (
        "told to try again within N seconds",
        "429 too_many_attempts",
        "sign-in throttled per account and per address; Retry-After",
    ),
    ("refused as too large, naming the headers", "431", "request headers past the limit"),
    ("refused as too large, naming the body", "413 payload_too_large", "a body past a mebibyte"),
    ("try again later", "503 with Retry-After", "a dependency (database, model, processor) is away"),
    (
        "every database connection was busy",
        "503 platform_busy, Retry-After: 1",
        "no connection came free in time, or the work clashed with other work at the same moment; nothing kept",
    ),
    ("the card was declined", "402 payment_declined", "the processor refused the card; nothing charged"),
    (
        "the payment's approval is withdrawn",
        "approval status withdrawn",
        "a request nobody may decide any more: what it asked for no longer stands (the invoice was voided)",
    ),
    (
        "withdrawn with its invoice, never to be sent",
        "outbox status withdrawn",
        "an e-mail that waited (the mail server away) about an invoice voided since",
    ),
    (
        "set aside as undeliverable",
        "outbox status undeliverable",
        "an e-mail that can never be sent as it stands (not one address, a header it cannot be, a refusal for good)",
    ),
    (
        "told that the invoice's e-mail could not be delivered",
        "notification kind mail_undeliverable",
        "the issuer's notice of an e-mail set aside: the invoice, the address and the mail server's own words",
    ),
)
