"""The fast loop's targets against what the last runs measured: printed by `make bench`.

Reads reports/bench/stack_startup.json, reports/bench/spec_wall_time.json and
reports/timings.txt (every scenario's time from the last `make spec`); a
figure not measured yet says so.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

REPORTS = Path("reports")


def _json(name: str) -> dict | None:
    path = REPORTS / "bench" / name
    return json.loads(path.read_text()) if path.exists() else None


def lines() -> list[str]:
    out = []
    startup = _json("stack_startup.json")
    out.append(
        f"stack start-up (median of {startup['runs']}): {startup['start_s']['median']:.2f} s, target 2 s"
        + (" - met" if startup["start_s"]["median"] <= 2 else " - missed")
        if startup
        else "stack start-up: not measured (python -m bench.stack_startup --runs 5)"
    )
    wall = _json("spec_wall_time.json")
    out.append(
        f"make spec: {wall['sequential_median_s']:.1f} s sequential, target 30 s"
        + (" - met" if wall["sequential_median_s"] <= 30 else " - missed")
        if wall
        else "make spec: not measured (python -m bench.spec_wall_time --jobs 2)"
    )
    out.append(
        f"JOBS={wall['jobs']}: {wall['speed_up']:.2f}x faster than sequential, target 1.5x"
        + (" - met" if wall["speed_up"] >= 1.5 else " - missed")
        if wall
        else "parallel speed-up: not measured"
    )
    timings = REPORTS / "timings.txt"
    if timings.exists():
        seconds = [float(line.split("\t")[0]) for line in timings.read_text().splitlines() if line.strip()]
        median = statistics.median(seconds)
        out.append(
            f"median scenario ({len(seconds)} in the last make spec): {median:.2f} s, target 0.15 s"
            + (" - met" if median <= 0.15 else " - missed")
        )
    else:
        out.append("median scenario: not measured (make spec)")
    return out


if __name__ == "__main__":
    print("\n".join(f"target: {line}" for line in lines()))
