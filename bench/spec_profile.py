"""Where the specification's time goes: CPU per process and, inside the platform and behave, per layer.

    .venv/bin/python -m bench.spec_profile [behave selection; default: --tags="not @chaos and not @perf"]

Starts the embedded stack, runs the specification once in one behave process
(as `make spec` does) with py-spy sampling behave and both platform instances,
then prints the wall time, the CPU seconds each part of the stack used over
the run (platform instances, PostgreSQL with its backends, Redis, the doubles,
behave), and each sampled process's time by layer. The @chaos scenarios are
left out by default: they restart the very processes being measured. Writes
reports/bench/spec_profile.json and py-spy's raw samples next to it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

from bench import figures
from bench.profile_summary import shares as platform_shares
from support.stack.stack import Stack

OUT = Path("reports/bench")
RESULTS = Path("reports/allure-results")
HARNESS_LAYERS = (  # innermost match wins
    ("Allure evidence (allure-behave, attachments)", ("allure_commons", "allure_behave", "support/report/")),
    ("HTTP client (requests, urllib3)", ("requests/", "urllib3/", "http/client.py")),
    ("WebSocket client", ("websockets/",)),
    ("database and cache checks (psycopg, SQLAlchemy, redis)", ("psycopg/", "sqlalchemy/", "redis/")),
    ("JSON", ("json/",)),
    ("matchers (PyHamcrest)", ("hamcrest/",)),
    ("the harness's own code (support/, steps/)", ("support/", "steps/", "environment.py")),
    ("behave (parsing, matching, running, formatters)", ("behave/", "parse.py", "parse_type/")),
)


def harness_shares(raw: str) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not (stack and number.isdigit()):
            continue
        layer = "waiting on sockets, sleeping, the interpreter itself"
        for frame in reversed(stack.split(";")):
            found = next((name for name, marks in HARNESS_LAYERS if any(m in frame for m in marks)), None)
            if found:
                layer = found
                break
        counts[layer] += int(number)
    total = sum(counts.values()) or 1
    return {layer: round(count / total, 3) for layer, count in counts.most_common()}


BEHAVE = (sys.executable, "-m", "behave")


def _sampling(spy: str, name: str, *target: str) -> list[str]:
    """py-spy recording ``target`` (``--pid N`` or ``-- command``) 50 times a second into spec-profile-NAME.txt."""
    return [
        spy,
        "record",
        "--format",
        "raw",
        "--rate",
        "50",
        "--nonblocking",
        "-o",
        str(OUT / f"spec-profile-{name}.txt"),
        *target,
    ]


def cpu_seconds(pid: int) -> float:
    """CPU of the process, its living children and the children it has reaped (PostgreSQL's backends)."""
    try:
        process = psutil.Process(pid)
        own = process.cpu_times()
        total = own.user + own.system + own.children_user + own.children_system
        for child in process.children(recursive=True):
            try:
                times = child.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0.0


def _harness_cpu_seconds(sampler: subprocess.Popen) -> float:
    """The CPU of the behave process py-spy started, read until it ends (py-spy's own sampling left out: the
    rusage of py-spy's exit counted behave only when py-spy had reaped it, so it read 8 or 38 s for one run)."""
    seen: dict[int, float] = {}
    while sampler.poll() is None:
        try:
            for child in psutil.Process(sampler.pid).children(recursive=True):
                times = child.cpu_times()
                seen[child.pid] = times.user + times.system + times.children_user + times.children_system
        except psutil.Error:  # it ended between two looks
            pass
        time.sleep(0.2)
    return sum(seen.values())


def record(summary: dict) -> None:
    cpu = summary["cpu_s"]
    top = lambda shares: ", ".join(f"{layer.split(' (')[0]} {share:.0%}" for layer, share in list(shares.items())[:3])  # noqa: E731
    figures.record(
        "spec_profile",
        order=25,
        what="where the specification's time goes: one behave process, @chaos left out, py-spy on behave and the"
        " platform, CPU seconds per process over the run",
        figure=f"wall {summary['wall_s']:.0f} s on 2 cores; CPU: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu.items() if seconds >= 1)
        + f" (the machine {sum(cpu.values()) / (2 * summary['wall_s']):.0%} busy: requests are made one at a time);"
        f" platform by layer: {top(summary['layers']['platform'])}; behave by layer: {top(summary['layers']['behave'])}",
        command=".venv/bin/python -m bench.spec_profile",
        runs=[summary],
    )


def main(selection: list[str]) -> None:
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        raise SystemExit("spec_profile: py-spy is needed (make bench installs it)")
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(RESULTS, ignore_errors=True)
    with Stack() as stack:
        parts = {
            "platform instance 1": stack.platform.process.pid,
            "platform instance 2": stack.platform_2.process.pid,
            "PostgreSQL (server and backends)": stack.postgres.process.pid,
            "Redis": stack.redis.process.pid,
            "doubles (payment, model, mail)": stack.doubles.process.pid,
        }
        before = {name: cpu_seconds(pid) for name, pid in parts.items()}
        samplers = [
            subprocess.Popen(
                _sampling(spy, f"platform-{n}", "--pid", str(parts[f"platform instance {n}"])),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in (1, 2)
        ]
        env = {**os.environ, **stack.env}
        began = time.monotonic()
        behave = subprocess.Popen(
            _sampling(spy, "behave", "--", *BEHAVE, "-f", "allure", "-o", str(RESULTS), "-f", "null", *selection),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        harness = _harness_cpu_seconds(behave)
        status = behave.returncode
        wall = time.monotonic() - began
        used = {name: cpu_seconds(pid) - before[name] for name, pid in parts.items()}
        used["behave (the harness)"] = harness
        for sampler in samplers:
            sampler.send_signal(2)
            sampler.wait(30)
    layers = {
        "platform": platform_shares((OUT / "spec-profile-platform-1.txt").read_text()),
        "behave": harness_shares((OUT / "spec-profile-behave.txt").read_text()),
    }
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "selection": selection,
        "behave_exit": status,
        "wall_s": round(wall, 1),
        "cpu_s": {name: round(seconds, 1) for name, seconds in sorted(used.items(), key=lambda kv: -kv[1])},
        "layers": layers,
    }
    (OUT / "spec_profile.json").write_text(json.dumps(summary, indent=2))
    record(summary)
    print(f"spec_profile: wall {wall:.1f} s on {os.cpu_count()} cores ({summary['machine']}); CPU seconds:")
    for name, seconds in summary["cpu_s"].items():
        print(f"  {seconds:7.1f}  {name}")
    for who, shares in layers.items():
        print(f"{who}, by layer:")
        for layer, share in shares.items():
            print(f"  {share:6.1%}  {layer}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["--tags=not @chaos and not @perf"])
