"""Where a process's time goes: py-spy's raw samples grouped by the layer that was running.

    .venv/bin/python -m bench.profile_summary reports/bench/profile-platform-1.txt

Each sample is given to the layer of its innermost frame that belongs to a
known layer (the database driver and SQLAlchemy, Redis, the model's HTTP client,
the web server and WebSocket stack, JSON, the platform's own code); a sample
whose innermost frame is the event loop's own (polling, callbacks and socket
I/O done in C) goes to the event loop. Prints each layer's share of the samples.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

LAYERS = (  # (layer, markers in a frame's file path), innermost match wins
    ("database (SQLAlchemy, asyncpg, psycopg, greenlet)", ("sqlalchemy/", "psycopg/", "asyncpg/", "greenlet")),
    ("Redis client", ("redis/",)),
    (
        "HTTP client to the model (aiohttp; requests before)",
        ("aiohttp/", "yarl/", "multidict/", "requests/", "urllib3/", "http/client.py"),
    ),
    ("per-message compression (permessage-deflate)", ("permessage_deflate", "zlib")),
    (
        "WebSocket and HTTP server (uvicorn, Starlette, FastAPI, websockets)",
        ("uvicorn/", "starlette/", "fastapi/", "websockets/", "httptools", "h11/"),
    ),
    ("hand-offs to worker threads (anyio)", ("anyio/", "threading.py", "concurrent/futures")),
    ("JSON", ("json/",)),
    ("retries (tenacity)", ("tenacity/",)),
    ("platform code (app/)", ("app/",)),
)
LOOP = "event loop and scheduling (asyncio, uvloop)"


LOOP_FRAMES = ("asyncio/runners.py", "asyncio/base_events.py", "asyncio/events.py", "uvloop")


def layer_of(stack: str) -> str:
    frames = stack.split(";")
    if frames and any(marker in frames[-1] for marker in LOOP_FRAMES):
        return LOOP  # the loop's own work (polling, callbacks, socket I/O in C) is innermost
    for frame in reversed(frames):
        for layer, markers in LAYERS:
            if any(marker in frame for marker in markers):
                return layer
    return LOOP


def shares(raw: str) -> dict[str, float]:
    """Each layer's share (0..1) of the samples in py-spy's ``--format raw`` output."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if stack and number.isdigit():
            counts[layer_of(stack)] += int(number)
    total = sum(counts.values()) or 1
    return {layer: round(count / total, 3) for layer, count in counts.most_common()}


class Profiles:
    """py-spy sampling each process (its own time only, idle waits left out) while the block runs: ``files`` maps
    each process id to the file its raw samples go to (none: nothing sampled)."""

    def __init__(self, files: dict[int, Path]) -> None:
        self.files = list(files.values())
        self._targets = files
        self._spies: list[subprocess.Popen] = []

    def __enter__(self) -> Profiles:
        spy = str(Path(sys.executable).with_name("py-spy"))
        for pid, path in self._targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            command = [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200", "--nonblocking"]
            self._spies.append(
                subprocess.Popen(
                    [*command, "--output", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        time.sleep(1 if self._spies else 0)  # attached before the work begins
        return self

    def __exit__(self, *_: object) -> None:
        for spy in self._spies:
            spy.send_signal(signal.SIGINT)
        for spy in self._spies:
            spy.wait(30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_summary", description="Each layer's share of py-spy's raw samples."
    )
    parser.add_argument("samples", nargs="+", type=Path, help="py-spy raw files (py-spy record --format raw)")
    args = parser.parse_args(argv)
    for path in args.samples:
        if not path.is_file():
            parser.error(f"no samples at {path}: record them with py-spy record --format raw -o {path}")
        print(path)
        for layer, share in shares(path.read_text()).items():
            print(f"  {share:6.1%}  {layer}")


if __name__ == "__main__":
    main()
