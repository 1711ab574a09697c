"""The platform's HTTP contracts: errors, tenancy, roles, idempotency and concurrency on one invoice."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest
import requests

from support.clients.platform_api import PlatformApi
from support.scenario.eventually import eventually
from support.scenario.together import sent_together
from tests.app.api.platform_session import TenantSession


@pytest.fixture(scope="module")
def company(stack):
    return TenantSession.create(stack)


def _pay(api: PlatformApi, invoice_id: str, amount: str, key: str | None = None, card: str = "tok_visa"):
    return api.post(
        f"/invoices/{invoice_id}/payments",
        {"amount": amount, "card_token": card},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def test_openapi_document_lists_the_payment_operation(stack):
    document = requests.get(stack.env["PLATFORM_URL"] + "/openapi.json", timeout=5).json()
    assert "post" in document["paths"]["/api/v1/invoices/{invoice_id}/payments"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"company": "", "contact_name": "B", "estimated_value": "10.00"}, "company"),
        ({"company": "X", "contact_name": "B", "estimated_value": "-1.00"}, "estimated_value"),
        ({"company": "X", "contact_name": "B", "estimated_value": "0"}, "estimated_value"),
        ({"company": "X", "contact_name": "B", "estimated_value": "1.001"}, "estimated_value"),
        ({"company": "X", "contact_name": "B", "estimated_value": "1" * 20}, "estimated_value"),
        ({"company": "X\x00", "contact_name": "B", "estimated_value": "10.00"}, "company"),
        ({"company": "X" * 201, "contact_name": "B", "estimated_value": "10.00"}, "company"),
        ({"company": "X", "contact_name": "B", "estimated_value": "10.00", "surprise": 1}, "surprise"),
        ({"company": "X", "contact_name": "B", "estimated_value": "10.00", "currency": "XXX"}, "currency"),
    ],
)
def test_bad_lead_input_answers_422_naming_the_field_and_writes_nothing(company, body, field):
    sales = company.users["sales"]
    before = len(sales.get("/leads").body)
    answer = sales.post("/leads", body)
    assert answer.status == 422
    assert answer.body["error"]["field"] == field
    assert len(sales.get("/leads").body) == before


def test_malformed_json_answers_422_not_500(company):
    answer = requests.post(
        company.owner.base_url + "/api/v1/leads",
        data="{not json",
        headers={**company.users["sales"]._http.headers, "Content-Type": "application/json"},
        timeout=5,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_error"


def test_a_body_that_is_not_even_text_answers_422_naming_the_body(company):
    """Bytes that are no UTF-8 at all fail before JSON is parsed: refused like any bad field, never a 400 or 500."""
    answer = requests.post(
        company.owner.base_url + "/api/v1/leads",
        data=b"\xff\xfe{not text",
        headers={**company.users["sales"]._http.headers, "Content-Type": "application/json"},
        timeout=5,
    )
    error = answer.json()["error"]
    assert (answer.status_code, error["code"], error["field"]) == (422, "validation_error", "body")
    assert error["message"].startswith("body: "), error


def test_invalid_id_in_path_answers_422_naming_it(company):
    answer = company.users["sales"].get("/leads/not-a-uuid")
    assert (answer.status, answer.body["error"]["field"]) == (422, "lead_id")


def test_no_token_answers_401_and_a_forged_one_too(company, stack):
    assert PlatformApi(stack.env["PLATFORM_URL"]).get("/leads").status == 401
    assert PlatformApi(stack.env["PLATFORM_URL"], token="a.b.c").get("/leads").status == 401


def test_another_tenants_record_answers_404_never_403(company, stack):
    other = TenantSession.create(stack)
    lead = (
        company.users["sales"].post("/leads", {"company": "Mine", "contact_name": "B", "estimated_value": "5.00"}).body
    )
    assert other.owner.get(f"/leads/{lead['id']}").status == 404
    assert other.users["sales"].post(f"/leads/{lead['id']}/qualify").status == 404
    assert company.users["sales"].get(f"/leads/{lead['id']}").status == 200


def test_a_role_without_the_right_answers_403(company):
    invoice = company.issued_invoice()
    answer = _pay(company.users["sales"], invoice["id"], "10.00")
    assert (answer.status, answer.error_code) == (403, "forbidden")


def test_payment_without_idempotency_key_is_refused_naming_the_header(company):
    invoice = company.issued_invoice()
    answer = company.users["finance"].post(
        f"/invoices/{invoice['id']}/payments", {"amount": "1.00", "card_token": "tok_visa"}
    )
    assert (answer.status, answer.body["error"]["field"]) == (422, "Idempotency-Key")


def test_a_key_still_in_use_answers_409(company, stack):
    invoice = company.issued_invoice()
    control = stack.env["PAYMENT_PROCESSOR_URL"] + "/_control"
    requests.post(control, json={"latency_ms": 800}, timeout=5).raise_for_status()
    try:
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(_pay, company.users["finance"], invoice["id"], "10.00", "same-key")
            eventually(lambda: _key_is_held(stack), timeout=5)
            second = pool.submit(_pay, company.users["finance"], invoice["id"], "10.00", "same-key")
            answers = sorted([first.result().status, second.result().status])
    finally:
        requests.post(control, json={}, timeout=5).raise_for_status()
    assert answers == [201, 409]


def _key_is_held(stack) -> None:
    with psycopg.connect(stack.env["DATABASE_URL"]) as conn:
        held = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").fetchone()[0]
    assert held > 0, "the first request holds no key yet"


def test_concurrent_payments_never_exceed_the_invoice_total(company):
    invoice = company.issued_invoice("1000.00", "21")  # 1,210.00 due
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: _pay(company.users["finance"], invoice["id"], "300.00"), range(10)))
    accepted = [a for a in answers if a.status == 201]
    assert len(accepted) == 4
    assert {a.error_code for a in answers if a.status != 201} == {"overpayment"}
    after = company.users["finance"].get(f"/invoices/{invoice['id']}").body
    assert (Decimal(after["amount_paid"]), after["status"]) == (Decimal("1200.00"), "partially_paid")


def test_oversized_body_without_length_answers_413_json_naming_body(company):
    chunks = (b"x" * 65536 for _ in range(40))  # 2.5 MB, sent chunked: no Content-Length to check up front
    answer = requests.post(
        company.owner.base_url + "/api/v1/leads",
        data=chunks,
        timeout=10,
        headers={**company.users["sales"]._http.headers, "Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.json()["error"]["field"]) == (413, "body")


def test_wrong_method_lists_every_allowed_method(company):
    answer = requests.delete(
        company.owner.base_url + "/api/v1/leads", timeout=5, headers=dict(company.users["sales"]._http.headers)
    )
    assert (answer.status_code, answer.headers["Allow"]) == (405, "GET, HEAD, POST")
    assert (answer.json()["error"]["code"], answer.json()["error"]["field"]) == ("method_not_allowed", None)


def test_a_head_request_is_answered_as_its_get_without_the_body(company):
    headers = dict(company.users["sales"]._http.headers)
    url = company.owner.base_url + "/api/v1/leads"
    whole, head = requests.get(url, timeout=5, headers=headers), requests.head(url, timeout=5, headers=headers)
    assert (head.status_code, head.content) == (200, b"")
    for name in ("Content-Type", "Content-Length", "X-Content-Type-Options", "Cache-Control"):
        assert head.headers.get(name) == whole.headers.get(name), name


def test_a_head_request_where_only_a_write_is_served_is_refused_naming_the_write(stack):
    """Outside any company: the sign-in takes POST alone."""
    answer = requests.head(stack.env["PLATFORM_URL"] + "/api/v1/auth/token", timeout=5)
    assert (answer.status_code, answer.headers["Allow"], answer.content) == (405, "POST", b"")


def test_an_address_the_platform_does_not_have_answers_not_found_naming_no_field(company):
    answer = requests.get(
        company.owner.base_url + "/api/v1/no-such-thing", timeout=5, headers=dict(company.users["sales"]._http.headers)
    )
    assert (answer.status_code, answer.json()["error"]["code"], answer.json()["error"]["field"]) == (
        404,
        "not_found",
        None,
    )


@pytest.mark.parametrize("key", ["cl\xe9-du-r\xe9seau", "\xff" * 32, ""])
def test_an_operator_key_of_any_characters_that_is_not_the_key_is_refused_403(stack, key):
    """A key with a character outside ASCII was answered 500: the comparison refused such a string."""
    answer = requests.get(
        stack.env["PLATFORM_URL"] + f"/api/v1/admin/tenants/{uuid.uuid4()}/backup",
        headers={"X-Admin-Key": key},
        timeout=5,
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "forbidden"), answer.text


def _at_the_calendars_edges(document: dict) -> list[str]:
    """Every listing and report of the contract that takes a day, asked with the calendar's first and last day
    (each other number it takes at its largest, a month at the latest its pattern allows)."""
    asked = []
    for path, operations in document["paths"].items():
        taken = operations.get("get", {}).get("parameters", [])
        days = [p["name"] for p in taken if p["in"] == "query" and p.get("schema", {}).get("format") == "date"]
        for day in ("0001-01-01", "9999-12-31"):
            for name in days:
                others = {
                    p["name"]: p["schema"]["maximum"]
                    for p in taken
                    if p["in"] == "query" and p.get("schema", {}).get("type") == "integer" and "maximum" in p["schema"]
                }
                query = "&".join(f"{k}={v}" for k, v in {name: day, **others}.items())
                asked.append(f"{path}?{query}")
    return asked


def test_every_report_asked_about_the_calendars_first_or_last_day_answers_and_never_fails(company, stack):
    """The activity of the calendar's last day was answered 500: the day after it does not exist."""
    document = requests.get(stack.env["PLATFORM_URL"] + "/openapi.json", timeout=5).json()
    asked = _at_the_calendars_edges(document)
    assert len(asked) >= 10, f"the operations that take a day: {asked}"
    headers = dict(company.owner._http.headers)
    answered = {
        address: requests.get(company.owner.base_url + address, headers=headers, timeout=10) for address in asked
    }
    failed = {address: (a.status_code, a.text[:120]) for address, a in answered.items() if a.status_code >= 500}
    assert not failed, f"asked about the calendar's first or last day: {failed}"


