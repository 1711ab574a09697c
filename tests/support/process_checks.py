"""Checks on the processes a test started."""

from __future__ import annotations

import psutil


def all_gone(processes: set[psutil.Process]) -> None:
    """psutil.Process knows its start time, so a recycled PID is not mistaken for a survivor."""
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid} {' '.join(process.cmdline()[:3])}")
        except psutil.NoSuchProcess:
            pass
    assert not alive, f"still running: {alive}"
