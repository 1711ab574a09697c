"""The assistant's burst at growing crowds on this machine, each size against the yardstick at the same size.

    .venv/bin/python -m bench.scale_curve                        # 250, 500, 1,000 and 2,000 people at once
    .venv/bin/python -m bench.scale_curve --people 100,200 --companies 10

Starts the embedded stack (two platform instances), makes the largest crowd once
(``--companies`` companies), and for each size takes that many people spread
evenly over the companies and runs ``bench.assistant_load``'s burst: everyone
asks the two-tool question at the same instant over both instances, first on
the yardstick (a bare socket speaking the same protocol), then on the platform.
Each size gives the p95 of both, the platform's CPU per question and the share
of people first told busy.

Writes reports/bench/scale_curve.json, the chart docs/figures/scale_curve.svg
(linked from docs/figures.md, attached by ``make perf`` to its report) and the
curve's row of docs/figures.md (bench/figures/scale_curve.json). Exit code 1
when a question was lost, doubled, misrouted, out of order or unanswered at
any size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench import figures
from bench.assistant_load import OUT, against_the_yardstick, arguments, broken_count, provision
from support.areas.performance.charts import curve
from support.stack.stack import Stack

CHART = figures.ROOT / "docs" / "figures" / "scale_curve.svg"
SIZES = (250, 500, 1000, 2000)


def spread(made: list[Any], companies: int, size: int) -> list[Any]:
    """``size`` of the people ``made`` company by company, taken a person from each company in turn, so that a
    small crowd is spread over every company as a large one is."""
    per_company = len(made) // companies
    turns = [made[c * per_company + k] for k in range(per_company) for c in range(companies)]
    return turns[:size]


def one_size(stack: Stack, made: list[Any], companies: int, size: int, scratch: Path) -> dict[str, Any]:
    people = scratch / f"people-{size}.json"
    people.write_text(json.dumps([m.token for m in spread(made, companies, size)]))
    bare, measured = against_the_yardstick(
        stack, arguments(["--sessions", str(size), "--companies", str(companies)]), people
    )
    return {
        "people": size,
        "p95_s": measured["p95_s"],
        "yardstick_p95_s": bare["p95_s"],
        "wall_s": measured["wall_s"],
        "yardstick_wall_s": bare["wall_s"],
        "cpu_ms": measured["cpu_ms_per_question"],
        "machine_cpu_ms": measured["machine_cpu_ms_per_question"],
        "busy_share": round(measured["busy retries"] / size, 3),
        "broken": broken_count(measured),
    }


def chart(points: list[dict[str, Any]]) -> str:
    """Three curves over the crowd's size, one above the other in one SVG."""
    sizes = [p["people"] for p in points]
    parts = [
        curve(
            "the slowest twentieth's wait (p95, s)",
            sizes,
            {"platform": [p["p95_s"] for p in points], "yardstick": [p["yardstick_p95_s"] for p in points]},
            "people asking at the same instant over both instances",
        ),
        curve(
            "CPU per question answered (ms)",
            sizes,
            {"platform": [p["cpu_ms"] for p in points], "whole machine": [p["machine_cpu_ms"] for p in points]},
            "people asking at the same instant over both instances",
        ),
        curve(
            "share first told busy (%)",
            sizes,
            {"platform": [round(100 * p["busy_share"], 1) for p in points]},
            "people asking at the same instant over both instances",
        ),
    ]
    inner = "".join(f"<g transform='translate(0,{260 * n})'>{part}</g>" for n, part in enumerate(parts))
    return f"<svg xmlns='http://www.w3.org/2000/svg' width='640' height='{260 * len(parts)}'>{inner}</svg>"


def record(points: list[dict[str, Any]], companies: int, command: str) -> None:
    run = {"people": [p["people"] for p in points], "companies": companies, "points": points}
    runs = figures.runs_alike("scale_curve", run, "people", "companies")

    def one(r: dict[str, Any]) -> str:
        return "; ".join(
            f"{p['people']:,}: p95 {p['p95_s']} s ({p['p95_s'] / p['yardstick_p95_s']:.1f}× the yardstick's "
            f"{p['yardstick_p95_s']} s), {p['cpu_ms']} ms CPU a question, {100 * p['busy_share']:.0f} % told busy"
            for p in r["points"]
        )

    figures.record(
        "scale_curve",
        order=41,
        what="assistant, scale curve: the burst at "
        + ", ".join(f"{size:,}" for size in run["people"])
        + f" people at once ({companies} companies) over both platform instances, each size against the yardstick"
        " at that size in the same run; the load client on the same machine; chart: docs/figures/scale_curve.svg",
        figure=f"{len(runs[-2:])} run(s): " + " — then ".join(one(r) for r in runs[-2:]),
        command=command,
        runs=runs,
    )


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--people",
        default=",".join(str(size) for size in SIZES),
        help="crowd sizes, comma-separated, in the order run (default 250,500,1000,2000)",
    )
    parser.add_argument("--companies", type=int, default=40, help="companies the people belong to (default 40)")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.people.split(",")]
    except ValueError:
        parser.error(f"--people takes whole numbers separated by commas, not {args.people!r}")
    if len(args.sizes) < 2 or min(args.sizes) < args.companies or args.companies < 1:
        parser.error("--people needs two sizes or more, each at least --companies (at least 1)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    points = []
    with Stack() as stack, tempfile.TemporaryDirectory(prefix="scale-curve-") as scratch:
        made = provision(stack, max(args.sizes), args.companies)
        for size in args.sizes:
            points.append(one_size(stack, made, args.companies, size, Path(scratch)))
            print(f"bench: {size:,} people: {points[-1]}", flush=True)
    (OUT / "scale_curve.json").write_text(json.dumps({"machine": figures.machine(), "points": points}, indent=2))
    CHART.parent.mkdir(parents=True, exist_ok=True)
    CHART.write_text(chart(points))
    command = ".venv/bin/python -m bench.scale_curve" + (
        "" if args.sizes == list(SIZES) else f" --people {args.people}"
    )
    if args.companies != 40:
        command += f" --companies {args.companies}"
    record(points, args.companies, command)
    print(f"bench: the curve is drawn in {CHART.relative_to(figures.ROOT)}")
    return 1 if any(p["broken"] for p in points) else 0


if __name__ == "__main__":
    raise SystemExit(main())
