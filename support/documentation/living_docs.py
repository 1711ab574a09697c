"""The living documentation: the whole specification as one page a product owner reads.

    .venv/bin/python -m support.documentation.living_docs [--results reports/allure-results] [--out reports/docs/index.html]

Every feature (by business area) with its narrative, its rules and tags, and every
scenario with its steps and its result in the last run (passed, failed, broken,
skipped, or not run); the cast of personas and what each may do (from the
platform's one role table); the tag legend; the step catalogue with each step's
one-line docstring. One self-contained HTML file, no script, built from the
feature files, ``steps/`` and the last run's Allure results (``make docs``).

No existing generator fits: Pickles is .NET and reads no behave results, Relish
is gone, and Allure shows only what ran.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from behave.model import Rule, ScenarioOutline
from behave.parser import parse_file

from app.domain.roles import ROLE_PERMISSIONS, Permission, Role
from support.report.allure_labels import AREAS
from support.report.layout import REPO_ROOT
from support.scenario import time_limit
from support.scenario.personas import PERSONAS

STEP_DECORATORS = ("given", "when", "then", "step")
STATUSES = ("passed", "failed", "broken", "skipped", "not run")

# What each tag means, for the legend; tests/support/test_living_docs.py fails on a tag used and not explained here.
TAG_LEGEND: dict[str, str] = {
    "smoke": "a few scenarios that show the platform works at all; `make spec TAGS=@smoke` runs them in seconds",
    "critical": "money, rights or data at stake: a failure here stops a release (Allure severity critical)",
    "normal": "the default severity of a scenario that names none",
    "slow": "takes more than a few seconds (many journeys, many people); `TAGS='not @slow'` leaves them out",
    "chaos": "stops, kills or breaks the stack's own services: runs apart, one at a time, only on the embedded stack",
    "perf": "at the seeds' scale (a thousand people); left out unless asked for with `TAGS=@perf`",
    "flaky": "a known-flaky scenario: retried once, and a pass on the retry is reported as flaky, never as a plain pass",
    "time_limit:N": (
        "raises the scenario's time limit to N seconds "
        f"(the default is `SCENARIO_TIME_LIMIT`, {time_limit.DEFAULT_SECONDS})"
    ),
    "needs_mail_server": "reads what the mail server received: skipped, saying so, where none is reachable",
    "needs_platform_code": "starts the platform from this checkout: only with the embedded stack",
    "needs_token_secret": "needs the platform's signing key (`TOKEN_SECRET`): skipped, saying so, without it",
    "allure.issue:N": "links the feature to issue N, once `AllureFormatter.issue_pattern` names a tracker",
}

# What each right lets a person do, in the business's words.
RIGHTS: dict[Permission, str] = {
    Permission.MANAGE_USERS: "add colleagues and change their roles",
    Permission.READ_USERS: "see who works for the company",
    Permission.WRITE_SALES: "capture leads, work deals, write follow-up tasks",
    Permission.READ_SALES: "read leads, deals and clients",
    Permission.READ_PROJECTS: "read delivery projects and their tasks",
    Permission.WRITE_BILLING: "draft, issue and void invoices, refund payments",
    Permission.READ_BILLING: "read invoices and payments",
    Permission.TAKE_PAYMENTS: "take card payments",
    Permission.READ_COMMISSIONS: "read commissions",
    Permission.READ_AUDIT: "read and verify the audit trail",
    Permission.READ_REPORTS: "read the forecast, receivables, profit and loss",
    Permission.DECIDE_APPROVALS: "approve or reject high-value deals and payments",
}


@dataclass
class ScenarioDoc:
    name: str
    line: int
    tags: list[str]
    steps: list[str]
    status: str = "not run"


@dataclass
class FeatureDoc:
    path: str
    area: str
    name: str
    narrative: str
    tags: list[str]
    rules: dict[str, str] = field(default_factory=dict)  # rule name -> its narrative
    scenarios: list[tuple[str | None, ScenarioDoc]] = field(default_factory=list)  # (rule, scenario)


@dataclass(frozen=True)
class StepDoc:
    keyword: str
    text: str
    doc: str
    where: str


def read_features(root: Path = REPO_ROOT / "features") -> list[FeatureDoc]:
    docs = []
    for path in sorted(root.rglob("*.feature")):
        feature = parse_file(str(path))
        doc = FeatureDoc(
            path=str(path.relative_to(root.parent)),
            area=path.parent.name,
            name=feature.name,
            narrative=" ".join(feature.description),
            tags=list(feature.tags),
        )
        rule = None
        for item in feature.walk_scenarios(with_outlines=True, with_rules=True):
            if isinstance(item, Rule):
                rule = item.name
                doc.rules[rule] = " ".join(item.description)
            elif not isinstance(item, ScenarioOutline):
                steps = [f"{s.keyword} {s.name}" for s in item.all_steps]
                doc.scenarios.append(
                    (rule, ScenarioDoc(item.name.strip(), item.line, list(item.effective_tags), steps))
                )
        docs.append(doc)
    return docs


def read_results(results: Path) -> tuple[dict[tuple[str, str], str], datetime | None]:
    """(feature name, scenario name) -> the status of its latest result, and when the run ended."""
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for path in results.glob("*-result.json") if results.is_dir() else []:
        result = json.loads(path.read_text())
        feature = next((label["value"] for label in result.get("labels", []) if label["name"] == "feature"), "")
        key = (feature, result.get("name", "").strip())
        stop = int(result.get("stop", 0))
        status = _flaky_or(result)
        if key not in latest or stop >= latest[key][0]:
            latest[key] = (stop, status)
    ended = max((stop for stop, _ in latest.values()), default=0)
    return {key: status for key, (_, status) in latest.items()}, (
        datetime.fromtimestamp(ended / 1000, UTC) if ended else None
    )


def _flaky_or(result: dict) -> str:
    status = result.get("status", "broken")
    return "flaky" if status == "passed" and result.get("statusDetails", {}).get("flaky") else status


def read_steps(root: Path = REPO_ROOT / "steps") -> list[StepDoc]:
    steps = []
    for path in sorted(root.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") in STEP_DECORATORS:
                    text = decorator.args[0].value if decorator.args else ""
                    doc = (ast.get_docstring(node) or "").strip()
                    steps.append(StepDoc(decorator.func.id.title(), text, doc, f"{path.name}:{node.lineno}"))
    return sorted(steps, key=lambda s: (("Given", "When", "Then", "Step").index(s.keyword), s.text))


def build(results: Path, features_root: Path = REPO_ROOT / "features", steps_root: Path = REPO_ROOT / "steps") -> str:
    features = read_features(features_root)
    statuses, ended = read_results(results)
    for feature in features:
        for _, scenario in feature.scenarios:
            scenario.status = statuses.get((feature.name, scenario.name), "not run")
    return _page(features, read_steps(steps_root), ended)


CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#222}
h1{margin-bottom:0} h2{border-bottom:2px solid #ddd;margin-top:2em} h3{margin:1.4em 0 .2em}
.narrative{color:#444;margin:.2em 0 .6em} .tag{font:12px monospace;background:#eef;border-radius:3px;padding:0 4px;margin-right:3px}
.status{font:bold 12px sans-serif;border-radius:3px;padding:1px 6px;color:#fff;margin-right:6px}
.passed{background:#2e7d32}.failed{background:#c62828}.broken{background:#ef6c00}.skipped{background:#757575}
.not-run{background:#9e9e9e}.flaky{background:#8e24aa}
details{margin:.15em 0} summary{cursor:pointer} .steps{font:13px monospace;margin:.3em 0 .6em 1.5em;color:#333}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.where{color:#888;font-size:12px} nav a{margin-right:1em}
"""


