"""The Layout section of docs/layout.md, drawn from the tree: every package with its docstring and its modules.

    .venv/bin/python -m support.report.layout           # prints the section
    .venv/bin/python -m support.report.layout --write   # writes it into docs/layout.md

``tests/support/test_readme_layout.py`` fails when docs/layout.md and the tree drift apart.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LAYOUT_DOC = REPO_ROOT / "docs" / "layout.md"
HEADING = "## Layout"
FOLDERS = {  # folders that are not packages, with what lives there
    "features": "Gherkin, one folder per business area",
    "steps": "one- or two-line step definitions calling `support/`, one module per area",
    "tests": "pytest for the platform's rules, its HTTP contracts and the harness",
    "bench": "benchmarks, each measured against a yardstick in the same run",
}
PACKAGE_ROOTS = ("app", "support")


def _docstring(path: Path) -> str:
    text = ast.get_docstring(ast.parse(path.read_text())) or ""
    return text.split("\n\n")[0].replace("\n", " ").strip()


def _modules(folder: Path, suffix: str = ".py") -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix) and p.name != "__init__.py"
    )


def _packages(root: Path) -> list[Path]:
    found = [root]
    for child in sorted(p for p in root.iterdir() if (p / "__init__.py").is_file()):
        found += _packages(child)
    return found


def rows(repo: Path = REPO_ROOT) -> list[tuple[str, str]]:
    drawn = []
    for name, meaning in FOLDERS.items():
        folder = repo / name
        if name == "features":
            inside = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_dir()))
        elif name == "tests":
            inside = ", ".join(
                sorted(
                    p.name + "/"
                    for p in folder.iterdir()
                    if p.is_dir() and p.name[0] != "_" and p.name != "__pycache__"
                )
            )
        else:
            inside = ", ".join(_modules(folder))
        drawn.append((f"{name}/", f"{meaning}: {inside}"))
    drawn.append(("environment.py", _docstring(repo / "environment.py")))
    for root in PACKAGE_ROOTS:
        for package in _packages(repo / root):
            modules = _modules(package)
            listing = f" Modules: {', '.join(modules)}." if modules else ""
            drawn.append((f"{package.relative_to(repo)}/", _docstring(package / "__init__.py") + listing))
    return drawn


def section(repo: Path = REPO_ROOT) -> str:
    lines = [
        HEADING,
        "",
        "Drawn from the tree by `.venv/bin/python -m support.report.layout --write`; a test fails when the two differ.",
        "",
        "| path | what lives there |",
        "|---|---|",
    ]
    lines += [f"| `{path}` | {meaning.replace('|', '/')} |" for path, meaning in rows(repo)]
    return "\n".join(lines) + "\n"


def readme_section(readme: str) -> str:
    """The README's Layout section as written, from its heading to the next heading."""
    start = readme.index(HEADING + "\n")
    end = readme.find("\n## ", start + len(HEADING))
    return readme[start : end + 1 if end != -1 else len(readme)]


def main(argv: list[str]) -> int:
    if argv and argv[0] != "--write":
        print("usage: python -m support.report.layout [--write]", file=sys.stderr)
        return 2
    drawn = section()
    if not argv:
        print(drawn, end="")
        return 0
    readme_path = LAYOUT_DOC
    readme = readme_path.read_text()
    readme_path.write_text(readme.replace(readme_section(readme), drawn + "\n"))
    print(f"layout: {len(rows())} rows written to {LAYOUT_DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
