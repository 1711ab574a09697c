"""The checks that hold in every scenario, each shown to fail on the answer or frame it is written against."""

from __future__ import annotations

import json

import pytest

from support.clients.exchanges import Frame, HttpExchange, SentRequest
from support.invariants import answers, cache_keys, crashes, frames, logged_secrets, values
from support.invariants.as_written import AsWritten
from support.invariants.isolation import IsolationWatch
from support.invariants.links import LinksWatch

GOOD_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
ERROR = json.dumps({"error": {"code": "not_found", "message": "invoice not found", "field": None}})


def _answer(status: int = 200, text: str = "{}", headers: dict | None = None, path: str = "/api/v1/me", company="a"):
    return HttpExchange(
        "GET", path, "Sam", company, status, headers if headers is not None else GOOD_HEADERS, text, "s"
    )


def test_an_answer_without_a_protective_header_is_named():
    assert answers.protective_headers(_answer()) == []
    missing = {k: v for k, v in GOOD_HEADERS.items() if k != "x-content-type-options"}
    assert answers.protective_headers(_answer(headers=missing)) == ["has no x-content-type-options: nosniff"]


def test_an_api_answer_that_may_be_stored_is_named():
    stored = {k: v for k, v in GOOD_HEADERS.items() if k != "cache-control"}
    assert answers.protective_headers(_answer(headers=stored)) != []
    assert answers.protective_headers(_answer(headers=stored, path="/health")) == []


def test_a_refusal_out_of_the_error_shape_or_a_500_is_named():
    assert answers.error_shape(_answer(404, ERROR)) == []
    assert answers.error_shape(_answer(404, "not found")) != []
    assert answers.error_shape(_answer(500, ERROR)) != []
    unnamed = json.dumps({"error": {"code": "validation_error", "message": "bad", "field": None}})
    assert answers.error_shape(_answer(422, unnamed)) == [
        "refuses the input (422) without naming the field that is wrong"
    ]


def _refusal(status: int, code: str):
    return _answer(status, json.dumps({"error": {"code": code, "message": "no", "field": "card_token"}}))


def test_a_refusal_whose_status_and_code_say_different_things_is_named():
    """A declined card answered 401 has its client sign the person out; a session that ended answered 402 leaves
    them signed in to nothing. Each of 401, 402, 403 and 404 goes with its one code, and that code with it."""
    for status, code in ((401, "unauthenticated"), (402, "payment_declined"), (403, "forbidden"), (404, "not_found")):
        assert answers.status_says_what_the_code_says(_refusal(status, code)) == []
    assert answers.status_says_what_the_code_says(_refusal(422, "overpayment")) == []
    assert answers.status_says_what_the_code_says(_refusal(401, "payment_declined")) == [
        "refuses with 401, which asks the client to sign its person in again, for payment_declined (only"
        " unauthenticated is)"
    ]
    assert answers.status_says_what_the_code_says(_refusal(422, "not_found")) == [
        "refuses for not_found with 422, where 404 says it (says no such record is there)"
    ]
    assert answers.status_says_what_the_code_says(_answer(401, "not json")) == [], "error_shape says so"


def test_a_secret_in_an_answer_is_named():
    check = answers.no_secrets(("the-admin-key",))
    assert check(_answer(text='{"password_hash": "pbkdf2_sha256$1$ab$cd"}')) == ["shows a password hash"]
    assert check(_answer(text='{"payload": {"card_token": "tok_visa"}}')) != []
    assert check(_answer(text='{"x": "the-admin-key"}')) == ["shows one of the platform's keys"]
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    assert check(_answer(text=json.dumps({"t": token}))) == ["shows an access token"]
    assert check(_answer(text=json.dumps({"access_token": token}), path="/api/v1/auth/token")) == []


def test_a_frame_that_is_not_strict_json_is_named():
    assert frames.strict_json(Frame("c", "Sam", "a", '{"type": "x", "n": 1}', "s")) == []
    assert frames.strict_json(Frame("c", "Sam", "a", '{"type": "x", "n": NaN}', "s")) != []
    assert frames.strict_json(Frame("c", "Sam", "a", '{"type": "x\\ud800"}', "s")) != []


