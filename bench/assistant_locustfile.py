"""Locust users of the assistant's WebSocket: the load behind ``bench.assistant_load``.

Each user is one person (a token from ``--people-file``) on one socket, to one of
``--targets`` (spread evenly), asking ``--question`` and reading every frame
until the run ends. ``--mode burst``: every user connects, then all ask at the
same instant (across every worker), once. ``--mode sustained``: every user asks
once every ``--question-interval`` seconds until the run time ends.

What each question shows is reported through Locust's own statistics, so it is
added up across workers (``--master``/``--worker``, or ``--processes``):
``WS question`` (time from asking to the run's end; content length = events),
``CHECK <problem>`` (content length = how many: ``lost``, ``doubled``,
``misrouted``, ``out of order``, ``contract broken``, ``busy retries``, and
``failed <code>`` for a run that ended without an answer, saying why), and
``MARK go`` (the burst's start). A question that fails is a failure of ``WS
question``. Distributed over machines:

    locust -f bench/assistant_locustfile.py --master --headless -u 1000 -r 1000 \\
        --people-file people.json --targets ws://a/api/v1/assistant/ws,ws://b/api/v1/assistant/ws
    locust -f bench/assistant_locustfile.py --worker --master-host MASTER   # on each load machine
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import gevent
import websocket
from gevent.event import Event
from locust import User, events, task
from locust.exception import StopUser
from locust.runners import LocalRunner, MasterRunner, WorkerRunner

from support.areas.assistant.event_contract import broken_rules

QUESTION = "What is my pipeline and which invoices are overdue?"
BUSY_TRIES = 30
TERMINAL = ("agent_completed", "agent_failed")


class Crowd:
    """This process's share of the people, and the burst's barrier."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.next = 0
        self.have_people = Event()
        self.go = Event()
        self.spawned = Event()
        self.connected = 0
        self.finished = 0
        self.environment: Any = None
        self.ready_workers: set[str] = set()
        self.finished_workers: set[str] = set()
        self.started_at = time.monotonic()  # the sustained asking window counts from here

    def take(self) -> tuple[int, str]:
        self.have_people.wait()
        index, self.next = self.next, self.next + 1
        if index >= len(self.tokens):
            raise StopUser()  # more users than people: the extra ones do nothing
        return index, self.tokens[index]


crowd = Crowd()


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--people-file", default="", help="JSON list of access tokens, one per user")
    parser.add_argument("--targets", default="", help="comma-separated WebSocket URLs; users are spread over them")
    parser.add_argument("--mode", choices=("burst", "sustained"), default="burst")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument(
        "--question-interval", type=float, default=8.0, help="sustained: seconds between a user's questions"
    )
    parser.add_argument("--answer-timeout", type=float, default=300.0)
    parser.add_argument(
        "--ask-for", type=float, default=0.0, help="sustained: seconds during which questions are asked (0: all run)"
    )


@events.init.add_listener
def _wire(environment: Any, **_: Any) -> None:
    crowd.environment = environment
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.register_message("people", lambda msg, **_: _share(msg.data))
        runner.register_message("spawned", lambda msg, **_: _spawned_everywhere(environment))
        runner.register_message("go", lambda msg, **_: _go(environment))
    if isinstance(runner, MasterRunner):
        runner.register_message("ready", lambda msg, **_: _worker_ready(environment, msg.node_id))
        runner.register_message("finished", lambda msg, **_: _worker_finished(environment, msg.node_id))


@events.test_start.add_listener
def _hand_out_people(environment: Any, **_: Any) -> None:
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        return
    tokens = json.loads(Path(environment.parsed_options.people_file).read_text())
    if isinstance(runner, MasterRunner):
        workers = sorted(runner.clients)
        for position, worker in enumerate(workers):
            runner.send_message("people", {"tokens": tokens[position :: len(workers)]}, client_id=worker)
    else:
        _share({"tokens": tokens})


@events.spawning_complete.add_listener
def _all_spawned(**_: Any) -> None:
    environment = crowd.environment
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.send_message("spawned")
    elif isinstance(runner, LocalRunner):
        _spawned_everywhere(environment)


def _spawned_everywhere(environment: Any) -> None:
    crowd.spawned.set()
    gevent.spawn(_report_ready, environment)


def _share(data: dict[str, Any]) -> None:
    crowd.tokens = data["tokens"]
    crowd.have_people.set()


def _report_ready(environment: Any) -> None:
    """Once every user here has connected (or given up), tells the master, or starts the burst."""
    crowd.spawned.wait()
    while crowd.connected < environment.runner.user_count:
        gevent.sleep(0.05)
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.send_message("ready")
    else:
        _go(environment)


def _worker_ready(environment: Any, worker: str) -> None:
    crowd.ready_workers.add(worker)
    if crowd.ready_workers >= set(environment.runner.clients):
        environment.runner.send_message("go")


def _worker_finished(environment: Any, worker: str) -> None:
    crowd.finished_workers.add(worker)
    if crowd.finished_workers >= set(environment.runner.clients):
        gevent.spawn_later(0.5, environment.runner.quit)


def _go(environment: Any) -> None:
    environment.events.request.fire(
        request_type="MARK", name="go", response_time=0, response_length=0, exception=None, context={}
    )
    crowd.go.set()


def _one_finished(environment: Any) -> None:
    crowd.finished += 1
    if crowd.finished < environment.runner.user_count:
        return
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.send_message("finished")
    else:
        gevent.spawn_later(0.5, environment.runner.quit)


