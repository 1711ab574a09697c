"""The audit's verdicts as a terminal table, a Markdown report and JSON."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path

from support.defects.catalogue import defect_named
from support.runners.audit_results import ScenarioOutcome, Verdict

SHOWN = 2  # scenario names per row in the terminal; the Markdown report lists them all


def _caught_by(verdict: Verdict) -> str:
    if verdict.problem:
        return verdict.problem
    if not verdict.catching:
        return "no scenario failed: write one"
    names = sorted({o.name for o in verdict.catching})
    more = f" (+{len(names) - SHOWN} more)" if len(names) > SHOWN else ""
    crash = " (each as the platform failing: check the defect still fits the code it patches)"
    return f"{len(verdict.catching)}: " + "; ".join(names[:SHOWN]) + more + (crash if verdict.only_as_a_crash else "")


def print_table(control: Verdict, verdicts: list[Verdict], wall_seconds: float, folder: Path) -> None:
    width = max(len(v.defect) for v in [control, *verdicts])
    control_result = "RUN FAILED" if control.problem else "FAILED" if control.catching else "passed"
    control_text = control.problem or (
        f"{len(control.catching)} of {control.scenarios} scenarios failed"
        if control.catching
        else f"all {control.scenarios} scenarios passed"
    )
    print()
    print(f"{'defect':<{width}}  {'result':<10}  {'time':>6}  scenarios that caught it")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 6}  {'-' * 40}")
    rows = [(control.defect, control_result, control.seconds, control_text)]
    rows += [(v.defect, v.result, v.seconds, _caught_by(v)) for v in verdicts]
    for defect, result, seconds, text in rows:
        lines = textwrap.wrap(text, 100) or [""]
        print(f"{defect:<{width}}  {result:<10}  {seconds:>5.0f}s  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {'':<10}  {'':>6}  {line}")
    caught = sum(v.caught for v in verdicts)
    crashes = sum(v.only_as_a_crash for v in verdicts)
    print(
        f"\naudit-spec: {caught} of {len(verdicts)} defects caught"
        f"{f' ({crashes} only as the platform failing)' if crashes else ''}; wall time {wall_seconds:.0f} s; "
        f"details in {folder / 'audit.md'}"
    )


def _listed(outcome: ScenarioOutcome) -> str:
    return f"- `{outcome.location}` {outcome.name}  \n  {outcome.failed_step}: {outcome.error[:300]}"


def write_reports(folder: Path, control: Verdict, verdicts: list[Verdict], selection: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    scope = " ".join(selection) or "the whole specification"
    lines = [
        "# Planted-defect audit",
        "",
        "A scenario catches a defect when it failed with it twice and passed without it twice.",
        "",
        f"Scope: {scope}. Control run: "
        + (control.problem or f"{control.scenarios - len(control.catching)} of {control.scenarios} passed")
        + ".",
        "",
        "| defect | what it does | result | scenarios that caught it | time |",
        "|---|---|---|---|---|",
    ]
    for v in verdicts:
        lines.append(
            f"| {v.defect} | {defect_named(v.defect).summary} | {v.result} | "
            f"{v.problem or len(v.catching)} | {v.seconds:.0f} s |"
        )
    for v in [control, *verdicts]:
        if v.catching:
            lines += ["", f"## {v.defect}: {'failed without any defect' if v is control else 'caught by'}", ""]
            lines += [_listed(o) for o in v.catching]
        if v.unconfirmed:
            lines += ["", f"## {v.defect}: failed once, not again (not counted)", ""]
            lines += [_listed(o) for o in v.unconfirmed]
    (folder / "audit.md").write_text("\n".join(lines) + "\n")
    (folder / "audit.json").write_text(
        json.dumps(
            {
                "scope": scope,
                "control": asdict(control),
                "defects": [asdict(v) | {"result": v.result} for v in verdicts],
            },
            indent=2,
        )
        + "\n"
    )
