"""A port handed to one process's services is never handed to another's while the first process lives."""

from __future__ import annotations

import subprocess
import sys

from support.stack.http_service import REPO_ROOT
from support.stack.processes import free_port

OTHER_PROCESS = """
import random, sys
from support.stack import processes
wanted = int(sys.argv[1])
draws = iter([wanted, wanted, wanted])
real = random.randrange
random.randrange = lambda low, high: next(draws, None) or real(low, high)
print(processes.free_port())
"""


def _port_in_another_process(wanted: int) -> int:
    """The port another process is given when its first three draws are ``wanted``."""
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(wanted)], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_a_port_claimed_here_is_not_given_to_another_process():
    mine = free_port()
    assert _port_in_another_process(mine) != mine


def test_a_port_is_given_again_once_the_process_that_claimed_it_has_ended():
    theirs = _port_in_another_process(free_port() + 1)  # any port; that process ends, and its claim with it
    assert _port_in_another_process(theirs) == theirs
