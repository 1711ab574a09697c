"""A module's docstring names no library the module does not use: the stale kind ("the model over httpx" in a
module on aiohttp) is found by a test, not by a reader."""

from __future__ import annotations

import ast
import re

from support.report.layout import REPO_ROOT

# Libraries a docstring may name, as code spells them (the services "Redis" or "PostgreSQL" are not libraries)
LIBRARIES = ("psycopg", "asyncpg", "httpx", "aiohttp", "requests", "websockets", "uvicorn", "orjson", "chdb")
# A library named where another module uses it: (module, library) -> the module that does
NAMED_FROM_ELSEWHERE = {
    ("app/adapters/unit_of_work.py", "asyncpg"): "app/bootstrap.py",  # the asyncio engine is made there
    ("app/adapters/model_client.py", "httpx"): None,  # named as what was measured against and not chosen
}


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _stale_library_names() -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / "app").rglob("*.py")):
        module = path.relative_to(REPO_ROOT).as_posix()
        tree = ast.parse(path.read_text())
        doc = ast.get_docstring(tree) or ""
        for library in LIBRARIES:
            # "requests" is also an English word: as a library it is written ``requests``
            spelled = rf"``{library}``" if library == "requests" else rf"\b{library}\b"
            if not re.search(spelled, doc) or library in _imported(tree):
                continue
            if (module, library) in NAMED_FROM_ELSEWHERE:
                elsewhere = NAMED_FROM_ELSEWHERE[(module, library)]
                if elsewhere is None or library in (REPO_ROOT / elsewhere).read_text():
                    continue
            found.append(f"{module} names {library}, which it does not use")
    return found


def test_no_module_docstring_names_a_library_the_module_does_not_use():
    assert _stale_library_names() == []


def test_the_exceptions_still_hold():
    for (module, library), elsewhere in NAMED_FROM_ELSEWHERE.items():
        assert library in (REPO_ROOT / module).read_text(), f"{module} no longer names {library}: drop its exception"
        if elsewhere is not None:
            assert library in (REPO_ROOT / elsewhere).read_text(), f"{elsewhere} no longer uses {library}"
