"""The assistant under load, measured against a yardstick in the same run.

    .venv/bin/python -m bench.assistant_load                                  # burst: 1,000 at once
    .venv/bin/python -m bench.assistant_load --mode sustained --rate 1000 --seconds 60
    .venv/bin/python -m bench.assistant_load --sessions 200 --processes 2     # Locust over 2 processes
    .venv/bin/python -m bench.assistant_load --workers 2                      # a master and 2 --worker processes
    .venv/bin/python -m bench.assistant_load --remote-workers 3               # ... and 3 on other machines

Starts the embedded stack (two platform instances) unless PLATFORM_URLS (with
PLATFORM_URL and PLATFORM_ADMIN_KEY) names a deployment, makes ``--sessions``
people in ``--companies`` companies, and runs the same Locust load
(``bench/assistant_locustfile.py``) twice: first against the yardstick (the
bare WebSocket of ``bench/bare_socket.py``, two instances under the same
uvicorn options), then against the platform, spreading people evenly over the
instances. Burst: everyone connects, then all ask the two-tool question at the
same instant, once. Sustained: everyone asks at a pace that adds up to
``--rate`` events a second (eight events a question) for ``--seconds``.

Prints, for both, the questions answered, events, events a second, wall time
(burst: first ask to last answer), p50/p95/p99 from question to answer, peak
memory per instance, and the lost, doubled, misrouted, out-of-order and
contract-breaking counts; then the platform's ratios to the yardstick. Writes
reports/bench/assistant_load.json. Exit code 1 when anything was lost,
doubled, misrouted, out of order or unanswered.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform as host
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import psutil

from bench import figures
from bench.profile_summary import Profiles, shares
from support.areas.assistant.crowd import crowd
from support.clients.paths import Operations
from support.clients.platform_api import PlatformApi
from support.stack.http_service import HttpService
from support.stack.process_usage import ProcessUsage
from support.stack.processes import free_port
from support.stack.stack import PLATFORM_OPTIONS, Stack

OUT = Path("reports/bench")
SOCKET_PATH = "/api/v1/assistant/ws"
EVENTS_PER_QUESTION = 8  # the two-tool question: started, thinking, 2 x (executing, completed), thinking, end
PROBLEMS = ("lost", "doubled", "misrouted", "out of order", "contract broken")


def main() -> int:
    args = arguments()
    OUT.mkdir(parents=True, exist_ok=True)
    with Stack() as stack, tempfile.TemporaryDirectory(prefix="assistant-load-") as scratch:
        allow_the_pace(stack, args)
        made = provision(stack, args.sessions, args.companies)
        people = Path(scratch) / "people.json"
        people.write_text(json.dumps([m.token for m in made[: args.sessions]]))
        bare, measured = against_the_yardstick(stack, args, people)
    summary = {
        "machine": f"{host.machine()}, {os.cpu_count()} cores, Python {host.python_version()}",
        "mode": args.mode,
        "sessions": args.sessions,
        "companies": args.companies,
        "yardstick": bare,
        "platform": measured,
        "ratio": _ratios(measured, bare),
    }
    (OUT / "assistant_load.json").write_text(json.dumps(summary, indent=2))
    _print(summary)
    broken = broken_count(measured)
    if not args.profile and "PLATFORM_URLS" not in os.environ:
        (_record_burst if args.mode == "burst" else _record_sustained)(args, measured, bare, broken)
    return 1 if broken else 0


def allow_the_pace(stack: Stack, args: argparse.Namespace) -> None:
    """Sustained: each person's look-ups a minute allowed up to twice what the pace asks (two a question). The
    embedded stack allows 12, enough for a scenario's person but not for a question every 8 s: past it, runs
    would end as ``tool_calls_rate_limited``, the rule measured instead of the platform. Set in the stack's
    settings file and taken by every instance at the operator's one call."""
    settings_file = stack.env.get("PLATFORM_SETTINGS_FILE")
    if args.mode != "sustained" or not settings_file or "PLATFORM_URLS" in os.environ:
        return
    per_minute = max(12, math.ceil(2 * 2 * 60 / question_interval(args)))
    Path(settings_file).write_text(f"ASSISTANT_TOOL_CALLS_PER_MINUTE={per_minute}\n")
    PlatformApi(stack.env["PLATFORM_URL"], admin_key=stack.env["PLATFORM_ADMIN_KEY"]).post(
        Operations.SETTINGS_RELOAD, {}
    ).expect_ok("the operator's call to reload the settings")
    print(f"bench: every instance allows {per_minute} look-ups a person and minute", flush=True)


