"""The platform's addresses are written in one place: ``support/clients/paths.py``.

A route renamed on the platform is then changed in one module of the harness;
this test fails on any other module of ``support/`` (or a step) that spells a
path of the platform's API itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUTE = re.compile(r"@router\.(?:get|post|put|patch|delete)\(\s*\"/([a-z_-]+)")
OWN_ADDRESSES = ("doubles",)  # the doubles serve their own routes (a double's /health is not the platform's)
THE_ONE_PLACE = ROOT / "support" / "clients" / "paths.py"


def _route_roots() -> set[str]:
    """The first segment of every route the platform declares, and the API's prefix."""
    roots = {"api"}
    for module in (ROOT / "app" / "entrypoints").rglob("*.py"):
        roots.update(ROUTE.findall(module.read_text()))
    return roots


def _spelled_paths(roots: set[str]) -> list[str]:
    found = []
    modules = [*(ROOT / "support").rglob("*.py"), *(ROOT / "steps").rglob("*.py")]
    for module in modules:
        if module == THE_ONE_PLACE or any(part in OWN_ADDRESSES for part in module.parts):
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                head = re.match(r"/([a-z_-]+)(?:/|$|\?)", node.value)
                if head and head[1] in roots:
                    found.append(f"{module.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


def test_the_platform_declares_routes_this_test_can_read() -> None:
    assert {"leads", "invoices", "health", "metrics"} <= _route_roots()


def test_no_module_but_paths_spells_a_platform_path() -> None:
    assert _spelled_paths(_route_roots()) == [], "use support.clients.paths instead"
