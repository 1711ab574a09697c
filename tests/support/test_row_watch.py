"""Around a write sent alone: a refused one changes nothing, an accepted one changes, among the records of the
kinds it names, only those it names. Writes sent at once change the same company together: not compared."""

from __future__ import annotations

from support.clients.exchanges import start_recording
from support.clients.row_watch import RowWatch, ids_in, neighbours_changed

DEAL_1 = "0b6f5c1e-2d3a-4c5b-8e9f-0a1b2c3d4e5f"
DEAL_2 = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"


def _recorder_with_rows(rows: dict[str, dict[str, str]]):
    recorder = start_recording()
    recorder.fingerprint = lambda company: {table: dict(found) for table, found in rows.items()}
    return recorder


def test_a_lone_refused_write_that_changed_rows_is_reported():
    rows = {"payments": {"p1": "a"}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "POST", "/invoices/1/payments")
    rows["payments"]["p2"] = "b"
    watch.answered(409)
    assert recorder.problems == ["POST /invoices/1/payments was refused (409) yet changed the company's payments"]


def test_a_refused_write_that_made_the_first_row_of_a_table_is_reported():
    rows: dict[str, dict[str, str]] = {}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "POST", "/leads")
    rows["leads"] = {"l1": "a"}
    watch.answered(422)
    assert recorder.problems == ["POST /leads was refused (422) yet changed the company's leads"]


def test_a_declined_card_may_keep_its_key_and_nothing_else():
    rows = {"idempotency_keys": {"k1": "a"}, "payments": {}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "POST", "/invoices/1/payments")
    rows["idempotency_keys"]["k2"] = "b"
    watch.answered(402)
    assert recorder.problems == []


def test_a_refused_write_during_which_another_began_is_not_compared():
    rows = {"approvals": {"a1": "a"}}
    recorder = _recorder_with_rows(rows)
    refused = RowWatch("c1", "POST", "/approvals/1/approve")  # alone when it began
    approved = RowWatch("c1", "POST", "/approvals/1/approve")  # began while the first was in flight
    rows["approvals"]["a1"] = "b"
    approved.answered(200)
    refused.answered(409)  # last to answer, nothing in flight any more: still not alone throughout
    assert recorder.problems == []


def test_a_refused_write_after_another_has_answered_is_compared():
    rows = {"approvals": {"a1": "a"}}
    recorder = _recorder_with_rows(rows)
    RowWatch("c1", "POST", "/approvals/1/approve").answered(200)
    refused = RowWatch("c1", "POST", "/approvals/1/approve")
    refused.answered(409)
    assert recorder.problems == []


def test_an_accepted_write_that_changed_a_record_beside_the_one_it_names_is_reported():
    rows = {"deals": {DEAL_1: "a", DEAL_2: "b"}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "PATCH", f"/deals/{DEAL_1}")
    rows["deals"] = {DEAL_1: "a2", DEAL_2: "b2"}
    watch.answered(200, sent="{'stage': 'won'}", said=f'{{"id": "{DEAL_1}"}}')
    assert recorder.problems == [
        f"PATCH /deals/{DEAL_1} was accepted (200) yet changed records it does not name beside the ones it does:"
        f" deals {DEAL_2} (changed)"
    ]


def test_an_accepted_write_that_removed_a_record_beside_the_one_it_names_is_reported():
    rows = {"deals": {DEAL_1: "a", DEAL_2: "b"}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "DELETE", f"/deals/{DEAL_1}")
    rows["deals"] = {}
    watch.answered(204)
    assert recorder.problems == [
        f"DELETE /deals/{DEAL_1} was accepted (204) yet changed records it does not name beside the ones it does:"
        f" deals {DEAL_2} (removed)"
    ]


def test_an_accepted_write_may_change_every_record_it_names_in_its_body_or_answer_and_make_new_ones():
    rows = {"deals": {DEAL_1: "a", DEAL_2: "b"}, "projects": {}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "POST", "/deals/merge")
    rows["deals"] = {DEAL_1: "a2", DEAL_2: "b2", "new": "c"}
    rows["projects"] = {"p": "d"}
    watch.answered(200, sent=f"{{'from': '{DEAL_2.replace('-', '').upper()}'}}", said=f'{{"id": "{DEAL_1}"}}')
    assert recorder.problems == []


def test_records_of_a_kind_the_write_does_not_name_are_not_its_neighbours():
    rows = {"deals": {DEAL_1: "a"}, "notifications": {"n1": "x"}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "POST", f"/deals/{DEAL_1}/win")
    rows["notifications"]["n1"] = "read"  # not of a kind it names: a side effect for its own rules to judge
    watch.answered(200)
    assert recorder.problems == []


def test_an_id_is_one_whatever_its_spelling():
    assert ids_in(f"/deals/{DEAL_1.upper()}", DEAL_1.replace("-", "")) == {DEAL_1.replace("-", "")}
    assert neighbours_changed({"deals": {DEAL_1.upper(): "a"}}, {"deals": {DEAL_1.upper(): "b"}}, ids_in(DEAL_1)) == []


def test_a_read_that_changed_rows_is_reported():
    rows = {"notifications": {"n1": "unread"}}
    recorder = _recorder_with_rows(rows)
    watch = RowWatch("c1", "GET", "/notifications")
    rows["notifications"]["n1"] = "read"
    watch.answered(200)
    assert recorder.problems == ["GET /notifications was read yet changed the company's notifications"]


def test_reads_at_once_are_each_compared_and_a_write_meanwhile_makes_them_not_alone():
    rows = {"deals": {"d1": "a"}}
    recorder = _recorder_with_rows(rows)
    first, second = RowWatch("c1", "GET", "/deals"), RowWatch("c1", "GET", "/deals")
    first.answered(200)
    write = RowWatch("c1", "POST", "/deals")  # alone: reads change nothing, so they never count as in flight
    rows["deals"]["d2"] = "b"
    write.answered(201)
    second.answered(200)
    assert recorder.problems == []
