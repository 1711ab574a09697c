"""The API explored as a state machine: random lead-to-cash histories, and what must hold after every step.

Hypothesis drives the platform through the public API (deals won, invoices issued, paid in parts, keys sent
again, refunded, voided), in orders nobody wrote a scenario for, and checks after each step:
- money is conserved per invoice: what the platform says is paid is what its payments less its refunds add
  up to, and what the payment processor charged less what it refunded;
- the invoice's life cycle follows its money: paid exactly when nothing is due, partially paid when some is,
  void only with nothing paid;
- the audit trail is complete (one entry per payment and refund accepted, and each write accepted an entry of
  its own about what it wrote: ``support.invariants.audited_writes``), every entry is about a record of the
  company, and its chain is intact;
- every answer keeps the rules every scenario's steps check (``support.invariants.guard.broken_by``), and no
  instance logs an unexpected failure;
- every request made of a record by its id, sent again by the owner of another company, is told the record does
  not exist, and every payment or refund sent again with its key is answered as the first time (by its person
  and by a colleague with the right) and refused for a cent more or on another record
  (``support.invariants.strangers``, ``support.invariants.replays``), and every operation needing a right that a
  person was let do is refused to a colleague whose role lacks it (``support.invariants.roles_refused``);
- the company's reports agree with the records they sum (``support.invariants.reports_agree``): in every state a
  history reaches; and its analytics with its records at each history's end (``support.invariants.analytics_agree``).

``make test`` runs a bounded budget; ``make explore`` a deeper one (EXPLORE_EXAMPLES, EXPLORE_STEPS). The
histories drawn are the same at every run (``make test`` is repeatable); ``make explore RANDOMLY=1``
(EXPLORE_RANDOMLY) draws others each time. A failing history is printed as the shortest sequence of calls that
breaks the rule (Hypothesis shrinks it), with the blob that replays it.
"""

from __future__ import annotations

import os
import secrets
import sys
import uuid
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import ClassVar

import pytest
import requests
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from support.clients.database_inspector import DatabaseInspector
from support.clients.exchanges import start_recording, stop_recording
from support.clients.paths import Billing, Compliance, Sales
from support.clients.platform_api import PlatformApi
from support.invariants import (
    analytics_agree,
    audited_writes,
    crashes,
    references,
    replays,
    reports_agree,
    roles_refused,
    strangers,
)
from support.invariants.guard import broken_by
from support.scenario.personas import PERSONAS

EXAMPLES = int(os.environ.get("EXPLORE_EXAMPLES", "4"))
STEPS = int(os.environ.get("EXPLORE_STEPS", "12"))
# against a planted defect: histories until one fails (the first, mostly), so that a defect a history must reach
# (a payment taken, a deal won) is found whatever histories are drawn first; a defect missed costs them all
PLANTED_EXAMPLES = 20
CENT = Decimal("0.01")


