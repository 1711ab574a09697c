"""Every parameter a step captures is used: the person or company the feature names is the one that acts."""

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