def _page(features: list[FeatureDoc], steps: list[StepDoc], ended: datetime | None) -> str:
    counts = Counter(s.status for f in features for _, s in f.scenarios)
    total = sum(counts.values())
    when = f"the run that ended {ended:%Y-%m-%d %H:%M} UTC" if ended else "no run yet"
    summary = ", ".join(f"{counts[s]} {s}" for s in (*STATUSES, "flaky") if counts[s])
    areas = sorted({f.area for f in features})
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Business platform specification</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Business platform specification</h1>",
        f"<p id='summary'>{len(features)} features, {total} scenarios; results of {escape(when)}: "
        f"<span id='counts'>{escape(summary)}</span>.</p>",
        "<nav>" + "".join(f"<a href='#{a}'>{escape(_area_title(a))}</a>" for a in areas),
        "<a href='#personas'>Personas</a><a href='#tags'>Tags</a><a href='#steps'>Steps</a></nav>",
    ]
    for area in areas:
        out.append(f"<h2 id='{area}'>{escape(_area_title(area))}</h2>")
        for feature in (f for f in features if f.area == area):
            out.extend(_feature(feature))
    out.extend(_personas())
    out.extend(_tags())
    out.extend(_steps(steps))
    out.append("</body></html>")
    return "\n".join(out)