class AssistantUser(User):
    """One person asking the assistant over one WebSocket."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.options = environment.parsed_options
        self.socket: websocket.WebSocket | None = None
        self.asked_at = time.monotonic()
        self.asked_once = False

    def wait_time(self) -> float:
        """Burst: none before the one question, then waiting (where a stop ends it at once: a user inside its
        task would be waited for up to ``--stop-timeout``). Sustained: one question every
        ``--question-interval`` seconds."""
        if self.options.mode == "burst":
            return 3600.0 if self.asked_once else 0.0
        return max(0.0, self.options.question_interval - (time.monotonic() - self.asked_at))

    def on_start(self) -> None:
        index, token = crowd.take()
        targets = self.options.targets.split(",")
        self.url, self.token = targets[index % len(targets)], token
        try:
            self.socket = _connect(self.url, token)
        except Exception:  # the first question will try again, and count what happens
            self.socket = None
        finally:
            crowd.connected += 1
        if self.options.mode == "sustained":  # spread the first questions over one interval, not one instant
            gevent.sleep(random.uniform(0, self.options.question_interval))

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()

    @task
    def ask(self) -> None:
        if self.options.mode == "burst":
            crowd.go.wait()
        elif self.options.ask_for and time.monotonic() - crowd.started_at > self.options.ask_for:
            raise StopUser()  # the asking window is over: this user is done (answers in flight still count)
        self.asked_at = time.monotonic()
        try:
            self._question()
        finally:
            if self.options.mode == "burst":  # one question each; then wait (wait_time) for the run to be stopped
                self.asked_once = True
                _one_finished(self.environment)

    def _question(self) -> None:
        began, problems, events = time.perf_counter(), {"busy retries": 0}, []
        exception: Exception | None = None
        try:
            for _ in range(BUSY_TRIES):
                try:
                    if self.socket is None:
                        self.socket = _connect(self.url, self.token)
                    events, problems = _ask(
                        self.socket,
                        self.options.question,
                        self.options.answer_timeout,
                        busy_retries=problems["busy retries"],
                    )
                    break
                except TryAgain as busy:
                    problems["busy retries"] += 1
                    self.socket = None
                    gevent.sleep(busy.after_s)
            else:
                raise ConnectionError(f"the platform stayed busy through {BUSY_TRIES} tries")
        except Exception as error:  # a question that fails is counted, never lost
            exception = error
        fire = self.environment.events.request.fire
        fire(
            request_type="WS",
            name="question",
            response_time=(time.perf_counter() - began) * 1000,
            response_length=len(events),
            exception=exception,
            context={},
        )
        for problem, count in problems.items():
            if count:
                fire(
                    request_type="CHECK",
                    name=problem,
                    response_time=0,
                    response_length=count,
                    exception=None,
                    context={},
                )


class TryAgain(Exception):
    """The platform said it is busy: ask again after ``after_s``."""

    def __init__(self, after_s: float) -> None:
        super().__init__(f"busy; try again in {after_s:g} s")
        self.after_s = after_s


def _connect(url: str, token: str) -> websocket.WebSocket:
    return websocket.create_connection(
        url, header=[f"Authorization: Bearer {token}"], timeout=60, enable_multithread=False
    )


def _frame(socket: websocket.WebSocket) -> dict[str, Any]:
    """The next message; TryAgain when the platform closes the socket as busy (1013)."""
    opcode, data = socket.recv_data(control_frame=True)
    if opcode == websocket.ABNF.OPCODE_CLOSE:
        code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
        if code == 1013:
            raise TryAgain(1.0)
        raise ConnectionError(f"the platform closed the socket ({code}): {data[2:].decode(errors='replace')}")
    if opcode != websocket.ABNF.OPCODE_TEXT:
        return {}
    return json.loads(data)


def _ask(
    socket: websocket.WebSocket, question: str, timeout: float, *, busy_retries: int = 0
) -> tuple[list[dict], dict[str, int]]:
    """Asks and reads until the run ends; returns its events and what was wrong with them.

    Raises TryAgain when the platform closes the socket as busy.
    """
    problems = {
        "lost": 0,
        "doubled": 0,
        "misrouted": 0,
        "out of order": 0,
        "contract broken": 0,
        "busy retries": busy_retries,
    }
    socket.send(json.dumps({"type": "ask", "text": question}))
    deadline, run_id, seen, events = time.monotonic() + timeout, None, set(), []
    while time.monotonic() < deadline:
        frame = _frame(socket)
        kind = frame.get("type")
        if kind == "accepted":
            run_id = frame["run_id"]
        elif kind == "error" and frame.get("code") == "busy":
            problems["busy retries"] += 1
            gevent.sleep(frame.get("retry_after_s", 1))
            socket.send(json.dumps({"type": "ask", "text": question}))
        elif kind is None:
            continue
        elif kind == "error":
            raise RuntimeError(f"the question was refused: {frame.get('data')}")
        elif kind == "notification":
            continue
        elif frame.get("run_id") != run_id:
            problems["misrouted"] += 1
        elif frame["event_id"] in seen:
            problems["doubled"] += 1
        else:
            seen.add(frame["event_id"])
            if events and frame["seq"] < events[-1]["seq"]:
                problems["out of order"] += 1
            events.append(frame)
            if kind in TERMINAL:
                break
    else:
        raise TimeoutError(f"no end of the run within {timeout:g} s ({len(events)} events)")
    seqs = sorted(e["seq"] for e in events)
    problems["lost"] = seqs[-1] + 1 - len(seqs)
    if events[-1]["type"] == "agent_failed":  # ended, and said why: not lost, but no answer either
        problems[f"failed {events[-1].get('data', {}).get('code')}"] = 1
    elif events[-1]["type"] != "agent_completed":
        problems["lost"] += 1
    problems["contract broken"] = int(bool(broken_rules(events)))
    return events, problems
