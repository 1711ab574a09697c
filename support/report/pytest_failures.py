"""pytest's failures as the terminal shows the specification's: each test's file and name, the first lines
of its message, and where its whole output is (read from pytest's JUnit file).

    .venv/bin/python -m support.report.pytest_failures reports/pytest.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MESSAGE_LINES = 6


def blocks(junit: Path, full_output: str = "reports/pytest.txt") -> list[str]:
    """One block per failed or errored test."""
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError):
        return []
    found = []
    for case in root.iter("testcase"):
        for problem in [*case.findall("failure"), *case.findall("error")]:
            where = f"{case.get('file') or case.get('classname', '').replace('.', '/') + '.py'}::{case.get('name')}"
            text = (problem.get("message") or problem.text or "").strip().splitlines()
            lines = [f"✗ {problem.tag.upper()} {where}"]
            lines += [f"    {line[:110]}" for line in text[:MESSAGE_LINES]]
            lines.append(f"  whole output: {full_output}")
            found.append("\n".join(lines))
    return found


def main(argv: list[str]) -> int:
    for block in blocks(Path(argv[0] if argv else "reports/pytest.xml")):
        print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
