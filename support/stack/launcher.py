"""Starts the stack once, runs a command with its addresses exported, stops the stack.

    python -m support.stack.launcher -- behave features/sales

Several behave processes started by the command all attach to the same stack.
The command's exit code is the launcher's.
"""

from __future__ import annotations

import os
import subprocess
import sys

from support.stack.stack import Stack


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        print("usage: python -m support.stack.launcher -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        with Stack() as stack:
            where = "attached to " + stack.env["PLATFORM_URL"] if not stack.embedded else \
                f"embedded stack up in {stack.startup_seconds:.2f} s at {stack.env['PLATFORM_URL']}"
            print(f"stack: {where}", file=sys.stderr, flush=True)
            return subprocess.call(argv, env={**os.environ, **stack.env})
    except KeyboardInterrupt:  # Ctrl-C at any moment: the stack has been stopped on the way out
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