def test_no_address_with_a_slash_too_many_is_sent_anywhere_else_whatever_host_it_claims(company, stack):
    """Starlette redirected (307) an address with a trailing slash to the one without it, on the host the request
    claimed and over plain http: a write with its body and token was told to go on to any host the caller named."""
    document = requests.get(stack.env["PLATFORM_URL"] + "/openapi.json", timeout=5).json()
    headers = {**company.users["sales"]._http.headers, "Host": "elsewhere.example"}
    answered = {}
    for path, operations in document["paths"].items():
        address = company.owner.base_url + path.replace("{", "").replace("}", "") + "/"
        for method in operations:
            answer = requests.request(method, address, headers=headers, json={}, timeout=5, allow_redirects=False)
            answered[f"{method.upper()} {path}/"] = (answer.status_code, answer.headers.get("location"))
    sent_elsewhere = {request: said for request, said in answered.items() if said != (404, None)}
    assert not sent_elsewhere, f"addresses with a slash too many not answered 404 without a Location: {sent_elsewhere}"


def _company_with_people(slug: str, people: list[dict]) -> dict:
    return {
        "name": slug,
        "slug": slug,
        "owner": {"email": f"owner@{slug}.example.com", "name": "Owner", "password": "owner-password"},
        "people": people,
    }


