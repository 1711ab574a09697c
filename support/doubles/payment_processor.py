"""A payment processor double with Stripe's charge semantics and a control endpoint.

Charges: ``tok_visa`` is approved, ``tok_chargeDeclined`` is declined (Stripe's
test tokens). A repeated ``Idempotency-Key`` replays the first answer, so a
retried charge is made once. ``/_control`` sets faults named as Toxiproxy
names them: ``down`` (503 to everything), ``latency`` (ms before each answer),
``decline_all``, ``errors`` (the next N requests answer ``errors_status``, 503 unless
set: a burst) and
``answer_delay_ms`` (the charge is made at once, its answer held back: the
moment a fault "mid-payment" strikes). ``/_stats`` counts the charge requests
received and answered, ``/_arrivals?description=...`` when each charge request for
one invoice came (so retries' spacing can be checked). ``/v1/charges?description=...`` lists the charges made, so a
scenario can count them from outside the platform.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from decimal import Decimal
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

DECLINING_CARDS = frozenset({"tok_chargeDeclined", "tok_visa_chargeDeclined", "tok_chargeDeclinedInsufficientFunds"})

app = FastAPI(title="Payment processor double")


class Faults(BaseModel):
    down: bool = False
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    decline_all: bool = False
    errors: int = Field(default=0, ge=0)
    errors_status: int = Field(default=503, ge=400, le=599)  # what each of those ``errors`` answers
    answer_delay_ms: int = Field(default=0, ge=0, le=60_000)


class ChargeIn(BaseModel):
    amount: Decimal = Field(gt=0)
    currency: str
    source: str
    description: str = ""


class Ledger:
    """Charges and stored answers, guarded by one lock (requests run on several threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults = Faults()
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self.charges: list[dict[str, Any]] = []
        self.refunds: list[dict[str, Any]] = []
        self.received = 0
        self.answered = 0
        self.arrivals: dict[str, list[float]] = {}  # charge requests' arrival times by description


ledger = Ledger()


@app.get("/health")
def health() -> JSONResponse:
    """Down when the ``down`` fault is set, as a real outage would be."""
    return JSONResponse({"status": "down" if ledger.faults.down else "up"}, 503 if ledger.faults.down else 200)


@app.post("/v1/charges")
async def create_charge(
    body: ChargeIn, idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]
) -> JSONResponse:
    faults = ledger.faults
    with ledger.lock:
        ledger.received += 1
        ledger.arrivals.setdefault(body.description, []).append(time.monotonic())
    try:
        if (refusal := await _apply_faults(faults)) is not None:
            return refusal
        with ledger.lock:
            if idempotency_key not in ledger.answers:
                ledger.answers[idempotency_key] = _decide(body, faults)
            status, answer = ledger.answers[idempotency_key]
        if faults.answer_delay_ms:
            await asyncio.sleep(faults.answer_delay_ms / 1000)
        return JSONResponse(answer, status)
    finally:
        with ledger.lock:
            ledger.answered += 1


async def _apply_faults(faults: Faults) -> JSONResponse | None:
    """Waits the configured latency; the 503 answer when the processor is down, else None."""
    if faults.latency_ms:
        await asyncio.sleep(faults.latency_ms / 1000)
    with ledger.lock:
        burst = faults.errors > 0
        if burst:
            faults.errors -= 1
    if faults.down:
        return JSONResponse({"error": {"code": "service_unavailable", "message": "processor down"}}, 503)
    if burst:
        return JSONResponse({"error": {"code": "burst", "message": "an error of the burst"}}, faults.errors_status)
    return None


def _decide(body: ChargeIn, faults: Faults) -> tuple[int, dict[str, Any]]:
    if faults.decline_all or body.source in DECLINING_CARDS:
        return 402, {"error": {"code": "card_declined", "message": "Your card was declined."}}
    charge = {
        "id": f"ch_{uuid.uuid4().hex[:24]}",
        "amount": f"{body.amount:.2f}",
        "currency": body.currency,
        "status": "succeeded",
        "description": body.description,
    }
    ledger.charges.append(charge)
    return 200, charge


class RefundIn(BaseModel):
    charge: str
    amount: Decimal = Field(gt=0)


@app.post("/v1/refunds")
async def create_refund(
    body: RefundIn, idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]
) -> JSONResponse:
    if (refusal := await _apply_faults(ledger.faults)) is not None:
        return refusal
    with ledger.lock:
        if idempotency_key not in ledger.answers:
            refund = {
                "id": f"re_{uuid.uuid4().hex[:24]}",
                "charge": body.charge,
                "amount": f"{body.amount:.2f}",
                "status": "succeeded",
            }
            ledger.refunds.append(refund)
            ledger.answers[idempotency_key] = (200, refund)
        status, answer = ledger.answers[idempotency_key]
    return JSONResponse(answer, status)


@app.get("/v1/refunds")
def list_refunds(charge: str | None = None) -> list[dict[str, Any]]:
    with ledger.lock:
        return [r for r in ledger.refunds if charge is None or r["charge"] == charge]


@app.get("/v1/charges")
def list_charges(description: str | None = None) -> list[dict[str, Any]]:
    with ledger.lock:
        return [c for c in ledger.charges if description is None or c["description"] == description]


@app.get("/_arrivals")
def arrivals(description: str) -> list[float]:
    """Seconds from the first charge request with this description to each one (retries included)."""
    with ledger.lock:
        times = ledger.arrivals.get(description, [])
        return [round(t - times[0], 4) for t in times]


@app.get("/_stats")
def stats() -> dict[str, int]:
    with ledger.lock:
        return {
            "charge_requests_received": ledger.received,
            "charge_requests_answered": ledger.answered,
            "charges_made": len(ledger.charges),
        }


@app.get("/_control")
def read_faults() -> Faults:
    return ledger.faults


@app.post("/_control")
async def set_faults(request: Request) -> Faults:
    ledger.faults = Faults.model_validate(await request.json())
    return ledger.faults