def test_a_record_shown_to_two_companies_is_named_once():
    watch = IsolationWatch()
    record = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert watch.leaks([_answer(text=f'{{"id": "{record}"}}', company="a")], [], {}) == []
    leaked = watch.leaks([_answer(text=f'{{"id": "{record}"}}', company="b")], [], {})
    assert len(leaked) == 1 and record in leaked[0]
    assert watch.leaks([_answer(text=f'{{"id": "{record}"}}', company="b")], [], {}) == []


def test_a_persons_notification_listed_for_a_colleague_is_named_once():
    watch = IsolationWatch()
    note = json.dumps([{"id": "n-1", "kind": "kick_off", "subject_id": "deal-1"}])
    headers = {**GOOD_HEADERS, "content-type": "application/json"}

    def listed(caller: str, company: str = "a", path: str = "/api/v1/notifications") -> HttpExchange:
        return HttpExchange("GET", path, caller, company, 200, headers, note, "s")

    assert watch.leaks([listed("Sam"), listed("Sam")], [], {}) == []
    leaked = watch.leaks([listed("Fiona")], [], {})
    assert leaked == [
        "n-1, Sam of a's own (first shown in GET /api/v1/notifications to Sam), was shown to Fiona of a in"
        " GET /api/v1/notifications to Fiona"
    ]
    assert watch.leaks([listed("Fiona")], [], {}) == []
    company_wide = IsolationWatch()  # a deal shown to two colleagues is the company's, not one person's
    shown = [listed(name, path="/api/v1/opportunities") for name in ("Sam", "Fiona")]
    assert company_wide.leaks(shown, [], {}) == []


def test_another_companys_name_in_an_answer_is_named():
    watch = IsolationWatch()
    slugs = {"a": "acme-1234", "b": "initech-5678"}
    assert watch.leaks([_answer(text='{"email": "sam@acme-1234.example"}', company="a")], [], slugs) == []
    assert watch.leaks([_answer(text='{"email": "sam@acme-1234.example"}', company="b")], [], slugs) != []


def test_an_event_of_one_persons_run_on_anothers_connection_is_named():
    run = "a" * 32
    event = json.dumps({"type": "agent_thinking", "run_id": run, "seq": 1})
    watch = IsolationWatch()
    assert watch.leaks([], [Frame("Sam via 1", "Sam", "a", event, "s")], {}) == []
    assert watch.leaks([], [Frame("Fiona via 1", "Fiona", "a", event, "s")], {}) != []
    end = json.dumps({"type": "agent_failed", "run_id": "b" * 32, "seq": None})
    assert watch.leaks([], [Frame("Ana via 1", "Ana", "a", end, "s")], {}) == []


def test_a_log_begun_afresh_since_the_mark_is_read_from_its_start(tmp_path):
    from support.clients.platform_logs import PlatformLogs

    log = tmp_path / "platform-2.log"
    log.write_text("started\n" * 50)
    logs = PlatformLogs(str(log))
    mark = logs.mark()
    log.write_text("circuit payment_processor open after 503\n")  # the instance started again, its log afresh
    assert logs.lines_since(mark, "circuit payment_processor open") == ["circuit payment_processor open after 503"]


def _trail(*entries: dict) -> HttpExchange:
    return _answer(text=json.dumps(list(entries)), path="/api/v1/audit")


def test_an_audit_entry_of_money_without_its_amount_and_currency_is_named():
    paid = {"seq": 3, "action": "payment_received", "data": {"amount": "12.50", "currency": "EUR"}}
    asked = {"seq": 4, "action": "approval_requested", "data": {}}
    odd = {"seq": 5, "action": "refund_issued", "data": {"amount": "12.5", "currency": "EUR"}}
    other = {"seq": 6, "action": "lead_captured", "data": {}}
    assert answers.money_actions_say_how_much(_trail(paid, other)) == []
    assert answers.money_actions_say_how_much(_trail(paid, asked, odd, other)) == [
        "has the audit entry 4 (approval_requested) without its amount and currency: {}",
        "has the audit entry 5 (refund_issued) without its amount and currency: {'amount': '12.5', 'currency': 'EUR'}",
    ]
    assert answers.money_actions_say_how_much(_answer(text=json.dumps([asked]))) == [], "only the trail's answers"


