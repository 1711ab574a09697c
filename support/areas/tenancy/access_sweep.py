"""Tries every tenant operation of the platform as the wrong caller, and says what each answered.

Three attacks, each on records of one tenant: a user of another tenant (told
the record does not exist), no token at all (asked to sign in), and each role
without the right the operation declares (refused). The rights come from the
feature's table, so the rule is written once, where the product owner reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from support.areas.compliance.checks import SECURITY
from support.clients.openapi_operations import Operation, RequestMaker, tenant_operations
from support.clients.paths import Compliance
from support.clients.platform_api import Answer, PlatformApi
from support.report.evidence import attach_text


@dataclass(frozen=True)
class Attempt:
    operation: str
    attack: str
    expected: str
    got: int
    held: bool


class AccessSweep:
    def __init__(self, document: dict[str, Any], records: dict[str, str]) -> None:
        self.operations = tenant_operations(document)
        self.records = records
        self._requests = RequestMaker(document, records)

    def _send(self, api: PlatformApi, op: Operation) -> Answer:
        return api.call(
            op.method,
            self._requests.path(op),
            json=self._requests.body(op),
            params=self._requests.params(op) or None,
            headers=self._requests.headers(op),
        )

    def as_other_tenant(self, intruder: PlatformApi) -> list[Attempt]:
        """Operations naming the records answer 404; lists answer without any of them."""
        attempts = []
        for op in self.operations:
            if self._requests.references_records(op):
                answer = self._send(intruder, op)
                attempts.append(Attempt(op.name, "as another tenant", "404", answer.status, answer.status == 404))
            elif op.method == "GET":
                answer = self._send(intruder, op)
                leaked = [v for v in self.records.values() if v in str(answer.body)]
                attempts.append(
                    Attempt(
                        op.name,
                        "as another tenant",
                        "200 without the records",
                        answer.status,
                        answer.status == 200 and not leaked,
                    )
                )
        return attempts

    def without_token(self, anonymous: PlatformApi) -> list[Attempt]:
        attempts = []
        for op in self.operations:
            answer = self._send(anonymous, op)
            attempts.append(Attempt(op.name, "without a token", "401", answer.status, answer.status == 401))
        return attempts

    def by_role(self, callers: dict[str, PlatformApi], rights: dict[str, set[str]]) -> list[Attempt]:
        """A role without the operation's right is refused (403); one with it may read (200)."""
        undeclared = sorted({op.permission for op in self.operations if op.permission} - set().union(*rights.values()))
        if undeclared:
            raise AssertionError(f"the rights table does not say who may {undeclared}")
        attempts = []
        for op in self.operations:
            if op.permission is None:
                continue
            for role, api in callers.items():
                allowed = op.permission in rights[role]
                if not allowed:
                    answer = self._send(api, op)
                    attempts.append(
                        Attempt(op.name, f"as {role} (no {op.permission})", "403", answer.status, answer.status == 403)
                    )
                elif op.method == "GET":
                    answer = self._send(api, op)
                    attempts.append(
                        Attempt(op.name, f"as {role} ({op.permission})", "200", answer.status, answer.status == 200)
                    )
        return attempts

    def snapshot(self, owner: PlatformApi) -> dict[str, Any]:
        """What the records' owner sees of them: every read that names a record, and the audit trail's
        business entries (a refusal is a security event of the trail by design, not a change of a record)."""
        reads = [op for op in self.operations if op.method == "GET" and op.path_params]
        seen = {op.name: self._send(owner, op).body for op in reads}
        seen["audit trail"] = [e for e in owner.get(Compliance.AUDIT).body if e["action"] not in SECURITY]
        return seen


def attach_attempts(title: str, attempts: list[Attempt]) -> None:
    """The table of every attempt, for the report; failures first."""
    rows = sorted(attempts, key=lambda a: (a.held, a.operation, a.attack))
    width = max((len(a.operation) for a in rows), default=10)
    lines = [f"{'operation':<{width}}  {'attack':<44} {'expected':<24} got  held"]
    lines += [
        f"{a.operation:<{width}}  {a.attack:<44} {a.expected:<24} {a.got:<4} {'yes' if a.held else 'NO'}" for a in rows
    ]
    attach_text(f"{title}: {sum(a.held for a in attempts)} of {len(attempts)} held", "\n".join(lines))
