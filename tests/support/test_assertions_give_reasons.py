"""Every check says what it checks, in business words: a failure names the rule, not just two values."""

from __future__ import annotations

import ast

from support.report.layout import REPO_ROOT


def _without_a_reason() -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / "support").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "assert_that"):
                continue
            described = len(node.args) == 2 and getattr(getattr(node.args[1], "func", None), "id", "") == "described_as"
            if len(node.args) < 3 and not described and not any(k.arg == "reason" for k in node.keywords):
                found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    return found


def test_every_assertion_of_the_harness_states_its_reason():
    assert _without_a_reason() == [], "assert_that with no reason (a third argument, or described_as)"