def _records(*records: dict) -> HttpExchange:
    return _answer(text=json.dumps(records[0] if len(records) == 1 else list(records)), headers=JSON_HEADERS)


JSON_HEADERS = {**GOOD_HEADERS, "content-type": "application/json"}
LEAD_A = {"id": "lead-a", "contact_name": "Ann", "opportunity_id": "deal-1"}
LEAD_B = {"id": "lead-b", "contact_name": "Bob", "opportunity_id": None}
DEAL_1 = {"id": "deal-1", "lead_id": "lead-a", "stage": "won", "project_id": "project-1"}
PROJECT_1 = {"id": "project-1", "opportunity_id": "deal-1", "tasks": []}


def test_links_between_a_lead_its_deal_and_its_project_that_agree_are_kept():
    watch = LinksWatch()
    assert watch.disagreements([_records(DEAL_1), _records(LEAD_A, LEAD_B), _records(PROJECT_1)]) == []
    listed = {**DEAL_1, "project_id": None}  # a list does not work the project out: no claim
    assert watch.disagreements([_records(listed), _records({**LEAD_A, "opportunity_id": None})]) == []


def test_a_lead_naming_a_deal_made_from_another_lead_is_named_once():
    watch = LinksWatch()
    wrong = {**LEAD_B, "opportunity_id": "deal-1"}
    said = watch.disagreements([_records(DEAL_1), _records(wrong), _records(wrong)])
    assert said == [
        "the answer to GET /api/v1/me (by Sam): the lead lead-b names the deal deal-1, which was shown naming the lead lead-a"
    ]


def test_two_projects_of_one_deal_and_a_link_that_changes_are_named():
    watch = LinksWatch()
    other = {**PROJECT_1, "id": "project-2"}
    assert watch.disagreements([_records(PROJECT_1), _records(other)]) == [
        "the answer to GET /api/v1/me (by Sam): the project project-2 names the deal deal-1, which the project project-1 named already"
    ]
    moved = {**DEAL_1, "project_id": "project-9"}
    assert any(
        "named the project project-1 before and names project-9 now" in p
        for p in watch.disagreements([_records(DEAL_1), _records(moved)])
    )


COMPANY, OTHER = "c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"
PERSON, STRANGER = "a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002"


def test_cache_keys_filed_under_their_company_are_kept():
    keys = [
        f"tenant:{COMPANY}:ratelimit:assistant:{PERSON}",
        f"tenant:{COMPANY}:user:{PERSON}:notifications",
        f"tenant:{OTHER}:report:forecast:v1",
        "platform:breaker:payment-processor",
        "platform:sign-in:account:acme/olivia@example.com",
    ]
    assert cache_keys.misfiled(keys, {PERSON: COMPANY}, [OTHER]) == []


def test_a_cache_key_filed_under_a_person_or_another_company_is_named():
    found = cache_keys.misfiled(
        [
            f"tenant:{PERSON}:ratelimit:assistant:{COMPANY}",  # the arguments swapped
            f"tenant:{OTHER}:user:{PERSON}:notifications",  # a person of COMPANY under OTHER
            f"platform:last-run:{OTHER}",  # a company's data among the platform's own keys
            f"tenant:{COMPANY}:user:{STRANGER}:notifications",  # not the scenario's person: not its to judge
        ],
        {PERSON: COMPANY},
        [OTHER],
    )
    assert found == [
        f"the cache key tenant:{PERSON}:ratelimit:assistant:{COMPANY} is filed under a person ({PERSON}), not under"
        " a company",
        f"the cache key tenant:{OTHER}:user:{PERSON}:notifications names person {PERSON} outside their company's"
        " namespace",
        f"the cache key platform:last-run:{OTHER} names company {OTHER} outside its namespace (tenant:{OTHER}:)",
    ]