def _money(value: str | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


class LeadToCash(RuleBasedStateMachine):
    """One company's money, driven through the API; the model keeps only what was accepted."""

    invoices = Bundle("invoices")
    payments = Bundle("payments")
    env: ClassVar[dict[str, str]] = {}

    @initialize()
    def a_company_of_its_own(self) -> None:
        self.recorder = start_recording()  # every answer from here on, for the rules that hold everywhere
        crashes.watch_of(self.recorder.state, self.env.get("PLATFORM_LOGS"))
        base, slug = self.env["PLATFORM_URL"], f"explore-{secrets.token_hex(4)}"
        people = [
            {"email": f"{r}@{slug}.example.com", "name": r.title(), "role": r, "password": f"{r}-password-1"}
            for r in ("sales", "finance")
        ]
        admin = PlatformApi(base, admin_key=self.env["PLATFORM_ADMIN_KEY"])
        owner = {"email": f"owner@{slug}.example.com", "name": "Owner", "password": "owner-password-1"}
        made = admin.post("/admin/tenants", {"name": slug, "slug": slug, "owner": owner, "people": people})
        company = made.expect_ok("tenant")["id"]
        self.company, self.slug = company, slug
        self.api, self.tokens, self.user_ids = {}, {}, {}
        for person in (owner, *people):
            token = PlatformApi(base).post(
                "/auth/token", {"tenant": slug, "email": person["email"], "password": person["password"]}
            )
            name = person["email"].split("@")[0]
            signed_in = token.expect_ok("sign-in")
            self.tokens[name], self.user_ids[name] = signed_in["access_token"], signed_in["user_id"]
            self.api[name] = PlatformApi(base).as_user(self.tokens[name], caller=name, company=company)
        stranger = {**owner, "email": f"owner@{slug}-stranger.example.com"}
        admin.post("/admin/tenants", {"name": f"{slug} stranger", "slug": f"{slug}-stranger", "owner": stranger})
        self.stranger = strangers.Stranger(
            strangers.stranger_sign_in(base, f"{slug}-stranger", stranger["email"], stranger["password"])
        )
        self.processor = self.env["PAYMENT_PROCESSOR_URL"].rstrip("/")
        self.totals: dict[str, Decimal] = {}
        self.accepted_payments = 0
        self.accepted_refunds = 0
        self.last_key: dict[str, tuple[str, Decimal]] = {}
        self.succeeded_keys: set[str] = set()
        self.attempts: dict[str, str | None] = {}  # each payment attempt -> the payment it made, if any

    @rule(
        target=invoices,
        net=st.decimals(min_value="1.00", max_value="3000.00", places=2),
        rate=st.sampled_from(["0", "7", "21"]),
    )
    def a_won_deal_is_invoiced(self, net: Decimal, rate: str) -> str:
        sales, finance = self.api["sales"], self.api["finance"]
        lead = sales.post(Sales.LEADS, {"company": "Globex", "contact_name": "Buyer", "estimated_value": f"{net:.2f}"})
        lead = sales.post(Sales.lead(lead.expect_ok("lead")["id"], "qualify")).expect_ok("qualify")
        deal = sales.post(Sales.lead(lead["id"], "convert"), {}).expect_ok("convert")
        project = sales.post(Sales.deal(deal["id"], "win")).expect_ok("win")["project_id"]
        line = {"description": "delivery", "quantity": "1", "unit_price": f"{net:.2f}", "tax_rate": rate}
        draft = finance.post(Billing.INVOICES, {"project_id": project, "lines": [line], "payment_terms_days": 30})
        invoice = finance.post(Billing.invoice(draft.expect_ok("draft")["id"], "issue")).expect_ok("issue")
        self.totals[invoice["id"]] = _money(invoice["total"])
        return invoice["id"]

    @rule(
        target=payments,
        invoice=invoices,
        share=st.decimals(min_value="0.01", max_value="1.20", places=2),
        same_key=st.booleans(),
    )
    def a_payment_is_taken(self, invoice: str, share: Decimal, same_key: bool) -> str:
        amount = max(CENT, (self.totals[invoice] * share).quantize(CENT, ROUND_HALF_UP))
        key, amount = self.last_key[invoice] if same_key and invoice in self.last_key else (uuid.uuid4().hex, amount)
        answer = self.api["finance"].post(
            Billing.payments(invoice),
            {"amount": f"{amount:.2f}", "card_token": "tok_visa"},
            headers={"Idempotency-Key": key},
        )
        assert answer.status in (201, 409, 422), f"a payment answered {answer.status}: {answer.body}"
        replayed = key in self.succeeded_keys
        self.last_key[invoice] = (key, amount)
        attempt = f"attempt-{len(self.attempts)}"  # the bundle holds every attempt: what is drawn never depends
        self.attempts[attempt] = answer.body["id"] if answer.status == 201 else None  # on the platform's answers
        if answer.status == 201 and not replayed:
            self.succeeded_keys.add(key)
            self.accepted_payments += 1
        return attempt

    @rule(payment=payments, share=st.decimals(min_value="0.01", max_value="1.50", places=2))
    def a_payment_is_refunded(self, payment: str, share: Decimal) -> None:
        payment_id = self.attempts[payment]
        if payment_id is None:  # that attempt was refused: nothing to refund
            return
        paid = [
            p for i in self.totals for p in self.api["finance"].get(Billing.payments(i)).body if p["id"] == payment_id
        ]
        amount = max(CENT, (_money(paid[0]["amount"]) * share).quantize(CENT, ROUND_HALF_UP))
        answer = self.api["finance"].post(
            Billing.refunds(payment_id), {"amount": f"{amount:.2f}"}, headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        assert answer.status in (201, 409, 422), f"a refund answered {answer.status}: {answer.body}"
        self.accepted_refunds += answer.status == 201

    @rule(invoice=consumes(invoices))
    def an_invoice_is_voided(self, invoice: str) -> None:
        answer = self.api["finance"].post(Billing.invoice(invoice, "void"), {"reason": "raised in error"})
        assert answer.status in (200, 409), f"a void answered {answer.status}: {answer.body}"

    @invariant()
    def money_is_conserved_and_the_life_cycle_follows_it(self) -> None:
        for invoice_id, total in getattr(self, "totals", {}).items():
            invoice = self.api["finance"].get(Billing.invoice(invoice_id)).expect_ok("invoice")
            payments = self.api["finance"].get(Billing.payments(invoice_id)).expect_ok("payments")
            charges = requests.get(
                f"{self.processor}/v1/charges", params={"description": f"invoice {invoice_id}"}, timeout=5
            ).json()
            charged = sum((_money(c["amount"]) for c in charges if c.get("status") == "succeeded"), Decimal(0))
            refunded = Decimal(0)
            for charge in charges:
                refunds = requests.get(
                    f"{self.processor}/v1/refunds", params={"charge": charge["id"]}, timeout=5
                ).json()
                refunded += sum((_money(r["amount"]) for r in refunds), Decimal(0))
            paid, due = _money(invoice["amount_paid"]), _money(invoice["amount_due"])
            recorded = sum((_money(p["amount"]) for p in payments), Decimal(0))
            assert paid == charged - refunded, f"invoice {invoice_id}: paid {paid}, processor kept {charged - refunded}"
            assert recorded == charged, f"invoice {invoice_id}: payments recorded {recorded}, charged {charged}"
            assert due == total - paid, f"invoice {invoice_id}: due {due} of {total} with {paid} paid"
            expected = {
                "void": paid == 0,
                "paid": due == 0,
                "partially_paid": 0 < due < total,
                "issued": due == total,
            }
            assert expected.get(invoice["status"], False), (
                f"invoice {invoice_id} is {invoice['status']} with {due} due of {total}"
            )

    @invariant()
    def the_reports_agree_with_the_records_they_sum(self) -> None:
        """The sales summary, the forecast and the receivables' ageing, read by the owner, against the company's
        rows (``support.invariants.reports_agree``), in every state a history reaches."""
        if not hasattr(self, "api"):
            return
        db = DatabaseInspector(self.env["DATABASE_URL"])
        reads = reports_agree.reader(self.env["PLATFORM_URL"], self.tokens["owner"])
        disagreeing = reports_agree.of_company(db, lambda: reads, self.slug, self.company)
        assert not disagreeing, "the reports disagree with the records:\n  - " + "\n  - ".join(disagreeing)

    @invariant()
    def every_answer_keeps_the_rules_that_hold_everywhere(self) -> None:
        """The checks every scenario's steps run (headers, error shape, secrets, the pinned contract, money and
        moments, links, the instances' logs), over the answers of this history's last step."""
        if not hasattr(self, "recorder"):
            return
        http, frames = self.recorder.unchecked()
        secrets_kept = (self.env["PLATFORM_ADMIN_KEY"], self.env["TOKEN_SECRET"])
        broken = broken_by(self.recorder, http, frames, secrets_kept, self.env.get("PLATFORM_LOGS"))
        base = self.env["PLATFORM_URL"]
        broken += strangers.attempts(self.recorder, http, base, self.stranger, lambda exchange: None)
        broken += replays.replays(self.recorder, http, base, lambda exchange: self.tokens[exchange.caller])
        roles_refused.note(self.recorder, http)
        broken += roles_refused.attempts(self.recorder, base, self._colleague)
        broken += replays.by_colleagues(self.recorder, base, self._colleague)
        assert not broken, "a rule that holds everywhere was broken:\n  - " + "\n  - ".join(broken)

    def _colleague(self, company: str, name: str) -> tuple[str, str] | None:
        """The persona ``name``'s role's person in this company (their token), if it has one."""
        role = PERSONAS[name]
        return (name, self.tokens[role]) if role in self.tokens else None

    def teardown(self) -> None:
        """At the history's end, the company's analytics agree with its records once the store has caught up
        (``support.invariants.analytics_agree``: read again for a few seconds, so once a history, not a step)."""
        try:
            if hasattr(self, "api") and sys.exc_info()[0] is None:  # a history that failed is told as it failed
                db = DatabaseInspector(self.env["DATABASE_URL"])
                reads = analytics_agree.reader(self.env["PLATFORM_URL"], self.tokens["owner"])
                disagreeing = analytics_agree.of_company(db, lambda: reads, self.slug, self.company)
                assert not disagreeing, "the analytics disagree with the records:\n  - " + "\n  - ".join(disagreeing)
        finally:
            stop_recording()

    @invariant()
    def the_audit_trail_is_complete_and_intact(self) -> None:
        if not hasattr(self, "api"):
            return
        owner = self.api["owner"]
        assert owner.get(Compliance.AUDIT_VERIFY).expect_ok("verify")["intact"], "the audit chain is broken"
        entries = owner.get(Compliance.AUDIT, limit=1000).expect_ok("audit")
        actions = [e["action"] for e in entries]
        assert actions.count("payment_received") == self.accepted_payments, "payments accepted and audited"
        assert actions.count("refund_issued") == self.accepted_refunds, "refunds accepted and audited"
        company = SimpleNamespace(
            id=self.company,
            slug=self.slug,
            actors={name: SimpleNamespace(user_id=user) for name, user in self.user_ids.items()},
        )
        world = SimpleNamespace(home=company, others={}, db=DatabaseInspector(self.env["DATABASE_URL"]))
        world.tenant = lambda label=None: company
        unaudited = audited_writes.missing(world, self.recorder)
        rows = world.db.company_fingerprint(self.company)
        unaudited += references.entries_astray(entries, self.company, self.slug, rows)
        assert not unaudited, "a write is not in the audit trail as itself:\n  - " + "\n  - ".join(unaudited)


def _explore(env: dict[str, str], examples: int, steps: int, *, shrink: bool = True) -> None:
    """Runs the machine; a failure is shrunk to the shortest history that shows it unless ``shrink`` is False
    (each history replays against the live platform: shrinking can take minutes)."""
    LeadToCash.env = env
    LeadToCash.TestCase.settings = settings(
        phases=list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate],
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=os.environ.get("EXPLORE_RANDOMLY") is None,
        print_blob=True,
        database=None,
    )
    LeadToCash.TestCase().runTest()


def test_lead_to_cash_histories_keep_money_life_cycle_and_audit(stack):
    _explore(stack.env, EXAMPLES, STEPS)


def test_the_exploration_finds_a_payment_left_out_of_the_audit_trail():
    """The same exploration against a platform with a planted defect (a payment not audited) fails."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="payment-not-audited") as planted, pytest.raises(AssertionError, match="audited"):
        _explore(planted.env, PLANTED_EXAMPLES, STEPS, shrink=False)


def test_the_exploration_finds_an_audit_entry_about_another_record():
    """The same exploration against a platform that audits a won deal's project under the deal's id fails."""
    from support.stack.stack import Stack

    planted_defect = "project-opened-audited-under-its-deal"
    with Stack({}, planted_defect=planted_defect) as planted, pytest.raises(AssertionError, match="no project"):
        _explore(planted.env, PLANTED_EXAMPLES, STEPS, shrink=False)


def test_the_exploration_checks_every_answer_as_every_scenario_does():
    """Against a platform whose answers no longer say nosniff (a planted defect): the first history fails."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="nosniff-header-dropped") as planted:
        with pytest.raises(AssertionError, match="a rule that holds everywhere was broken"):
            _explore(planted.env, 1, 3, shrink=False)


def test_the_exploration_tries_every_record_as_another_company():
    """Against a platform that looks one invoice up in every company (a planted defect): the stranger is shown it."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="invoice-read-without-tenant-filter") as planted:
        with pytest.raises(AssertionError, match="The owner of another company was answered 200, not 404"):
            _explore(planted.env, PLANTED_EXAMPLES, 6, shrink=False)


def test_the_exploration_reads_the_reports_in_every_state():
    """Against a platform whose forecast counts won deals as open (a planted defect): the first history, which wins
    a deal, fails on the forecast."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="forecast-counts-won-deals") as planted:
        with pytest.raises(AssertionError, match="the forecast's open amount for explore-"):
            _explore(planted.env, PLANTED_EXAMPLES, 6, shrink=False)


def test_the_exploration_reads_the_analytics_at_each_historys_end():
    """Against a platform whose funnel counts the payments, not the invoices paid (a planted defect): a history that
    pays an invoice in parts fails on the analytics."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="invoices-paid-in-parts-counted-again") as planted:
        with pytest.raises(AssertionError, match=r"the analytics' funnel for explore-.* at its paid stage"):
            _explore(planted.env, PLANTED_EXAMPLES, STEPS, shrink=False)


def test_the_exploration_tries_every_right_by_a_role_without_it():
    """Against a platform that answers a payment's key sent again before it checks the right (a planted defect):
    the salesperson sending the finance person's payment again is given its answer."""
    from support.stack.stack import Stack

    with Stack({}, planted_defect="payment-right-checked-once-per-key") as planted:
        with pytest.raises(AssertionError, match=r"Sam \(sales, without the right payments:write\) was answered 20"):
            _explore(planted.env, PLANTED_EXAMPLES, STEPS, shrink=False)
