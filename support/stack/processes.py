"""Child processes the stack owns: started with a log file, always stopped.

Each child asks the kernel to signal it when the launching process dies
(PR_SET_PDEATHSIG), so even a killed test run leaves no server behind.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import random
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

_PR_SET_PDEATHSIG = 1


_handed_out: dict[int, int] = {}  # port -> the claim's open file: ports given to services of this process
_CLAIMS = Path(tempfile.gettempdir()) / "spec-stack-ports"


def free_port() -> int:
    """A TCP port on loopback that nothing uses now, below the kernel's ephemeral range, claimed for this
    process until it ends.

    A port the kernel hands out (bind to 0) can be taken again at once as the
    local end of any outgoing connection, before our server binds it; ports
    below the ephemeral range are never handed out that way. A stack picks all
    its ports before its services bind them, so a port is never handed out twice
    by one process; and each port is claimed with a lock on a file of its own,
    which the kernel lets go when the process ends, so two processes starting
    stacks at once (an audit's runs, pytest beside the specification) never
    pick the same one (seen once: two doubles on one port, one of them refused).
    """
    low = _ephemeral_low()
    _CLAIMS.mkdir(exist_ok=True)
    for _ in range(200):
        port = random.randrange(max(1024, low - 12_000), low)
        if port in _handed_out:
            continue
        claim = os.open(_CLAIMS / str(port), os.O_CREAT | os.O_RDWR, 0o666)
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(claim)
            continue  # claimed by another process of ours
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                os.close(claim)
                continue
            _handed_out[port] = claim
            return port
    raise RuntimeError(f"no free port found below {low}")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def set_parent_death_signal(sig: int) -> None:
    """This process is sent ``sig`` when its parent ends."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)
    except OSError:
        pass  # not Linux: atexit and signal handlers still stop the child


def die_with_parent(sig: int):
    def preexec() -> None:
        set_parent_death_signal(sig)

    return preexec


def log_tail(log_path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _fresh_log(log_path: Path):
    """The log begun afresh, written only at its end (O_APPEND): the forking process may still note, a moment
    after this start, how the instance before ended; a process writing at its own offset would write over
    that line, and a check reading the log from a mark would read half of its own line (seen in CI: the
    circuit's opening went unread)."""
    log_path.write_bytes(b"")
    return open(log_path, "ab")


class ManagedProcess:
    """One child process with its log; ``stop`` is safe to call more than once."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str | os.PathLike],
        *,
        log_path: Path,
        env: dict[str, str] | None = None,
        user: str | None = None,
        stop_signal: int = signal.SIGTERM,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_path
        self._stop_signal = stop_signal
        self._log = _fresh_log(log_path)
        self.popen = subprocess.Popen(
            [str(a) for a in argv],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            user=user,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=die_with_parent(stop_signal),
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.returncode

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)

    def stop(self, timeout: float = 10.0) -> None:
        """Asks the process to stop, then kills it (and its group) if it has not within ``timeout``."""
        if self.running():
            self.popen.send_signal(self._stop_signal)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._kill_group()
                self.popen.wait(5)
        self._log.close()

    def kill(self) -> None:
        """SIGKILL to the process and its group, then reaped; ``stop`` after it is a no-op."""
        if self.running():
            self._kill_group()
            self.popen.wait(5)
        self._log.close()

    def _kill_group(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class ForkedProcess:
    """A server forked by another process of the stack (``support.stack.forked_instances``), watched by pid.

    Not this process's child: its parent reaps it and writes its exit code at the end of its log, so its
    own ``returncode`` is unknown here. Each is its own session, so ``kill`` takes its group alone."""

    returncode = None

    def __init__(self, name: str, pid: int, *, log_path: Path, stop_signal: int = signal.SIGTERM) -> None:
        self.name = name
        self.pid = pid
        self.log_path = log_path
        self._stop_signal = stop_signal

    def running(self) -> bool:
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")  # a zombie has ended; its parent has not reaped it yet

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)

    def stop(self, timeout: float = 10.0) -> None:
        if self.running():
            self._signal(self._stop_signal)
            if not self._ended_within(timeout):
                self.kill()

    def kill(self) -> None:
        if self.running():
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            self._ended_within(5.0)

    def _signal(self, sig: int) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def _ended_within(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.running():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True