LOGGED = """INFO:app.adapters.counted_pools.CountingWaitsQueuePool:Pool recreating
WARNING:app.errors:database unavailable: connection refused
WARNING:app.outbox:outbox sender waiting for the database: connection failed
ERROR:app.outbox:mail 7c attempt 1 not sent
Traceback (most recent call last):
ValueError: Header values may not contain linefeed or carriage return characters
ERROR:app.runtime:assistant tool overdue_invoices failed in run 1f
Traceback (most recent call last):
  File "app/service_layer/assistant_tools.py", line 61, in overdue_invoices
IndexError: list index out of range
ERROR:    Exception in ASGI application
WARNING:app.cache:cache unavailable
"""


def test_an_unforeseen_error_is_named_with_its_exception_and_a_foreseen_wait_is_not():
    assert crashes.unexpected(LOGGED) == [
        "ValueError: Header values may not contain linefeed or carriage return characters (app.outbox:mail 7c"
        " attempt 1 not sent)",
        "IndexError: list index out of range (app.runtime:assistant tool overdue_invoices failed in run 1f)",
        "failure (Exception in ASGI application)",
    ]


def test_the_crash_watch_reads_each_log_from_where_it_looked_last(tmp_path):
    log = tmp_path / "platform.log"
    log.write_text("INFO:app:started\n")
    watch = crashes.watch_of({}, str(log))
    log.write_text(log.read_text() + "ERROR:asyncio:Task exception was never retrieved\n")
    assert watch.failures() == [
        "platform.log logged an unexpected failure (asyncio:Task exception was never retrieved), while this scenario"
        " ran (or one beside it on the same instances)"
    ]
    assert watch.failures() == []
    log.write_text("ERROR:app.errors:unexpected error\n")  # the instance started again: its log begun afresh
    assert len(watch.failures()) == 1


def test_the_log_watch_names_a_secret_written_into_a_log_without_repeating_it(tmp_path):
    log = tmp_path / "platform-2.log"
    log.write_text("INFO:app:started\n")
    watch = crashes.watch_of({}, str(log))
    log.write_text(log.read_text() + "WARNING:app.tenancy:sign-in refused for fiona@x.example with 'Fiona-pass-7'\n")
    found = watch.failures(("the-admin-key",), ("Fiona-pass-7",))
    assert found == [
        "platform-2.log shows a password this scenario sent: WARNING:app.tenancy:sign-in refused for fiona@x.example"
        " with '***' (in what it logged while this scenario ran, or one beside it on the same instances)"
    ]
    log.write_text(log.read_text() + "INFO:app:key the-admin-key, card tok_visa_4242 and hash pbkdf2_sha256$1$ab\n")
    line = "INFO:app:key ***, card *** and hash ***"
    assert [problem.split(" (in what")[0] for problem in watch.failures(("the-admin-key",), ())] == [
        f"platform-2.log shows a password hash: {line}",
        f"platform-2.log shows a card token (tok_visa_424…): {line}",
        f"platform-2.log shows one of the platform's keys: {line}",
    ]


def test_a_short_password_or_one_never_logged_is_no_finding():
    assert logged_secrets.shown_in_log("INFO:app:signed in as abc\n", (), ("abc", "Never-logged-1")) == []
    assert logged_secrets.shown_in_log("INFO:app:ok\nINFO:app:was Never-logged-1\n", (), ("Never-logged-1",)) == [
        "shows a password this scenario sent: INFO:app:was ***"
    ]


def test_without_readable_logs_the_crash_watch_finds_nothing(tmp_path):
    assert crashes.watch_of({}, None).failures() == []
    assert crashes.watch_of({}, str(tmp_path / "absent.log")).failures() == []


def test_amounts_with_two_places_and_moments_in_utc_are_kept():
    shown = {
        "total": "1200.00",
        "gross_profit": "-15.50",
        "won": 3,  # the funnel's count of deals won
        "revenue": {"summary": "none yet", "months": []},  # a tool's result, named like an amount
        "created_at": "2026-12-05T06:30:00.123456+00:00",
        "ts": "2026-12-05T06:30:00Z",
        "voided_at": None,
        "lines": [{"net": "10.00", "tax": "2.00", "quantity": "1.500"}],
    }
    assert values.misshapen(json.dumps(shown)) == []