def question_interval(args: argparse.Namespace) -> float:
    """Sustained: the seconds between one person's questions that add up to ``--rate`` events a second."""
    return args.sessions * EVENTS_PER_QUESTION / args.rate


def provision(stack: Stack, sessions: int, companies: int) -> list[Any]:
    """``sessions`` people signed in, in ``companies`` companies (company by company), progress printed."""
    return crowd(
        stack.env["PLATFORM_URL"],
        stack.env["PLATFORM_ADMIN_KEY"],
        companies=companies,
        per_company=-(-sessions // companies),
        label="load",
        progress=lambda n: print(f"bench: {n} people ready", flush=True) if n % 200 < 25 else None,
    )


def against_the_yardstick(
    stack: Stack, args: argparse.Namespace, people: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same load (``args``, the tokens in ``people``) on the yardstick, then on the stack's platform;
    the figures of each."""
    targets = stack.env["PLATFORM_URLS"].split(",") if "PLATFORM_URLS" in stack.env else [stack.env["PLATFORM_URL"]]
    yardstick = [
        HttpService(
            f"yardstick-{n}",
            "bench.bare_socket:app",
            log_dir=stack.log_dir,
            env=dict(os.environ),
            ready_path="/",
            options=PLATFORM_OPTIONS,
        )
        for n in (1, 2)
    ]
    try:
        for service in yardstick:
            service.start()
        bare = run_load(args, people, [s.url for s in yardstick], "yardstick", [s.process.pid for s in yardstick])
    finally:
        for service in yardstick:
            service.stop()
    pids = [s.process.pid for s in (stack.platform, stack.platform_2) if s is not None and s.process]
    files = [OUT / f"profile-platform-{n}.txt" for n in range(1, len(pids) + 1)] if args.profile else []
    with Profiles(dict(zip(pids, files, strict=False))) as profiles:
        measured = run_load(args, people, targets, "platform", pids)
    if profiles.files:
        measured["time_by_layer"] = {path.name: shares(path.read_text()) for path in profiles.files}
    return bare, measured


def broken_count(measured: dict[str, Any]) -> int:
    """Questions lost, doubled, misrouted, out of order, breaking the contract, ended without an answer (a run
    that failed, saying why) or never answered."""
    return sum(measured[p] for p in PROBLEMS) + sum(measured["failed"].values()) + measured["unanswered"]


def _record_burst(args: argparse.Namespace, measured: dict[str, Any], bare: dict[str, Any], broken: int) -> None:
    """The burst's row of docs/figures.md (bench/figures/), from this run and the one before it alike."""
    run = {
        "sessions": args.sessions,
        "companies": args.companies,
        "wall_s": measured["wall_s"],
        "yardstick_wall_s": bare["wall_s"],
        "p50_s": measured["p50_s"],
        "p95_s": measured["p95_s"],
        "yardstick_p95_s": bare["p95_s"],
        "cpu_ms": measured["cpu_ms_per_question"],
        "machine_cpu_ms": measured["machine_cpu_ms_per_question"],
        "busy": measured["busy retries"],
        "broken": broken,
        "failed": measured["failed"],
        "memory_mb": measured["peak_memory_mb_per_instance"],
    }
    runs = figures.runs_alike("assistant_burst", run, "sessions", "companies")

    def one(r: dict[str, Any]) -> str:
        return (
            f"wall {r['wall_s']} s against the yardstick's {r['yardstick_wall_s']} s "
            f"(**{r['wall_s'] / r['yardstick_wall_s']:.1f}×**), p95 {r['p95_s']} s against {r['yardstick_p95_s']} s "
            f"({r['p95_s'] / r['yardstick_p95_s']:.1f}×), p50 {r['p50_s']} s; told busy {r['busy']} times; CPU per "
            f"question {r['cpu_ms']} ms in the platform, {r['machine_cpu_ms']} ms on the whole machine; "
            f"peak memory {' + '.join(str(m) for m in r['memory_mb'])} MB; {_broken_said(r)}"
        )

    figures.record(
        "assistant_burst",
        order=40,
        what=f"assistant, burst: {args.sessions:,} people ({args.companies} companies) ask the two-tool question at"
        " the same instant over both platform instances; the yardstick is a bare WebSocket answering the same"
        " protocol with no work behind it, driven by the same Locust client in the same run; the load client on"
        " the same machine; CPU per question counts the platform's instances, then every process of the machine",
        figure=f"{len(runs[-2:])} run(s): " + "; then ".join(one(r) for r in runs[-2:]),
        command=f".venv/bin/python -m bench.assistant_load --sessions {args.sessions} --companies {args.companies}",
        runs=runs,
    )


def _broken_said(run: dict[str, Any]) -> str:
    """How many questions went wrong, with the runs that ended without an answer by the code they gave (older
    runs did not count them apart)."""
    failed = run.get("failed") or {}
    why = f" ({', '.join(f'{n} {code}' for code, n in failed.items())})" if failed else ""
    return f"lost, doubled, misrouted, out of order, contract broken or ended without an answer: {run['broken']}{why}"


def _record_sustained(args: argparse.Namespace, measured: dict[str, Any], bare: dict[str, Any], broken: int) -> None:
    """The sustained rows of docs/figures.md (one a rate: assistant_sustained_<rate>), from this run and the one
    before it alike."""
    run = {
        "sessions": args.sessions,
        "rate": args.rate,
        "seconds": args.seconds,
        "events_per_s": measured["events_per_s"],
        "yardstick_events_per_s": bare["events_per_s"],
        "questions": measured["answered"],
        "p50_s": measured["p50_s"],
        "p95_s": measured["p95_s"],
        "p99_s": measured["p99_s"],
        "yardstick_p95_s": bare["p95_s"],
        "cpu_ms": measured["cpu_ms_per_question"],
        "busy": measured["busy retries"],
        "broken": broken,
        "failed": measured["failed"],
    }
    key = f"assistant_sustained_{args.rate:g}"
    runs = figures.runs_alike(key, run, "sessions", "rate", "seconds")

    def one(r: dict[str, Any]) -> str:
        return (
            f"platform **{r['events_per_s']} events/s** against the yardstick's {r['yardstick_events_per_s']} "
            f"({r['questions']:,} questions), p50 {r['p50_s']} s, **p95 {r['p95_s']} s** (the yardstick's "
            f"{r['yardstick_p95_s']} s), p99 {r['p99_s']} s; {r['cpu_ms']} ms of platform CPU a question; told busy "
            f"{r['busy']} times; {_broken_said(r)}"
        )

    figures.record(
        key,
        order=60 if args.rate >= 1000 else 70,
        what=f"assistant, sustained: {args.sessions:,} people each asking the two-tool question every {question_interval(args):g} s"
        f" for {args.seconds} s (aimed at {args.rate:,.0f} events/s) over both platform instances, the yardstick"
        " in the same run; the load client on the same machine",
        figure=f"{len(runs[-2:])} run(s): " + "; then ".join(one(r) for r in runs[-2:]),
        command=".venv/bin/python -m bench.assistant_load --mode sustained"
        f" --rate {args.rate:g} --seconds {args.seconds}"
        + ("" if args.sessions == 1000 else f" --sessions {args.sessions}"),
        runs=runs,
    )


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000, help="people, one socket each (default 1000)")
    parser.add_argument("--companies", type=int, default=40, help="companies they belong to (default 40)")
    parser.add_argument("--mode", choices=("burst", "sustained"), default="burst")
    parser.add_argument("--rate", type=float, default=1000.0, help="sustained: events a second to aim for")
    parser.add_argument("--seconds", type=int, default=60, help="sustained: how long")
    parser.add_argument("--processes", type=int, default=1, help="Locust processes generating the load")
    parser.add_argument(
        "--workers", type=int, default=0, help="Locust worker processes started here under a master (distributed mode)"
    )
    parser.add_argument(
        "--remote-workers",
        type=int,
        default=0,
        help="Locust workers the master waits for from other machines (the command to start them is printed)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the platform instances with py-spy (requirements-bench.txt) and print where their time went",
    )
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.companies < 1 or args.companies > args.sessions:
        parser.error("--sessions and --companies must be at least 1, with no more companies than sessions")
    if args.rate <= 0 or args.seconds < 1 or args.processes < 1:
        parser.error("--rate, --seconds and --processes must be positive")
    if args.workers < 0 or args.remote_workers < 0 or (args.processes > 1 and args.workers + args.remote_workers):
        parser.error("--workers and --remote-workers are at least 0, and not with --processes (one or the other)")
    return args


def run_load(args: argparse.Namespace, people: Path, targets: list[str], label: str, pids: list[int]) -> dict[str, Any]:
    """One Locust run against ``targets``; its figures."""
    stats_file = OUT / f"assistant_load_{label}"
    sockets = ",".join(t.replace("http", "ws", 1) + SOCKET_PATH for t in targets)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        "bench/assistant_locustfile.py",
        "--headless",
        "--only-summary",
        "-u",
        str(args.sessions),
        "-r",
        str(args.sessions),
        "--json-file",
        str(stats_file),
        "--people-file",
        str(people),
        "--targets",
        sockets,
        "--mode",
        args.mode,
        "--question-interval",
        f"{question_interval(args):.3f}",
        "--ask-for",
        str(args.seconds),
        "--stop-timeout",
        "120",
        "--exit-code-on-error",
        "0",
        "-t",
        f"{args.seconds + 30}s" if args.mode == "sustained" else "1800s",
        "--loglevel",
        "WARNING",
    ]
    if args.processes > 1:
        command += ["--processes", str(args.processes)]
    print(f"bench: {args.mode} of {args.sessions} people against the {label} ({len(targets)} instances)", flush=True)
    with ProcessUsage([psutil.Process(pid) for pid in pids]) as memory:
        run_locust(command, local_workers=args.workers, remote_workers=args.remote_workers)
    figures = _figures(json.loads(Path(f"{stats_file}.json").read_text()), args, list(memory.peaks_mb.values()))
    figures["cpu_ms_per_question"] = round(memory.cpu_s * 1000 / max(1, figures["answered"]), 2)
    figures["machine_cpu_ms_per_question"] = round(memory.machine_cpu_s * 1000 / max(1, figures["answered"]), 2)
    return figures


