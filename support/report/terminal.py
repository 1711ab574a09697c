"""What a run says in the terminal: each failure as it happens, progress that names what runs and what is
left, and one closing summary. Read from the Allure results the workers write, so every run mode (one
worker or several, shuffled or not, the @chaos phase) says the same things the same way.

A failure names the scenario's feature file and line, its title, the step that failed, the first lines of
its message and where its evidence is. The summary counts passed, failed, skipped (with the reasons) and
flaky scenarios, groups the failures by feature (each with its failed step and the first lines of its
message: a CI log may show only the summary) and gives the command that runs them again.
"""

from __future__ import annotations

import json
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

FAILED = ("failed", "broken")
MESSAGE_LINES = 6
LINE = 110


@dataclass(frozen=True)
class Finished:
    """One scenario's result, as a person running the specification needs it."""

    name: str
    status: str  # passed, failed, broken, skipped, flaky
    location: str  # features/x.feature:17
    feature: str
    step: str  # the step that failed ("" when none did)
    message: str
    seconds: float
    evidence: Path

    @property
    def failed(self) -> bool:
        return self.status in FAILED


def read_result(path: Path) -> Finished | None:
    """The result in ``path``; None while it is still being written."""
    try:
        result = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    labels = {label["name"]: label["value"] for label in result.get("labels", [])}
    details = result.get("statusDetails") or {}
    status = result.get("status", "broken")
    if status == "passed" and details.get("flaky"):
        status = "flaky"
    step = _failed_step(result.get("steps", []))
    return Finished(
        name=result.get("name", "").strip(),
        status=status,
        location=labels.get("location", ""),
        feature=labels.get("feature", ""),
        step=step,
        message=(details.get("message") or "").strip(),
        seconds=max(0, result.get("stop", 0) - result.get("start", 0)) / 1000,
        evidence=path,
    )


def _said(message: str) -> list[str]:
    """A failure's message as lines worth showing: the blank ones and a bare ``AssertionError:`` left out (a
    matcher's message given no reason starts so, and the line that says what was expected would go unseen)."""
    return [line.rstrip() for line in message.splitlines() if line.strip() and line.strip() != "AssertionError:"]


def _shown(said: list[str]) -> list[str]:
    """The first ``MESSAGE_LINES`` lines of a message, each wrapped at ``LINE`` characters under its own indent (a
    line cut at the width lost what the rule said was wrong, past the request it named); `` …`` when more was said."""
    wrapped = [
        part
        for line in said
        for indent in [" " * (len(line) - len(line.lstrip()) + 2)]
        for part in textwrap.wrap(line, LINE, subsequent_indent=indent, break_on_hyphens=False) or [line]
    ]
    return (
        wrapped[:MESSAGE_LINES]
        if len(wrapped) <= MESSAGE_LINES
        else [*wrapped[: MESSAGE_LINES - 1], wrapped[MESSAGE_LINES - 1] + " …"]
    )


def _failed_step(steps: list[dict]) -> str:
    for step in steps:
        if step.get("status") in FAILED:
            return step.get("name", "")
    return ""


def failure_block(done: Finished) -> str:
    """A failure as the terminal shows it: where, what, the failed step, why, and where its evidence is."""
    lines = [f"✗ {done.status.upper()} {done.location or done.feature}", f"  {done.name}"]
    if done.step:
        lines.append(f"  step: {done.step}")
    said = _said(done.message)
    lines += [f"    {line[:LINE]}" for line in said[:MESSAGE_LINES]]
    if len(said) > MESSAGE_LINES:
        lines.append(f"    … ({len(said) - MESSAGE_LINES} more lines in the evidence)")
    lines.append(f"  evidence: {done.evidence} (and `make report`: the scenario in Allure)")
    return "\n".join(lines)


@dataclass
class Watch:
    """Follows a results folder: each scenario finished since the last look, once."""

    folder: Path
    seen: set[str] = field(default_factory=set)
    results: dict[str, Finished] = field(default_factory=dict)  # by location (or name): the latest attempt

    def new(self) -> list[Finished]:
        finished = []
        for path in sorted(self.folder.glob("*-result.json")):
            if path.name in self.seen:
                continue
            done = read_result(path)
            if done is None:
                continue
            self.seen.add(path.name)
            self.results[done.location or done.name] = done
            finished.append(done)
        return finished


@dataclass
class Progress:
    """A line now and then: how many finished, how many failed, what runs now, and roughly what is left."""

    total: int
    expected_seconds: dict[str, float]  # a scenario's time in the last run, by name
    workers: int
    began: float = field(default_factory=time.monotonic)
    last_line: float = 0.0

    def line(self, results: dict[str, Finished], running: list[str], every: float = 5.0, force: bool = False) -> str:
        now = time.monotonic()
        if not force and now - self.last_line < every:
            return ""
        self.last_line = now
        done = len(results)
        failed = sum(r.failed for r in results.values())
        left_names = [n for n in self.expected_seconds if n not in {r.name for r in results.values()}]
        left = sum(self.expected_seconds[n] for n in left_names) / max(1, self.workers)
        eta = f", about {_duration(left)} left" if done < self.total and self.expected_seconds else ""
        now_running = "; now: " + " | ".join(name[:60] for name in running) if running else ""
        return f"spec: {done}/{self.total} finished, {failed} failed ({_duration(now - self.began)}{eta}){now_running}"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


def summary(results: dict[str, Finished], rerun_command: str) -> str:
    """The closing summary: the counts, the skipped scenarios' reasons, the failures by feature, the rerun."""
    counts = Counter(r.status for r in results.values())
    shown = ", ".join(f"{counts[s]} {s}" for s in ("passed", "failed", "broken", "skipped", "flaky") if counts[s])
    lines = [f"spec: {len(results)} scenarios: {shown or 'none'}"]
    reasons = Counter(
        r.message.splitlines()[0] if r.message else "no reason given" for r in results.values() if r.status == "skipped"
    )
    lines += [f"  skipped ({n}): {reason}" for reason, n in reasons.most_common()]
    flaky = [r for r in results.values() if r.status == "flaky"]
    lines += [f"  flaky (passed on its retry): {r.location} {r.name}" for r in flaky]
    by_feature: dict[str, list[Finished]] = defaultdict(list)
    for r in results.values():
        if r.failed:
            by_feature[r.location.split(":")[0] or r.feature].append(r)
    for feature, failures in sorted(by_feature.items()):
        lines.append(f"  failed in {feature}:")
        for r in sorted(failures, key=lambda f: f.location):
            lines.append(f"    {r.location.split(':')[-1]:>4}  {r.name}")
            lines += [f"          step: {r.step}"] if r.step else []
            lines += [f"          {line}" for line in _shown(_said(r.message))]
    if by_feature:
        lines.append(f"  run them again: {rerun_command}")
    return "\n".join(lines)