def test_an_amount_as_a_number_or_with_more_places_and_a_moment_not_in_utc_are_named():
    shown = {
        "lines": [{"unit_price": 10.5, "net": "10.5000"}],
        "created_at": "2026-12-05T07:30:00+01:00",
        "issued_at": "2026-12-05T06:30:00",
    }
    assert values.misshapen(json.dumps(shown)) == [
        "shows the amount unit_price as 10.5, not a decimal with two places",
        'shows the amount net as "10.5000", not a decimal with two places',
        'shows the moment created_at as "2026-12-05T07:30:00+01:00", not an ISO 8601 time in UTC',
    ]
    assert values.misshapen(json.dumps({"paid_at": 1733380000})) == [
        "shows the moment paid_at as 1733380000, not an ISO 8601 time in UTC"
    ]


def test_a_secret_in_a_frame_is_named_without_showing_it_again():
    from support.clients.exchanges import Recorder
    from support.invariants.guard import broken_by

    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzYW0ifQ.c2lnbmF0dXJl"
    frame = Frame("Sam via instance 1", "Sam", "a", json.dumps({"type": "error", "data": {"message": token}}), "s")
    found = broken_by(Recorder(), [], [frame], ("the-admin-key",), None)
    assert [problem for problem in found if "access token" in problem] == [
        "a frame sent to Sam via instance 1 shows an access token"
    ]


def _write(caller: str, path: str, text: str = "{}", status: int = 201, method: str = "POST") -> HttpExchange:
    return HttpExchange(method, f"/api/v1{path}", caller, "c1", status, {}, text, "s")


def test_a_write_is_one_per_record_it_made_and_the_writes_of_nobodys_business_are_left_out():
    from support.invariants.audited_writes import write_of

    assert write_of(_write("Sam", "/leads", '{"id": "l1"}')) == ("c1", "Sam", "POST /api/v1/leads l1")
    assert write_of(_write("Sam", "/leads", status=422)) is None  # refused: nothing written
    assert write_of(_write("Sam", "/leads", method="GET", status=200)) is None
    assert write_of(_write("Sam", "/assistant/threads/t1/archive", status=200)) is None
    assert write_of(_write("Sam", "/notifications/n1/read", status=204, text="")) is None
    operator = HttpExchange("POST", "/api/v1/admin/tenants", "the operator", None, 201, {}, '{"id": "c2"}', "s")
    assert write_of(operator) is None


class _Trail:
    available = True

    def __init__(self, entries: list[dict]) -> None:
        self.entries = entries

    def rows(self, query: str, **_: object) -> list[dict]:
        return self.entries


class _World:
    """The scenario's one company, Sam and Olivia signed in, its trail as given."""

    def __init__(self, entries: list[dict]) -> None:
        from types import SimpleNamespace

        actors = {"Sam": SimpleNamespace(user_id="u-sam"), "Olivia": SimpleNamespace(user_id="u-olivia")}
        self.home = SimpleNamespace(id="c1", slug="acme", actors=actors)
        self.others: dict = {}
        self.db = _Trail(entries)

    def tenant(self, label: object) -> object:
        return self.home


def test_writes_outnumbering_their_writers_entries_are_named_and_a_replay_counts_for_the_first_writer():
    from support.clients.exchanges import Recorder
    from support.invariants.audited_writes import missing

    recorder = Recorder()
    recorder.http += [
        _write("Sam", "/leads", '{"id": "l1"}'),
        _write("Sam", "/leads/l1/qualify", '{"id": "l1"}', status=200),
        _write("Olivia", "/invoices/i1/payments", '{"id": "p1"}'),
        _write("Sam", "/invoices/i1/payments", '{"id": "p1"}'),  # Olivia's key sent again: her payment, replayed
    ]
    made = {"actor_id": None, "action": "tenant_created"}
    sam, olivia = (
        {"actor_id": "u-sam", "action": "lead_captured"},
        {"actor_id": "u-olivia", "action": "payment_received"},
    )
    signed_in = {"actor_id": "u-sam", "action": "signed_in"}  # no write's entry
    assert missing(_World([made, sam, {**sam, "action": "lead_qualified"}, olivia]), recorder) == []
    assert missing(_World([made, sam, signed_in, olivia]), recorder) == [
        "Sam of acme had 2 writes accepted, and the company's audit trail holds 1 entries by them:"
        " POST /api/v1/leads, POST /api/v1/leads/l1/qualify"
    ]
    assert missing(_World([]), recorder) == [], "a company removed by the scenario: its trail went with it"


