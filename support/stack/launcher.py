"""Starts the stack once, runs a command with its addresses exported, stops the stack.

    python -m support.stack.launcher -- behave features/sales

Several behave processes started by the command all attach to the same stack.
The command's exit code is the launcher's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from support.stack.stack import Stack

CTRL_C_UNBLOCKED = (
    sys.executable,
    "-c",
    "import os, signal, sys\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\n"
    "try:\n    os.execvp(sys.argv[1], sys.argv[1:])\n"
    "except OSError as exc:\n"
    "    print(f'launcher: cannot run {sys.argv[1]}: {exc.strerror}', file=sys.stderr); sys.exit(127)",
)  # like a shell: 127 when the command cannot be run


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: python -m support.stack.launcher -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command: subprocess.Popen | None = None
    try:
        with Stack() as stack:
            where = (
                "attached to " + stack.env["PLATFORM_URL"]
                if not stack.embedded
                else f"embedded stack up in {stack.startup_seconds:.2f} s at {stack.env['PLATFORM_URL']}"
            )
            print(f"stack: {where}", file=sys.stderr, flush=True)
            # Ctrl-C is held back until the command's handle is kept, so the command can always be stopped:
            # meanwhile it is only noted. Blocking it was not enough: this process has threads (the stack
            # control), the kernel may hand the signal to one of them, and Python then raised
            # KeyboardInterrupt in this thread in the middle of Popen, the command started and its handle
            # lost (seen as a `sleep` left running by the Ctrl-C test). A handler always runs in this thread.
            # The command starts with Ctrl-C unblocked whatever this process inherited (a trampoline that
            # execs it: a preexec_fn would run Python in the forked child of a threaded process).
            noted: list[int] = []
            previous = signal.signal(signal.SIGINT, lambda signum, _frame: noted.append(signum))
            try:
                command = subprocess.Popen([*CTRL_C_UNBLOCKED, *argv], env={**os.environ, **stack.env})
            finally:
                signal.signal(signal.SIGINT, previous)
            if noted:
                raise KeyboardInterrupt
            return command.wait()
    except KeyboardInterrupt:  # Ctrl-C at any moment: the stack has been stopped on the way out
        return 130
    finally:
        if command is not None and command.poll() is None:
            command.terminate()
            try:
                command.wait(10)
            except subprocess.TimeoutExpired:
                command.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
