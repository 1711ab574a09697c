"""A real SMTP server (aiosmtpd) for the specification, with an HTTP side to read what arrived.

SMTP listens on MAIL_SMTP_PORT; this app serves ``/messages`` (what was
received, optionally for one recipient or one domain) and ``/_control`` (``down``: every
message is refused with 421, as a server under maintenance would; ``delay_ms``: each message is
accepted only after that long, as a slow server's). An address at a domain ending in ``.invalid`` (a name reserved
never to exist, RFC 2606) is refused for good, 550, as a server refuses a mailbox it does not have.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field

from support.scenario.builders import is_under

NO_SUCH_DOMAIN = ".invalid"  # a mailbox at such a domain does not exist: refused for good


class Faults(BaseModel):
    down: bool = False
    delay_ms: int = Field(default=0, ge=0, le=10_000)


class Mailbox:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.faults = Faults()
        self.refused = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.rpartition("@")[2].lower().rstrip(".").endswith(NO_SUCH_DOMAIN):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd handler hook
        if self.faults.down:
            with self.lock:
                self.refused += 1
            return "421 Service not available, try again later"
        if self.faults.delay_ms:
            await asyncio.sleep(self.faults.delay_ms / 1000)
        parsed = message_from_bytes(envelope.content, policy=default_policy)
        body = parsed.get_body(preferencelist=("plain",))
        with self.lock:
            self.messages.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "subject": str(parsed["subject"]),
                    "message_id": str(parsed["message-id"]),
                    "body": body.get_content() if body else "",
                }
            )
        return "250 Message accepted for delivery"


mailbox = Mailbox()


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    controller = Controller(mailbox, hostname="127.0.0.1", port=int(os.environ["MAIL_SMTP_PORT"]))
    controller.start()
    try:
        yield
    finally:
        controller.stop()


app = FastAPI(title="Mail server double", lifespan=lifespan)


@app.get("/health")
def health() -> dict:
    return {"status": "up"}


@app.get("/messages")
def messages(to: str | None = None, domain: str | None = None) -> list[dict[str, Any]]:
    """What arrived: for the address ``to``, or for any address at ``domain`` or under it."""
    with mailbox.lock:
        return [
            m
            for m in mailbox.messages
            if (to is None or to in m["to"])
            and (domain is None or any(is_under(address, domain) for address in m["to"]))
        ]


@app.get("/_control")
def read_faults() -> dict:
    return {**mailbox.faults.model_dump(), "refused": mailbox.refused}


@app.post("/_control")
async def set_faults(request: Request) -> Faults:
    mailbox.faults = Faults.model_validate(await request.json())
    return mailbox.faults
