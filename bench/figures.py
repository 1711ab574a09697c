"""The Figures table of docs/figures.md, drawn from the figures the benchmarks recorded in bench/figures/.

    .venv/bin/python -m bench.figures --write    # redraws the table in docs/figures.md
    .venv/bin/python -m bench.figures            # prints it

One JSON file per row. A benchmark records its own row each time it runs
(``record``), keeping its last two invocations, with the date, the tree and
the machine; a figure measured once by hand is a file written the same way.
A test fails when docs/figures.md's table is not the one drawn from these files, so
a figure cannot be edited in the README without the run behind it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIGURES = Path(__file__).parent / "figures"
README = ROOT / "docs" / "figures.md"
START = "<!-- figures: drawn from bench/figures/ by `python -m bench.figures --write`; edit those, not this -->"
END = "<!-- /figures -->"


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def tree() -> str:
    """The commit measured, marked when the working tree had changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app", "support"], cwd=ROOT, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty.strip() else "")


def previous_runs(key: str) -> list[dict[str, Any]]:
    path = FIGURES / f"{key}.json"
    return json.loads(path.read_text()).get("runs", []) if path.exists() else []


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` of the way up ``values`` (0.95: the 95th percentile, nearest rank); NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def runs_alike(key: str, run: dict[str, Any], *same: str) -> list[dict[str, Any]]:
    """The earlier runs of ``key`` and ``run`` after them; ``run`` alone when an earlier one was made with other
    ``same`` parameters (its figure would not compare)."""
    runs = [*previous_runs(key), run]
    return runs if all(r.get(name) == run[name] for r in runs for name in same) else [run]


def record(key: str, *, order: int, what: str, figure: str, command: str, runs: list[dict[str, Any]]) -> Path:
    """Writes the row ``key``; ``runs`` are the invocations the figure was drawn from (the last two kept)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{key}.json"
    row = {
        "order": order,
        "what": what,
        "figure": figure,
        "command": f"`{command}`",
        "measured": datetime.date.today().isoformat(),
        "tree": tree(),
        "machine": machine(),
        "runs": runs[-2:],
    }
    path.write_text(json.dumps(row, indent=2) + "\n")
    print(f"figures: {path.relative_to(ROOT)} recorded; `python -m bench.figures --write` redraws docs/figures.md")
    return path


def table() -> str:
    rows = sorted((json.loads(p.read_text()) for p in FIGURES.glob("*.json")), key=lambda r: r["order"])
    lines = ["| what | figure | measured | command |", "|---|---|---|---|"]
    for row in rows:
        when = f"{row['measured']}, tree {row['tree']}" if row.get("tree") else row["measured"]
        lines.append(f"| {row['what']} | {row['figure']} | {when} | {row['command']} |")
    return "\n".join(lines)


def drawn(readme: str) -> str:
    """README text with the figures table between the markers drawn afresh."""
    head, found, rest = readme.partition(START)
    if not found or END not in rest:
        raise SystemExit(f"figures: docs/figures.md has no {START!r} ... {END!r} block")
    return head + START + "\n" + table() + "\n" + END + rest.partition(END)[2]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="redraw the table in docs/figures.md")
    args = parser.parse_args(argv)
    if args.write:
        README.write_text(drawn(README.read_text()))
        print("figures: docs/figures.md redrawn")
    else:
        print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