L1, D1, D2, L2 = (f"{n}0000000-0000-4000-8000-000000000000" for n in "abcd")


def test_a_write_whose_writers_entries_name_none_of_its_records_is_named():
    """A deal moved and filed in the trail under its lead: Sam has as many entries as writes, yet none is about
    the deal he moved."""
    from support.clients.exchanges import Recorder
    from support.invariants.audited_writes import missing, named_by

    moved = _write("Sam", f"/deals/{D1.upper()}/stage", f'{{"id": "{D1}", "lead_id": "{L1}"}}', status=200)
    assert named_by(moved) == {D1}, "the path's id and the answer's, lower case; the ids it only refers to are not"
    whole = _write("Sam", "/leads/x/convert", f'{{"deal": {{"id": "{D2}"}}}}', status=200)
    assert named_by(whole) == {D2}, "a record the answer holds whole"
    held = _write("Sam", "/invoices/x/payments", f'{{"status": "pending_approval", "approval_id": "{D2}"}}', status=202)
    assert named_by(held) == {D2}, "a payment held: the approval it asked for"
    recorder = Recorder()
    recorder.http += [_write("Sam", "/leads", f'{{"id": "{L1}"}}'), moved]
    captured = {"actor_id": "u-sam", "action": "lead_captured", "entity_type": "lead", "entity_id": L1}
    as_the_deal = {"actor_id": "u-sam", "action": "deal_moved", "entity_type": "opportunity", "entity_id": D1}
    assert missing(_World([captured, as_the_deal]), recorder) == []
    assert missing(_World([captured, {**as_the_deal, "entity_id": L1}]), recorder) == [
        f"a write has no audit entry of its own about what it wrote ({D1}): Sam's POST /api/v1/deals/{D1.upper()}/stage,"
        f" in acme; Sam's entries are about deal_moved of opportunity {L1}, lead_captured of lead {L1}"
    ]
    recorder.http += [
        _write("Sam", "/leads", f'{{"id": "{L2}"}}'),
        _write("Sam", f"/leads/{L1}/qualify", f'{{"id": "{L1}"}}', status=200),
    ]
    second = {**captured, "entity_id": L2}
    qualified = {"actor_id": "u-sam", "action": "lead_qualified", "entity_type": "lead"}
    trail = [captured, as_the_deal, second]
    assert missing(_World([*trail, {**qualified, "entity_id": L1}]), recorder) == []
    found = missing(_World([*trail, {**qualified, "entity_id": L2}]), recorder)
    assert [problem.split(", in acme")[0].split(": ")[1] for problem in found] == [
        f"Sam's POST /api/v1/leads/{L1}/qualify"
    ], "the lead's capture has its own entry: the qualification, filed under the newer lead, has none left"
    assert missing(_World([{k: v for k, v in captured.items() if k != "entity_id"}] * 4), recorder) == [], (
        "entries read without what they are about make no claim"
    )


def test_an_audit_entry_about_no_record_of_its_kind_in_its_company_is_named():
    from support.invariants.references import entries_astray

    rows = {"leads": {L1: "digest"}, "opportunities": {D1: "digest"}}
    entries = [
        {"action": "lead_captured", "entity_type": "lead", "entity_id": L1},
        {"action": "deal_moved", "entity_type": "opportunity", "entity_id": D1.upper()},
        {"action": "settings_changed", "entity_type": "tenant", "entity_id": "c1"},
        {"action": "something_new", "entity_type": "gadget", "entity_id": "anything"},
    ]
    assert entries_astray(entries, "c1", "acme", rows) == []
    astray = [
        {"action": "deal_won", "entity_type": "opportunity", "entity_id": L1},
        {"action": "settings_changed", "entity_type": "tenant", "entity_id": "c2"},
    ]
    assert entries_astray(astray, "c1", "acme", rows) == [
        f"an audit entry is about no opportunity of the company: deal_won about opportunity {L1}, in the trail of acme",
        "an audit entry is about no tenant of the company: settings_changed about tenant c2, in the trail of acme",
    ]
    assert entries_astray(astray, "c1", "acme", None) == [], "no database: no claim"


