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


def descendants() -> set[psutil.Process]:
    """Every process this test process started, and theirs."""
    return set(psutil.Process().children(recursive=True))


def started_since(before: set[psutil.Process]) -> set[psutil.Process]:
    """The processes started since ``before`` by this test process's own new children: a process that
    descends from one already there (a connection's backend of an earlier stack's database, opened meanwhile)
    is not one of them."""
    started = set()
    for process in descendants() - before:
        try:
            if not any(parent in before for parent in process.parents()):
                started.add(process)
        except psutil.NoSuchProcess:
            pass
    return started
