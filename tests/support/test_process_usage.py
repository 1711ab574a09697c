"""The load scenarios and the bench read what the platform's processes used through one measure."""

from __future__ import annotations

import os
import time

import psutil

from support.stack.process_usage import ProcessUsage


def test_a_busy_block_shows_its_cpu_and_the_peak_memory_of_each_process():
    with ProcessUsage([psutil.Process(os.getpid())]) as usage:
        ballast = bytearray(40 * 2**20)
        until = time.process_time() + 0.4
        while time.process_time() < until:
            pass
    assert usage.cpu_s is not None and usage.cpu_s >= 0.35, usage.cpu_s
    assert usage.machine_cpu_s >= usage.cpu_s * 0.9, "the machine spent at least what this process did"
    assert usage.peaks_mb[str(os.getpid())] >= 40, usage.peaks_mb
    del ballast


def test_no_processes_on_this_machine_means_no_cpu_figure():
    with ProcessUsage([]) as usage:
        pass
    assert usage.cpu_s is None
    assert usage.peaks_mb == {}
