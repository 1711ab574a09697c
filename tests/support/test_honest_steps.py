"""Honest steps: every parameter a step captures is used (all of it), and every step says in one line what it does."""

import ast
import re
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


# The parts of a step type's value: a step that reads some of them and never passes the value on whole drops the rest
PARTS: dict[str, set[object]] = {"Money": {"amount", "currency"}, "Someone": {0, 1}}


def _parts_read(function: ast.FunctionDef, name: str) -> set[object] | None:
    """The parts of parameter ``name`` the step reads (an index or an attribute), or None when it passes it whole."""
    parents = {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    read: set[object] = set()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Constant):
            read.add(parent.slice.value)
        elif isinstance(parent, ast.Attribute) and parent.value is node:
            read.add(parent.attr)
        else:
            return None
    return read


def _steps_dropping_part_of_a_parameter(source: str, file_name: str) -> list[str]:
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") in STEP_DECORATORS):
                continue
            text = "".join(a.value for a in decorator.args if isinstance(a, ast.Constant))
            for name, kind in re.findall(r"\{(\w+):(\w+)\}", text):
                read = _parts_read(node, name)
                if kind in PARTS and read is not None and PARTS[kind] - read:
                    dropped = sorted(map(str, PARTS[kind] - read))
                    found.append(f"{file_name}:{node.lineno} {node.name} drops {dropped} of {name} ({kind})")
    return sorted(set(found))


def test_no_step_drops_part_of_what_its_text_captures():
    """ "pays 1,000.00 USD" checked as if it said EUR: a step passing on only the amount drops the currency."""
    found = []
    for path in sorted((REPO_ROOT / "steps").glob("*.py")):
        found += _steps_dropping_part_of_a_parameter(path.read_text(), path.name)
    assert found == []


def test_a_step_passing_on_only_the_amount_is_seen_dropping_the_currency():
    source = (
        "@then('the total is {total:Money}')\n"
        "def step_total(context, total):\n"
        "    check(context.world, total[0])\n"
        "@then('the due is {due:Money}')\n"
        "def step_due(context, due):\n"
        "    check(context.world, due.amount)\n"
        "@then('it is {paid:Money}')\n"
        "def step_paid(context, paid):\n"
        "    check(context.world, *paid)\n"
    )
    assert _steps_dropping_part_of_a_parameter(source, "x.py") == [
        "x.py:2 step_total drops ['amount', 'currency'] of total (Money)",
        "x.py:5 step_due drops ['currency'] of due (Money)",
    ]


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
