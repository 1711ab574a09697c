"""Honest steps: every parameter a step captures is used, and every step says in one line what it does."""

import ast
from pathlib import Path

from support.report.layout import REPO_ROOT

STEP_DECORATORS = {"given", "when", "then", "step"}


def _steps_ignoring_a_parameter() -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / "steps").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            texts = [
                d.args[0].value
                for d in node.decorator_list
                if isinstance(d, ast.Call) and getattr(d.func, "id", "") in STEP_DECORATORS and d.args
            ]
            if not texts:
                continue
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            ignored = [a.arg for a in node.args.args[1:] if a.arg not in used]
            if ignored:
                found.append(f"{Path(path).name}:{node.lineno} {node.name} ignores {ignored} of {texts[0]!r}")
    return found


def test_no_step_ignores_what_its_text_captures():
    assert _steps_ignoring_a_parameter() == []


def _steps_without_a_one_line_docstring() -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / "steps").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            is_step = isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") in STEP_DECORATORS for d in node.decorator_list
            )
            if not is_step:
                continue
            doc = ast.get_docstring(node) or ""
            if not doc or "\n" in doc.strip() or not doc.rstrip().endswith("."):
                found.append(f"{Path(path).name}:{node.lineno} {node.name}")
    return found


def test_every_step_says_what_it_does_in_one_line():
    """The step catalogue (make docs, behave --steps-catalog) shows each step's one-line docstring."""
    assert _steps_without_a_one_line_docstring() == []
