"""Every wanted double in one process, each on its own port: one Python start instead of three.

    python -m support.doubles.serve payment-processor=8101 model=8102 mail-server=8103

Each double stays its own ASGI app with its own address, life span and state;
only the interpreter (and the 0.7 s of CPU it costs to import FastAPI) is
shared. SIGTERM or SIGINT stops them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Iterator

import uvicorn

APPS = {
    "payment-processor": "support.doubles.payment_processor:app",
    "model": "support.doubles.model_server:app",
    "mail-server": "support.doubles.mail_server:app",
}


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # one handler for all of them, installed in main()
        yield


def _wanted(arguments: list[str]) -> dict[str, int]:
    wanted = {}
    for argument in arguments:
        name, _, port = argument.partition("=")
        if name not in APPS or not port.isdigit():
            raise SystemExit(f"serve: expected NAME=PORT with NAME one of {', '.join(APPS)}; got {argument!r}")
        wanted[name] = int(port)
    if not wanted:
        raise SystemExit("serve: name at least one double, e.g. model=8102")
    return wanted


async def main(wanted: dict[str, int]) -> None:
    servers = [
        _Server(uvicorn.Config(APPS[name], host="127.0.0.1", port=port, log_level="warning", access_log=False))
        for name, port in wanted.items()
    ]

    def stop_all() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_all)
    await asyncio.gather(*(server.serve() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(_wanted(sys.argv[1:])))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # the servers have shut down; the interpreter's teardown of FastAPI's modules would add 0.2 s
