"""What some processes of the machine use while a block of work runs: the peak resident memory of each (with
its children), sampled every 0.2 s, and the CPU seconds they and the whole machine spent. Used by the load
scenarios (features/performance, the assistant at scale) and by the bench's load runs."""

from __future__ import annotations

import contextlib
import threading

import psutil

SAMPLE_EVERY_S = 0.2


class ProcessUsage:
    """``with ProcessUsage(processes) as usage: ...``; then ``usage.peaks_mb`` (pid -> MB),
    ``usage.cpu_s`` (None when there are no processes: the instances are not on this machine) and
    ``usage.machine_cpu_s`` (every process: platform, database, Redis, doubles, the load itself)."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self._processes = processes
        self.peaks_mb = {str(p.pid): 0.0 for p in processes}
        self.cpu_s: float | None = None
        self.machine_cpu_s = 0.0
        self._cpu_before = 0.0
        self._machine_before = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            for process in self._processes:
                with contextlib.suppress(psutil.Error):
                    rss = sum(p.memory_info().rss for p in _with_children(process))
                    self.peaks_mb[str(process.pid)] = max(self.peaks_mb[str(process.pid)], round(rss / 2**20, 1))

    def _cpu(self) -> float:
        spent = 0.0
        for process in self._processes:
            with contextlib.suppress(psutil.Error):
                spent += sum(sum(p.cpu_times()[:2]) for p in _with_children(process))
        return spent

    @staticmethod
    def _machine_cpu() -> float:
        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def __enter__(self) -> ProcessUsage:
        self._cpu_before = self._cpu()
        self._machine_before = self._machine_cpu()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._processes:
            self.cpu_s = self._cpu() - self._cpu_before
        self.machine_cpu_s = self._machine_cpu() - self._machine_before
        self._stop.set()
        self._thread.join()


def _with_children(process: psutil.Process) -> list[psutil.Process]:
    return [process, *process.children(recursive=True)]