def test_an_audit_entry_without_what_its_kind_must_say_is_named():
    trail = [
        {"seq": 1, "action": "deal_won", "data": {"amount": "10.00", "currency": "EUR", "campaign": None}},
        {"seq": 2, "action": "task_created", "data": {"project_id": "p", "by": "assistant"}},
        {"seq": 3, "action": "signed_out", "data": {}},
    ]
    answer = _answer(text=json.dumps(trail), path="/api/v1/audit")
    assert answers.entries_say_what_they_must(answer) == ["has the audit entry 2 (task_created) without its asked_by"]


def _exchange(method: str, caller: str, *records: dict, path: str = "/api/v1/assistant/threads", status: int = 200):
    body = json.dumps(records[0] if len(records) == 1 and method != "GET" else list(records))
    return HttpExchange(
        method, path, caller, "a", status, {**GOOD_HEADERS, "content-type": "application/json"}, body, "s"
    )


THREAD = {"id": "thread-1", "title": "How is my pipeline?", "archived": True, "messages": 2}


def test_a_change_whose_answer_the_next_read_shows_otherwise_is_named_once():
    watch = AsWritten()
    archived_said_not = {**THREAD, "archived": False}
    said = watch.disagreements(
        [_exchange("POST", "Sam", archived_said_not), _exchange("GET", "Sam", THREAD), _exchange("GET", "Sam", THREAD)]
    )
    assert said == [
        "the answer to POST /api/v1/assistant/threads (by Sam) showed the record thread-1 with archived False; "
        "the next read, GET /api/v1/assistant/threads, shows True"
    ]


def test_a_read_that_agrees_leaves_out_a_field_or_comes_after_another_change_is_no_contradiction():
    watch = AsWritten()
    listed = {"id": "thread-1", "archived": True, "messages": None}  # left out of a list: no claim
    assert watch.disagreements([_exchange("POST", "Sam", THREAD), _exchange("GET", "Sam", listed)]) == []
    renamed = {**THREAD, "title": "Renamed"}
    assert (
        watch.disagreements(
            [_exchange("POST", "Sam", THREAD), _exchange("PATCH", "Sam", {"id": "x"}), _exchange("GET", "Sam", renamed)]
        )
        == []
    ), "another change came between: the first answer is no longer a claim"
    refused = _exchange("POST", "Sam", {**THREAD, "archived": False}, status=409)
    assert watch.disagreements([refused, _exchange("GET", "Sam", THREAD)]) == [], "a refusal tells nothing of a record"


def test_whoever_reads_the_record_next_must_see_it_as_the_change_said_a_sign_in_between_changing_nothing():
    watch = AsWritten()
    renamed = {**THREAD, "title": "Renamed"}
    signs_in = _exchange("POST", "Olivia", {"access_token": "t"}, path="/api/v1/auth/token")
    assert watch.disagreements([_exchange("POST", "Sam", THREAD), signs_in, _exchange("GET", "Olivia", renamed)]) == [
        "the answer to POST /api/v1/assistant/threads (by Sam) showed the record thread-1 with title 'How is my "
        "pipeline?'; the next read, GET /api/v1/assistant/threads, shows 'Renamed'"
    ]


def _listing(path: str, query: str, *records: dict) -> HttpExchange:
    return HttpExchange(
        "GET",
        f"/api/v1{path}",
        "Cleo",
        "a",
        200,
        {"content-type": "application/json"},
        json.dumps(list(records)),
        "s",
        SentRequest(query),
    )


