"""A record's history only moves forward (support/invariants/histories.py), over answers made up here."""

from __future__ import annotations

import json

from support.clients.exchanges import HttpExchange
from support.invariants.histories import RESTORE, Histories, kind_of

INVOICE = {
    "id": "invoice-1",
    "status": "issued",
    "lines": [],
    "amount_paid": "0.00",
    "amount_due": "100.00",
    "total": "100.00",
    "currency": "EUR",
    "issued_at": "2026-12-01T10:00:00Z",
    "due_at": "2026-12-31T10:00:00Z",
    "voided_at": None,
}


def _answer(*records: dict, method: str = "GET", path: str = "/api/v1/invoices", status: int = 200) -> HttpExchange:
    body = json.dumps(records[0] if len(records) == 1 else list(records))
    return HttpExchange(method, path, "Fiona", "company-1", status, {"content-type": "application/json"}, body, "s")


def test_an_invoice_paid_in_part_then_in_full_then_refunded_keeps_its_history():
    watch = Histories()
    paid_half = {**INVOICE, "status": "partially_paid", "amount_paid": "50.00", "amount_due": "50.00"}
    paid = {**INVOICE, "status": "paid", "amount_paid": "100.00", "amount_due": "0.00"}
    refunded = {**INVOICE, "status": "issued"}
    listed = {**INVOICE, "due_at": None, "issued_at": None}  # a list that leaves out the dates: no claim
    assert watch.rewrites([_answer(INVOICE), _answer(paid_half), _answer(paid), _answer(listed, refunded)]) == []


def test_an_invoice_sent_back_to_draft_is_named_with_both_answers_once():
    watch = Histories()
    redrafted = {**INVOICE, "status": "draft"}
    said = watch.rewrites([_answer(INVOICE, method="POST", path="/api/v1/invoices/invoice-1/issue")])
    said += watch.rewrites([_answer(redrafted), _answer(redrafted)])
    assert said == [
        "the answer to GET /api/v1/invoices (by Fiona) shows the invoice invoice-1 'draft', where the answer to "
        "POST /api/v1/invoices/invoice-1/issue (by Fiona) showed it 'issued': its life cycle never goes from one "
        "to the other"
    ]


def test_a_void_invoice_never_moves_again_and_its_due_date_never_moves():
    watch = Histories()
    void = {**INVOICE, "status": "void", "voided_at": "2026-12-02T10:00:00Z"}
    moved = {**INVOICE, "due_at": "2027-01-30T10:00:00Z"}
    said = watch.rewrites([_answer(void), _answer(moved)])
    assert len(said) == 2, said  # its voided_at left out: no claim
    assert "shows the invoice invoice-1 'issued', where" in said[0] and "showed it 'void'" in said[0]
    assert "with due_at '2027-01-30T10:00:00Z'" in said[1] and "its due_at never changes" in said[1]


def test_a_read_notification_shown_unread_and_an_archived_conversation_shown_open_are_named():
    watch = Histories()
    read = {"id": "n-1", "kind": "approval_requested", "read": True, "text": "Approve it"}
    archived = {"id": "t-1", "title": "How is my pipeline?", "archived": True}
    said = watch.rewrites([_answer(read, archived), _answer({**read, "read": False}, {**archived, "archived": False})])
    assert [problem.split(" shows ")[1].split(",")[0] for problem in said] == [
        "the notification n-1 read False",
        "the conversation t-1 archived False",
    ]


def test_what_a_life_cycle_moves_may_move_and_all_else_is_kept():
    watch = Histories()
    deal = {"id": "d-1", "lead_id": "l-1", "stage": "prospecting", "amount": "10.00", "closed_at": None}
    person = {"id": "u-1", "email": "sam@acme.example", "role": "sales", "commission_rate": "0.1000"}
    assert (
        watch.rewrites(
            [
                _answer(deal, person),
                _answer({**deal, "stage": "negotiation"}, {**person, "role": "analyst"}),
                _answer({**deal, "stage": "proposal"}),
                _answer({**deal, "stage": "won", "closed_at": "2026-12-03T00:00:00Z"}),
            ]
        )
        == []
    )
    said = watch.rewrites([_answer({**deal, "stage": "lost", "amount": "11.00"})])
    assert len(said) == 2 and "'lost'" in said[0] and "with amount '11.00'" in said[1], said


def test_a_trail_entry_shown_again_with_another_hash_is_named_and_a_restore_starts_over():
    watch = Histories()
    entry = {"seq": 3, "prev_hash": "a" * 64, "hash": "b" * 64, "action": "lead_captured", "data": {}}
    rewritten = {**entry, "hash": "c" * 64}
    said = watch.rewrites([_answer(entry, path="/api/v1/audit"), _answer(rewritten, path="/api/v1/audit")])
    assert len(said) == 1 and "the trail entry 3 of the trail of company-1 with hash 'ccc" in said[0], said
    void = {**INVOICE, "status": "void"}
    restored = _answer({"id": "company-1", "slug": "globex", "rows": {}}, method="POST", path=RESTORE)
    assert watch.rewrites([_answer(void), restored, _answer(INVOICE)]) == []


def test_refusals_and_records_of_no_known_kind_are_read_as_such():
    watch = Histories()
    assert watch.rewrites([_answer({**INVOICE, "status": "draft"}, status=409), _answer(INVOICE)]) == []
    assert kind_of({"id": "c-1", "name": "Spring", "budget": "10.00"}).name == "record"
    campaign = {"id": "c-1", "name": "Spring", "budget": "10.00"}
    assert len(watch.rewrites([_answer(campaign), _answer({**campaign, "budget": "12.00"})])) == 1


def test_what_the_harness_rewrote_itself_makes_no_claim():
    watch = Histories()
    backdated = {**INVOICE, "issued_at": "2025-11-30T23:59:59Z"}
    entry = {"seq": 3, "prev_hash": "a" * 64, "hash": "b" * 64, "action": "lead_captured"}
    altered = {**entry, "hash": "c" * 64}
    shown = [_answer(INVOICE), _answer(entry, path="/api/v1/audit")]
    again = [_answer(backdated), _answer(altered, path="/api/v1/audit")]
    assert watch.rewrites(shown) == []
    assert watch.rewrites(again, {"invoice-1", "the trail of company-1"}) == []
    assert len(Histories().rewrites(shown + again)) == 2, "the same answers, nothing rewritten by the harness"
