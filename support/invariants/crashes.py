"""No instance logs an unexpected failure while a scenario runs.

An unexpected failure is one the platform did not foresee: an exception its own handlers log as an error (an
answer of 500, a socket message it could not handle, a run or a tool that failed inside, a live event it could
not handle) or one that reached the web server or the event loop unhandled. A scenario may never look where
it happened (a tool's failure the model talks around, a background task): the log still says it. Outages the
platform foresees are warnings and left alone; so is the mail sender's retry, logged with its traceback each
time the database is away. Followed from the scenario's first step in the instances' own logs (the embedded
stack's; a deployment's are not ours to read). The instances also serve the scenarios running beside this one,
so the violation names the log, the line and the exception, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from support.clients.platform_logs import PlatformLogs

RECORD = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):")  # a log record's first line
FAILURE = re.compile(r"^(ERROR|CRITICAL):")
FORESEEN = ("ERROR:app.outbox:outbox sender failed; retrying",)  # the database or the mail server away
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b.*")  # a traceback's last line
SHOWN = 300


@dataclass
class CrashWatch:
    logs: PlatformLogs
    mark: list[int] = field(default_factory=list)

    def failures(self) -> list[str]:
        """The unexpected failures logged since the last look, in a reviewer's words."""
        if not self.mark:
            return []
        texts, self.mark = self.logs.read_on(self.mark)
        return [
            f"an unexpected failure in {path.name}: {failure[:SHOWN]} (logged while this scenario ran, or one beside"
            " it on the same instances)"
            for path, text in zip(self.logs.paths, texts, strict=True)
            for failure in unexpected(text)
        ]


def unexpected(text: str) -> list[str]:
    """Each unforeseen error line of ``text``, after the exception its traceback ends with when it has one."""
    lines = text.splitlines()
    found = []
    for n, line in enumerate(lines):
        if not FAILURE.match(line) or line.startswith(FORESEEN):
            continue
        raised = None
        for later in lines[n + 1 :]:
            if RECORD.match(later):
                break
            raised = later if EXCEPTION.match(later) else raised
        found.append(f"{raised} in {line}" if raised else line)
    return found


def watch_of(state: dict[str, object], paths: str | None) -> CrashWatch:
    """This scenario's watch, its mark taken at the first call (when the logs can be read)."""
    watch = state.get("crashes")
    if not isinstance(watch, CrashWatch):
        logs = PlatformLogs(paths)
        watch = CrashWatch(logs, logs.mark() if logs.readable else [])
        state["crashes"] = watch
    return watch
