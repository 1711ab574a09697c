"""A process's log is written by more than one hand (the process, and the forking process that notes how a
forked instance ended); none of them may write over another's lines, or a check reading the log from a mark
reads half a line."""

from __future__ import annotations

import sys
from pathlib import Path

from support.scenario.eventually import eventually
from support.stack.processes import ManagedProcess


def test_a_line_added_to_the_log_after_the_process_started_is_never_written_over(tmp_path):
    log = tmp_path / "instance.log"
    log.write_text("what the last process of this name said\n")
    written = tmp_path / "written"
    started = ManagedProcess(
        "late-writer",
        [
            sys.executable,
            "-c",
            "import pathlib, time, sys\n"
            f"while not pathlib.Path({str(tmp_path / 'go')!r}).exists(): time.sleep(0.01)\n"
            "sys.stderr.write('WARNING:app.breaker:circuit payment_processor open after a failure\\n')\n"
            "sys.stderr.flush()\n"
            f"pathlib.Path({str(written)!r}).touch()\n",
        ],
        log_path=log,
    )
    try:
        with log.open("a") as forking_parent:  # how a forked instance that ended before is noted, late
            forking_parent.write("[platform exited with code -9]\n")
        mark = log.stat().st_size
        (tmp_path / "go").touch()
        _until(written)
    finally:
        started.stop()
    text = log.read_text()
    assert "what the last process" not in text, "a start begins its log afresh"
    assert text.splitlines() == [
        "[platform exited with code -9]",
        "WARNING:app.breaker:circuit payment_processor open after a failure",
    ], text
    assert text[mark:].startswith("WARNING:app.breaker:circuit"), "read from the mark, the line is whole"


def _until(path: Path) -> None:
    def there() -> None:
        assert path.exists(), f"{path.name} not yet written"

    eventually(there, timeout=10, interval=0.02)