def test_a_company_is_made_with_its_people_in_one_call_each_signing_in_with_their_role(stack):
    base = stack.env["PLATFORM_URL"]
    slug = f"api-{uuid.uuid4().hex[:8]}"
    people = [
        {"email": f"{role}@{slug}.example.com", "name": role.title(), "role": role, "password": f"{role}-password"}
        for role in ("sales", "finance", "compliance")
    ]
    admin = PlatformApi(base, admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    created = admin.post("/admin/tenants", _company_with_people(slug, people)).expect_ok("company with people")
    assert [(p["email"], p["role"]) for p in created["people"]] == [(f"owner@{slug}.example.com", "owner")] + [
        (p["email"], p["role"]) for p in people
    ]
    assert created["owner_id"] == created["people"][0]["id"]
    for role in ("sales", "finance", "compliance"):
        token = TenantSession._sign_in(base, slug, role, f"{role}-password")
        assert token.get("/me").expect_ok(f"{role} signed in")["role"] == role
    owner = TenantSession._sign_in(base, slug, "owner", "owner-password")
    added = [e for e in owner.get("/audit").expect_ok("audit trail") if e["action"] == "user_added"]
    assert len(added) == 4


def test_a_company_whose_people_share_an_email_is_not_made_at_all(stack):
    slug = f"api-{uuid.uuid4().hex[:8]}"
    twice = {"email": f"sam@{slug}.example.com", "name": "Sam", "role": "sales", "password": "sales-password"}
    admin = PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    answer = admin.post("/admin/tenants", _company_with_people(slug, [twice, {**twice, "name": "Sam again"}]))
    assert (answer.status, answer.body["error"]["code"], answer.body["error"]["field"]) == (409, "email_taken", "email")
    retried = admin.post("/admin/tenants", _company_with_people(slug, [twice]))
    assert retried.status == 201, retried.body


def test_a_backup_that_is_not_one_companys_rows_is_refused_naming_why_and_writes_nothing(stack):
    admin = PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    one_id, other_id = (
        admin.post("/admin/tenants", _company_with_people(f"api-{uuid.uuid4().hex[:8]}", [])).expect_ok("company")["id"]
        for _ in range(2)
    )
    backup = admin.get(f"/admin/tenants/{one_id}/backup").expect_ok("backup")
    admin.call("DELETE", f"/admin/tenants/{one_id}")
    theirs = admin.get(f"/admin/tenants/{other_id}/backup").expect_ok("the other's backup")
    mixed = {**backup, "tables": {**backup["tables"], "users": backup["tables"]["users"] + theirs["tables"]["users"]}}
    unknown_table = {**backup, "tables": {**backup["tables"], "secrets": [{"tenant_id": one_id}]}}
    unknown_column = {**backup, "tables": {**backup["tables"], "users": [{**backup["tables"]["users"][0], "x": 1}]}}
    for wrong, why in ((mixed, "another company"), (unknown_table, "secrets"), (unknown_column, "no column x")):
        answer = admin.post("/admin/tenants/restore", wrong)
        assert (answer.status, answer.body["error"]["code"]) == (422, "not_a_backup"), answer.body
        assert why in answer.body["error"]["message"]
        assert admin.get(f"/admin/tenants/{one_id}/backup").status == 404, "nothing of the company written"
    restored = admin.post("/admin/tenants/restore", backup)
    assert restored.status == 201, restored.body
    assert restored.body["rows"] == backup["rows"]


def test_a_company_clock_is_set_only_by_the_operator_and_only_to_an_instant_with_its_offset(stack):
    """A test stack's operator sets one company's clock (204), and lets it run again; an instant without its
    offset is refused naming ``at``; without the operator's key nothing is set; each change is in the instance's
    log, with who asked."""
    base = stack.env["PLATFORM_URL"]
    path = f"/admin/companies/{uuid.uuid4()}/clock"  # any company's: the clock of one that is not there is unread
    operator = PlatformApi(base, admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    naive = operator.call("PUT", path, json={"at": "2026-12-31T23:59:59"})
    assert (naive.status, naive.body["error"]["field"]) == (422, "at")
    assert PlatformApi(base).call("PUT", path, json={"at": None}).status == 401
    assert operator.call("PUT", path, json={"at": "2026-12-31T23:59:59+01:00"}).status == 204
    assert operator.call("PUT", path, json={"at": None}).status == 204
    company = path.split("/")[3]
    said = [line for line in stack.platform.log_path.read_text().splitlines() if f"clock of company {company}" in line]
    assert [line.split("platform: ", 1)[1] for line in said] == [
        f"the clock of company {company} stands at 2026-12-31T23:59:59+01:00 (an operator's call from 127.0.0.1)",
        f"the clock of company {company} runs with the real time again (an operator's call from 127.0.0.1)",
    ], "each change in the instance's log, with who asked"


def test_a_backup_restores_a_company_only_under_a_slug_it_could_have_been_created_with(stack):
    """One rule for a company's slug, whether it is created or restored: 3 to 63 lowercase letters, digits and
    hyphens, neither first nor last a hyphen. A backup under any other is refused, naming the slug."""
    admin = PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    slug = f"api-{uuid.uuid4().hex[:8]}"
    company_id = admin.post("/admin/tenants", _company_with_people(slug, [])).expect_ok("company")["id"]
    backup = admin.get(f"/admin/tenants/{company_id}/backup").expect_ok("backup")
    admin.call("DELETE", f"/admin/tenants/{company_id}")
    longest = (slug + "x" * 63)[:63]
    for wrong in ("ab", f"-{slug}", f"{slug}-", longest + "x"):
        answer = admin.post("/admin/tenants/restore", {**backup, "company": {**backup["company"], "slug": wrong}})
        assert (answer.status, answer.body["error"]["field"]) == (422, "company.slug"), (wrong, answer.body)
    restored = admin.post("/admin/tenants/restore", {**backup, "company": {**backup["company"], "slug": longest}})
    assert restored.status == 201, restored.body


def test_a_company_removed_by_the_operator_is_in_the_instances_log_with_what_went(stack):
    """A company is removed with everything it holds; the instance's log names it and how many rows went."""
    admin = PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    slug = f"api-{uuid.uuid4().hex[:8]}"
    company_id = admin.post("/admin/tenants", _company_with_people(slug, [])).expect_ok("company")["id"]
    held = admin.get(f"/admin/tenants/{company_id}/backup").expect_ok("backup")["rows"]
    assert admin.call("DELETE", f"/admin/tenants/{company_id}").status == 204
    said = [line for line in stack.platform.log_path.read_text().splitlines() if f"removed the company {slug}" in line]
    assert [line.split(":app.tenancy:", 1)[-1] for line in said] == [
        f"operator removed the company {slug} ({company_id}): {held + 1} rows"  # and the company's own row
    ], said


def test_a_sign_in_from_an_address_longer_than_any_is_recorded_cut_to_64_characters(stack):
    """The address a sign-in came from (as a trusted proxy forwards it) is kept in the security trail, cut to
    64 characters: enough for any address, bounded for any text."""
    base = stack.env["PLATFORM_URL"]
    admin = PlatformApi(base, admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    slug = f"api-{uuid.uuid4().hex[:8]}"
    admin.post("/admin/tenants", _company_with_people(slug, [])).expect_ok("company")
    forwarded = "f" * 63 + "0123456789"
    guess = {"tenant": slug, "email": f"owner@{slug}.example.com", "password": "not-the-password"}
    assert PlatformApi(base).post("/auth/token", guess, headers={"X-Forwarded-For": forwarded}).status == 401
    owner = TenantSession._sign_in(base, slug, "owner", "owner-password")
    failed = [e for e in owner.get("/audit").expect_ok("audit trail") if e["action"] == "sign_in_failed"]
    assert [e["data"]["source"] for e in failed] == [forwarded[:64]]


def test_a_threshold_changed_without_its_currency_keeps_the_currency_it_had(company):
    owner = company.owner
    usd = {"approval_threshold": "1000.00", "approval_threshold_currency": "USD"}
    owner.call("PUT", "/settings", json=usd).expect_ok("a threshold in USD")
    changed = owner.call("PUT", "/settings", json={"approval_threshold": "2000.00"}).expect_ok("the amount alone")
    assert (changed["approval_threshold"], changed["approval_threshold_currency"]) == ("2000.00", "USD")


def test_one_company_name_made_five_times_at_once_is_made_once_and_taken_for_the_others(stack):
    """Each creation checked the name, then wrote it: the four sent with the first were told the generic
    `conflict` the database found, where one sent after it is told the name is taken."""
    operator = PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    slug = f"made-at-once-{uuid.uuid4().hex[:8]}"

    def make(n: int):
        owner = {"email": f"owner{n}@{slug}.example.com", "name": "Owner", "password": "Owner-pass-1"}
        return operator.post("/admin/tenants", {"name": "Made at once", "slug": slug, "owner": owner})

    answers = sent_together(5, make)
    assert (
        sorted((a.status, a.error_code, a.error_field) for a in answers)
        == [(201, None, None)] + [(409, "slug_taken", "slug")] * 4
    )


def test_a_session_signed_out_is_asked_to_sign_in_when_it_signs_out_again_and_the_trail_tells_it_once(stack):
    mine = TenantSession.create(stack, roles=("finance",))
    session = TenantSession._sign_in(stack.env["PLATFORM_URL"], mine.slug, "finance", "finance-password")
    me = session.get("/me").expect_ok("who am I")
    assert session.post("/auth/logout").status == 204
    again = session.post("/auth/logout")
    assert (again.status, again.body["error"]["code"]) == (401, "unauthenticated")
    trail = mine.owner.get("/audit", limit=100).expect_ok("the audit trail")
    assert [e["action"] for e in trail if e["actor_id"] == me["id"]].count("signed_out") == 1