def run_locust(command: list[str], *, local_workers: int = 0, remote_workers: int = 0) -> None:
    """Runs Locust's ``command``; with workers, as the master of ``local_workers`` ``--worker`` processes started
    here and ``remote_workers`` started on other machines (the command to start them is printed). The master
    hands the people out to the workers and starts the burst on all of them at once."""
    env = {**os.environ, "PYTHONPATH": "."}
    workers = local_workers + remote_workers
    if not workers:
        subprocess.run(command, check=True, env=env)
        return
    port = free_port()
    master = [*command, "--master", "--expect-workers", str(workers), "--master-bind-port", str(port)]
    worker = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        "bench/assistant_locustfile.py",
        "--worker",
        "--loglevel",
        "WARNING",
    ]
    if remote_workers:
        print(
            f"bench: waiting for {remote_workers} worker(s) on other machines, each started from this repository as: "
            f"{' '.join(worker[2:])} --master-host {host.node()} --master-port {port}",
            flush=True,
        )
    started = [
        subprocess.Popen([*worker, "--master-host", "127.0.0.1", "--master-port", str(port)], env=env)
        for _ in range(local_workers)
    ]
    try:
        subprocess.run(master, check=True, env=env)
    finally:
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def _figures(entries: list[dict[str, Any]], args: argparse.Namespace, peaks_mb: list[float]) -> dict[str, Any]:
    by_name = {f"{e['method']} {e['name']}": e for e in entries}
    questions = by_name.get(
        "WS question",
        {
            "num_requests": 0,
            "num_failures": 0,
            "response_times": {},
            "total_content_length": 0,
            "last_request_timestamp": 0,
        },
    )
    answered = questions["num_requests"] - questions["num_failures"]
    go = by_name.get("MARK go", {}).get("start_time")
    if args.mode == "burst" and go:
        wall = questions["last_request_timestamp"] - go
    else:
        wall = float(args.seconds)
    events = questions["total_content_length"]
    return {
        "asked": questions["num_requests"],
        "answered": answered,
        "unanswered": args.sessions - answered if args.mode == "burst" else questions["num_failures"],
        "events": events,
        "events_per_s": round(events / wall, 1) if wall > 0 else None,
        "wall_s": round(wall, 2),
        **{f"p{p}_s": _percentile(questions["response_times"], p / 100) for p in (50, 95, 99)},
        "peak_memory_mb_per_instance": peaks_mb,
        **{
            problem: by_name.get(f"CHECK {problem}", {}).get("total_content_length", 0)
            for problem in (*PROBLEMS, "busy retries")
        },
        "failed": {
            name.removeprefix("CHECK failed "): entry["total_content_length"]
            for name, entry in sorted(by_name.items())
            if name.startswith("CHECK failed ")
        },
    }