@pytest.mark.parametrize(
    ("exchange", "said"),
    [
        (_listing("/approvals", "status=pending", {"id": "a1", "status": "pending"}), []),
        (
            _listing(
                "/approvals",
                "status=pending&limit=5",
                {"id": "a1", "status": "pending"},
                {"id": "a2", "status": "approved"},
            ),
            ["was asked for status=pending and lists 1 record(s) that are not, e.g. status 'approved'"],
        ),
        (_listing("/assistant/threads", "archived=true", {"id": "t1", "archived": True}), []),
        (
            _listing("/assistant/threads", "archived=false", {"id": "t1", "archived": True}),
            ["was asked for archived=false and lists 1 record(s) that are not, e.g. archived True"],
        ),
        (
            _listing("/commissions", "user_id=U1", {"id": "c1", "user_id": "u1"}, {"id": "c2", "user_id": "u2"}),
            ["was asked for user_id=U1 and lists 1 record(s) that are not, e.g. user_id 'u2'"],
        ),
        (
            _listing("/audit", "after_seq=3", {"seq": 4}, {"seq": 3}),
            ["was asked for after_seq=3 and lists 1 record(s) that are not, e.g. seq 3"],
        ),
        (
            _listing("/leads", "limit=1&after=L1", {"id": "l1"}, {"id": "l2"}),
            ["lists 2 records where the query asked for at most 1"],
        ),
        (_listing("/leads", "limit=2&after=L1", {"id": "l2"}, {"id": "l3"}), []),
    ],
)
def test_a_list_answers_what_its_query_asked(exchange: HttpExchange, said: list[str]) -> None:
    assert answers.lists_what_was_asked(exchange) == said


A = {"id": "00000000-0000-0000-0000-00000000000a", "created_at": "2026-12-07T10:00:00.000001Z"}
B = {"id": "00000000-0000-0000-0000-00000000000b", "created_at": "2026-12-07T10:00:00.000001Z"}  # made as A was
C = {"id": "00000000-0000-0000-0000-00000000000c", "created_at": "2026-12-07T10:00:01Z"}
A_AT = "1796637600000001-0000000000000000000000000000000a"
B_AT = "1796637600000001-0000000000000000000000000000000b"


def _page(query: str, *records: dict, link: str | None = None) -> HttpExchange:
    headers = {"content-type": "application/json", **({"link": f'<{link}>; rel="next"'} if link else {})}
    return HttpExchange(
        "GET", "/api/v1/leads", "Sam", "a", 200, headers, json.dumps(list(records)), "s", SentRequest(query)
    )


@pytest.mark.parametrize(
    ("exchange", "said"),
    [
        (_page("limit=2", A, B, link=f"/api/v1/leads?limit=2&after={B_AT}"), []),
        (_page(f"limit=2&after={B_AT}", C), []),
        (
            _page(f"limit=2&after={A_AT}", B, C, link=f"/api/v1/leads?limit=2&after={C['id']}"),
            [f"names a next page after {C['id']}, not after its last record {C['id']}"],
        ),
        (
            _page(f"limit=3&after={B_AT}", A, C),
            [f"was asked for the records after {B_AT} and lists {A['id']}, made before it"],
        ),
        (_page("limit=2", A, B), ["lists a full page of 2 records and names no next page"]),
        (
            _page("limit=3", A, B, link=f"/api/v1/leads?limit=3&after={B_AT}"),
            ["lists 2 records of the 3 a page holds and names a next page"],
        ),
        (_page("limit=2", {"seq": 1}, {"seq": 2}), []),  # not records made one after another: the trail's entries
    ],
)
def test_a_listings_pages_follow_on_from_each_other(exchange: HttpExchange, said: list[str]) -> None:
    assert answers.pages_follow_on(exchange) == said


@pytest.mark.parametrize(
    ("headers", "text", "broken"),
    [
        ({"content-type": "application/json"}, '{"id": 1}', False),
        ({"content-type": "text/plain; charset=utf-8"}, "platform_requests_total 3", False),
        ({}, "", False),  # no body: nothing to name
        ({}, '{"error": {"code": "payload_too_large"}}', True),
        ({"content-type": "text/plain"}, '{"error": {"code": "x"}}', True),
    ],
)
def test_an_answer_with_a_body_says_what_it_is(headers, text, broken):
    exchange = HttpExchange("POST", "/api/v1/invoices", "Fiona", "c1", 413, headers, text, "s")
    assert bool(answers.says_what_its_body_is(exchange)) is broken