def _area_title(area: str) -> str:
    return AREAS.get(area, (area.title(), ""))[0]


def _tags_html(tags: list[str]) -> str:
    return "".join(f"<span class='tag'>@{escape(t)}</span>" for t in tags)


def _feature(feature: FeatureDoc) -> list[str]:
    out = [
        f"<h3 class='feature'>{escape(feature.name)}</h3>",
        f"<div class='where'>{escape(feature.path)} {_tags_html(feature.tags)}</div>",
        f"<p class='narrative'>{escape(feature.narrative)}</p>",
    ]
    shown_rule = None
    for rule, scenario in feature.scenarios:
        if rule and rule != shown_rule:
            out.append(f"<h4>Rule: {escape(rule)}</h4><p class='narrative'>{escape(feature.rules[rule])}</p>")
            shown_rule = rule
        css = scenario.status.replace(" ", "-")
        out.append(
            f"<details class='scenario'><summary><span class='status {css}'>{escape(scenario.status)}</span>"
            f"{escape(scenario.name)} {_tags_html([t for t in scenario.tags if t not in feature.tags])}</summary>"
            f"<div class='steps'>{'<br>'.join(escape(s) for s in scenario.steps)}</div></details>"
        )
    return out


def _personas() -> list[str]:
    out = ["<h2 id='personas'>Personas</h2>", "<p>Every scenario has its own company, in which these people work:</p>"]
    out.append("<table><tr><th>person</th><th>role</th><th>may</th></tr>")
    for name, role in PERSONAS.items():
        rights = sorted(ROLE_PERMISSIONS[Role(role)], key=list(Permission).index)
        out.append(f"<tr><td>{name}</td><td>{role}</td><td>{escape('; '.join(RIGHTS[p] for p in rights))}</td></tr>")
    out.append("</table>")
    return out


def _tags() -> list[str]:
    out = ["<h2 id='tags'>Tags</h2>", "<table><tr><th>tag</th><th>meaning</th></tr>"]
    out += [
        f"<tr><td><span class='tag'>@{escape(t)}</span></td><td>{escape(m)}</td></tr>" for t, m in TAG_LEGEND.items()
    ]
    out.append("</table>")
    return out


def _steps(steps: list[StepDoc]) -> list[str]:
    out = [
        "<h2 id='steps'>Step catalogue</h2>",
        f"<p>{len(steps)} step texts; each delegates to <code>support/</code>.</p>",
        "<table><tr><th>step</th><th>what it does</th></tr>",
    ]
    out += [
        f"<tr><td><b>{s.keyword}</b> {escape(s.text)}<div class='where'>{escape(s.where)}</div></td>"
        f"<td>{escape(s.doc)}</td></tr>"
        for s in steps
    ]
    out.append("</table>")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=REPO_ROOT / "reports" / "allure-results")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "docs" / "index.html")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(build(args.results))
    print(f"docs: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
