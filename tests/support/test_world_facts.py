"""The scenario's memory is typed: facts on records per area (support/scenario/facts.py), no string keys, and
each module's docstring lists the facts it writes, as its code writes them."""

from __future__ import annotations

import ast
import re

from support.report.layout import REPO_ROOT

MODULES = sorted((REPO_ROOT / "support").rglob("*.py"))


def _facts_written(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        )
        for target in targets:
            for sub in ast.walk(target):
                holder = sub.value if isinstance(sub, ast.Subscript) else sub
                if (
                    isinstance(holder, ast.Attribute)
                    and isinstance(holder.value, ast.Attribute)
                    and getattr(holder.value.value, "id", "") == "world"
                ):
                    found.add(f"{holder.value.attr}.{holder.attr}")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "append":
            held = node.func.value  # type: ignore[attr-defined]
            if (
                isinstance(held, ast.Attribute)
                and isinstance(held.value, ast.Attribute)
                and getattr(held.value.value, "id", "") == "world"
            ):
                found.add(f"{held.value.attr}.{held.attr}")
    return found


def test_no_module_keeps_the_scenarios_memory_under_a_string_key():
    said = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in [*MODULES, *sorted((REPO_ROOT / "steps").glob("*.py"))]
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\b(remember|remember_also|recall|knows)\(", line)
    ]
    assert said == []


def test_each_area_module_names_the_facts_it_writes():
    wrong = []
    for path in sorted((REPO_ROOT / "support" / "areas").rglob("*.py")):
        tree = ast.parse(path.read_text())
        written = _facts_written(tree)
        doc = ast.get_docstring(tree) or ""
        listed = (
            set(re.findall(r"``([a-z_]+\.[a-z_]+)``", doc.split("World facts written here:")[-1]))
            if "World facts written here:" in doc
            else set()
        )
        if written and "World facts written here:" not in doc:
            wrong.append(f"{path.relative_to(REPO_ROOT)} writes {sorted(written)} and does not say so")
        elif listed != written and "World facts written here:" in doc:
            wrong.append(f"{path.relative_to(REPO_ROOT)} says {sorted(listed)}, writes {sorted(written)}")
    assert wrong == []