def _percentile(histogram: dict[str, int], share: float) -> float | None:
    """From Locust's histogram (ms, rounded to two significant figures above 100 ms), in seconds."""
    times = sorted((float(ms), count) for ms, count in histogram.items())
    wanted, seen = share * sum(count for _, count in times), 0
    for ms, count in times:
        seen += count
        if seen >= wanted:
            return round(ms / 1000, 3)
    return None


def _ratios(measured: dict[str, Any], bare: dict[str, Any]) -> dict[str, float | None]:
    def ratio(key: str) -> float | None:
        return round(measured[key] / bare[key], 2) if measured.get(key) and bare.get(key) else None

    return {
        "wall": ratio("wall_s"),
        "p50": ratio("p50_s"),
        "p95": ratio("p95_s"),
        "p99": ratio("p99_s"),
        "events_per_s": ratio("events_per_s"),
    }


def _print(summary: dict[str, Any]) -> None:
    print(
        f"\nassistant load, {summary['mode']}, {summary['sessions']} people in {summary['companies']} companies "
        f"({summary['machine']})"
    )
    keys = (
        "answered",
        "events",
        "events_per_s",
        "wall_s",
        "p50_s",
        "p95_s",
        "p99_s",
        "peak_memory_mb_per_instance",
        "cpu_ms_per_question",
        "machine_cpu_ms_per_question",
        *PROBLEMS,
        "busy retries",
        "failed",
    )
    print(f"{'':30}{'yardstick':>20}{'platform':>20}")

    def shown(value: Any) -> str:
        if isinstance(value, dict):  # the failed runs by code
            return ", ".join(f"{n} {code}" for code, n in value.items()) or "0"
        return str(value)

    for key in keys:
        print(f"{key:30}{shown(summary['yardstick'][key]):>20}  {shown(summary['platform'][key]):>18}")
    print("platform / yardstick: " + ", ".join(f"{k} {v}x" for k, v in summary["ratio"].items()))
    for name, layers in summary["platform"].get("time_by_layer", {}).items():
        print(f"where {name} spent its time: " + "; ".join(f"{layer} {share:.0%}" for layer, share in layers.items()))


if __name__ == "__main__":
    sys.exit(main())
