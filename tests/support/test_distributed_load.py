"""The load bench distributed as on several machines: a Locust master and two ``--worker`` processes started apart
drive one burst, the people handed out by the master, every question counted once across the workers."""

import importlib.util
import json
import os
import subprocess

import pytest

from bench.assistant_load import arguments, broken_count, run_load
from support.stack.http_service import HttpService
from support.stack.stack import PLATFORM_OPTIONS

# looked for, not imported: importing Locust here would patch this process with gevent
if importlib.util.find_spec("locust") is None:
    pytest.skip("Locust is installed with the bench's packages (make bench, make perf)", allow_module_level=True)


def test_a_burst_driven_by_a_master_and_two_local_workers_answers_each_person_once(tmp_path, monkeypatch):
    started: list[list[str]] = []
    popen = subprocess.Popen

    def spied(argv, **kwargs):
        started.append(list(argv))
        return popen(argv, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spied)
    yardstick = HttpService(
        "yardstick-distributed",
        "bench.bare_socket:app",
        log_dir=tmp_path,
        env=dict(os.environ),
        ready_path="/",
        options=PLATFORM_OPTIONS,
    )
    people = tmp_path / "people.json"
    people.write_text(json.dumps([f"person-{n}" for n in range(40)]))  # the bare socket takes any token
    yardstick.start()
    try:
        figures = run_load(
            arguments(["--sessions", "40", "--companies", "1", "--workers", "2"]),
            people,
            [yardstick.url],
            "distributed-test",
            [yardstick.process.pid],
        )
    finally:
        yardstick.stop()

    workers = [argv for argv in started if "--worker" in argv]
    assert [argv[argv.index("--master-host") + 1] for argv in workers] == ["127.0.0.1"] * 2, "the workers started"
    assert (figures["asked"], figures["answered"], figures["events"]) == (40, 40, 40 * 8)
    assert (broken_count(figures), figures["busy retries"]) == (0, 0)
