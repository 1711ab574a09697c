"""No instance logs an unexpected failure while a scenario runs.

An unexpected failure is one the platform did not foresee: an exception its own handlers log as an error (an
answer of 500, a socket message it could not handle, a run or a tool that failed inside, a live event it could
not handle) or one that reached the web server or the event loop unhandled. A scenario may never look where
it happened (a tool's failure the model talks around, a background task): the log still says it. Outages the
platform foresees are warnings and left alone (the mail sender waiting for the database among them; any other
failure of the sender is an error). Followed from the scenario's first step in the instances' own logs (the embedded
stack's; a deployment's are not ours to read). The instances also serve the scenarios running beside this one,
so the violation names the log, the line and the exception, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from support.clients.platform_logs import PlatformLogs
from support.invariants.logged_secrets import shown_in_log
from support.report.evidence import attach_text

RECORD = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):")  # a log record's first line
FAILURE = re.compile(r"^(ERROR|CRITICAL):")
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b.*")  # a traceback's last line
SHOWN = 300


@dataclass
class CrashWatch:
    logs: PlatformLogs
    mark: list[int] = field(default_factory=list)

    def failures(self, keys: tuple[str, ...] = (), passwords: Iterable[str] = ()) -> list[str]:
        """The unexpected failures logged since the last look, in a reviewer's words; each record, its
        traceback whole, attached to the step as evidence. Then every secret written meanwhile
        (``support.invariants.logged_secrets``: ``keys`` the platform's, ``passwords`` those the scenario sent),
        named but not shown."""
        if not self.mark:
            return []
        texts, self.mark = self.logs.read_on(self.mark)
        logged = list(zip(self.logs.paths, texts, strict=True))
        secrets = [
            f"{path.name} {problem} (in what it logged while this scenario ran, or one beside it on the same instances)"
            for path, text in logged
            for problem in shown_in_log(text, keys, passwords)
        ]
        found = [(path.name, record) for path, text in logged for record in _records(text)]
        if found:
            attach_text(
                "the unexpected failures in the platform's logs", "\n\n".join(f"== {n} ==\n{r}" for n, r in found)
            )
        return [
            f"{name} logged an unexpected {_summary(record)[:SHOWN]}, while this scenario ran (or one beside it on"
            " the same instances)"
            for name, record in found
        ] + secrets


def unexpected(text: str) -> list[str]:
    """Each unforeseen error of ``text``: the exception its traceback ends with, when it has one, then what the
    line said (its level left out)."""
    return [_summary(record) for record in _records(text)]


def _records(text: str) -> list[str]:
    """Each unforeseen error record of ``text``, its first line and the traceback under it."""
    lines = text.splitlines()
    found = []
    for n, line in enumerate(lines):
        if not FAILURE.match(line):
            continue
        record = [line]
        for later in lines[n + 1 :]:
            if RECORD.match(later):
                break
            record.append(later)
        found.append("\n".join(record))
    return found


def _summary(record: str) -> str:
    first, *rest = record.splitlines()
    raised = next((line for line in reversed(rest) if EXCEPTION.match(line)), None)
    said = FAILURE.sub("", first).strip()
    return f"{raised} ({said})" if raised else f"failure ({said})"


def watch_of(state: dict[str, object], paths: str | None) -> CrashWatch:
    """This scenario's watch, its mark taken at the first call (when the logs can be read)."""
    watch = state.get("crashes")
    if not isinstance(watch, CrashWatch):
        logs = PlatformLogs(paths)
        watch = CrashWatch(logs, logs.mark() if logs.readable else [])
        state["crashes"] = watch
    return watch
