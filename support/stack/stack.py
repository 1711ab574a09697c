"""The whole stack the specification runs against, started once and always stopped.

``Stack.start`` starts only what the environment does not already name:
DATABASE_URL, REDIS_URL, ANALYTICS_URL, PAYMENT_PROCESSOR_URL replace one service each;
PLATFORM_URL means a deployment exists and nothing is started at all.
``Stack.env`` gives the addresses to export, so other processes (parallel
behave workers) attach to the same stack.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from support.clients.paths import Operations
from support.stack.control import StackControl
from support.stack.doubles_process import DoublesProcess
from support.stack.forked_instances import ForkedInstances
from support.stack.http_service import REPO_ROOT, HttpService
from support.stack.postgres_template import migrated_data_folder
from support.stack.processes import free_port
from support.stack.redis_server import EmbeddedRedis
from support.stack.replicated_postgres import ReplicatedPostgres


def far_time_zone(now: datetime) -> str:
    """A zone (POSIX, understood without a zone database) whose date is not UTC's at ``now``: fourteen hours
    ahead from 10:00 UTC to midnight, twelve behind before 10:00 (until noon). The platform's instances run in it,
    so that any moment or day it reads in local time rather than UTC shows in what it answers; a run started
    after 22:00 UTC keeps the zone past midnight, when its date is UTC's again."""
    return "<+14>-14" if now.hour >= 10 else "<-12>+12"


# STACK_LOG_DIR: another folder, for stacks started beside the specification's own (make test runs pytest alongside)
LOG_DIR = Path(os.environ.get("STACK_LOG_DIR") or REPO_ROOT / "reports" / "stack-logs")
PLATFORM_APP = "app.main:app"
PLANTED_PLATFORM_APP = "support.defects.planted_platform:app"  # only for `make audit-spec`
ANALYTICS_STORE_APP = "support.stack.analytics_server:app"
# Small JSON events are not worth compressing (it cost the platform CPU per event); frames past 64 KiB
# are refused with 1009, as the platform refuses them itself.
PLATFORM_OPTIONS = ("--ws-per-message-deflate", "false", "--ws-max-size", "65536")
# each double: the variable that names an outside one instead, and the one given its address
DOUBLES = {
    "payment-processor": ("PAYMENT_PROCESSOR_URL", "PAYMENT_PROCESSOR_URL"),
    "model": ("MODEL_URL", "MODEL_URL"),
    "mail-server": ("SMTP_URL", "MAIL_SERVER_URL"),
}
ADDRESS_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "ANALYTICS_URL",
    "PLATFORM_URL",
    "PLATFORM_URLS",
    "PAYMENT_PROCESSOR_URL",
    "MODEL_URL",
    "SMTP_URL",
    "MAIL_SERVER_URL",
    "PLATFORM_ADMIN_KEY",
    "TOKEN_SECRET",
    "STACK_CONTROL_URL",
    "PLATFORM_SETTINGS_FILE",  # the instances' file of settings that may change while they run (SIGHUP)
    "PLATFORM_LOGS",  # a stack of ours started elsewhere (make mutation's): its instances' logs can be read
)


class Stack:
    def __init__(
        self,
        environ: dict[str, str] | None = None,
        *,
        platform_workers: int = 1,
        planted_defect: str | None = None,
        log_dir: Path | None = None,
        fork_instances: bool = True,
        platform_app: str = PLATFORM_APP,
    ) -> None:
        """``planted_defect`` names a defect of ``support.defects.catalogue`` to run the platform with
        (never in a normal run); ``log_dir`` is where the services write their logs; ``fork_instances``
        False starts each platform instance as a process of its own (the yardstick of the start-up's bench);
        ``platform_app`` is the ASGI application the instances serve (make mutation's map: one that records
        its lines by scenario)."""
        self._platform_app = platform_app
        self._platform_workers = platform_workers
        self._fork_instances = fork_instances
        self.planted_defect = planted_defect or None
        self.log_dir = log_dir or LOG_DIR
        self._given = {
            k: v for k, v in (environ if environ is not None else os.environ).items() if k in ADDRESS_VARIABLES and v
        }
        self.env: dict[str, str] = dict(self._given)
        self.run_dir: Path | None = None
        self.started: list = []
        self.startup_seconds = 0.0
        self.postgres: ReplicatedPostgres | None = None
        self.redis: EmbeddedRedis | None = None
        self.analytics: HttpService | None = None
        self.platform: HttpService | None = None
        self.doubles: DoublesProcess | None = None
        self.platform_2: HttpService | None = None
        self.control: StackControl | None = None

    @property
    def embedded(self) -> bool:
        return "PLATFORM_URL" not in self._given

    def start(self) -> Stack:
        """Starts what is missing; on any failure stops what it had started, then re-raises."""
        began = time.monotonic()
        _stop_on_exit(self)
        try:
            if self.embedded:
                self._start_embedded()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _start_embedded(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="spec-stack-"))
        self.run_dir.chmod(0o755)
        wanted: dict[str, Any] = {}
        double_names = [name for name, (given, _) in DOUBLES.items() if given not in self._given]
        if double_names:
            smtp_port = free_port()
            self.doubles = DoublesProcess(
                double_names, log_dir=self.log_dir, env=_child_env({"MAIL_SMTP_PORT": str(smtp_port)})
            )
            self.env.update({DOUBLES[name][1]: self.doubles.url(name) for name in double_names})
            if "mail-server" in double_names:
                self.env["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
        if "REDIS_URL" not in self._given:
            self.redis = wanted["REDIS_URL"] = EmbeddedRedis(self.run_dir)
        if "DATABASE_URL" not in self._given:
            self.postgres = wanted["DATABASE_URL"] = ReplicatedPostgres(self.run_dir, copy_of=migrated_data_folder())
        if "ANALYTICS_URL" not in self._given:  # chDB, one process owning the store, shared by both instances
            self.analytics = wanted["ANALYTICS_URL"] = HttpService(
                "analytics-store",
                ANALYTICS_STORE_APP,
                log_dir=self.log_dir,
                ready_path="/ping",
                env=_child_env({"ANALYTICS_DATA_DIR": str(self.run_dir / "analytics")}),
            )
        self.env.update({variable: service.url for variable, service in wanted.items()})
        self.env.setdefault("PLATFORM_ADMIN_KEY", secrets.token_urlsafe(24))
        self.env.setdefault("TOKEN_SECRET", secrets.token_urlsafe(48))
        if self.embedded and "PLATFORM_SETTINGS_FILE" not in self._given:
            settings_file = self.run_dir / "platform-settings.env"
            settings_file.write_text("# settings over the environment, read again on SIGHUP\n")
            self.env["PLATFORM_SETTINGS_FILE"] = str(settings_file)
        # A throwaway stack: cheap password hashing (the hash records its own cost, so this is safe).
        # Short circuit and pool waits, so fault scenarios see a recovery in seconds.
        platform_env = _child_env(
            {
                **self.env,
                "PLATFORM_PROFILE": "test",
                "TZ": far_time_zone(datetime.now(UTC)),
                "CLOCK_SETTABLE": "1",  # a scenario may make its company's clock stand at an edge
                "PASSWORD_HASH_ITERATIONS": "1000",
                "BREAKER_RESET_SECONDS": "3",
                "DB_POOL_TIMEOUT_SECONDS": "2",
                # a server that takes connections but never answers: found out in 2 s, named 3 s after start
                "DB_CONNECT_TIMEOUT_SECONDS": "2",
                "STARTUP_TIMEOUT_SECONDS": "3",
                "ASSISTANT_RUN_LEASE_SECONDS": "5",
                "SHUTDOWN_GRACE_SECONDS": "5",  # told to stop, running questions have 5 s to end
                # failed sign-ins counted over 3 s, so a scenario sees the throttle lift; 20 from one address
                "SIGN_IN_WINDOW_SECONDS": "3",
                "SIGN_IN_FAILURES_PER_SOURCE": "20",
                # look-ups per person and minute: above the 8 one question may make, below two such questions
                "ASSISTANT_TOOL_CALLS_PER_MINUTE": "12",
                # a conversation's memory bounded in characters within a few questions (200,000 in production)
                "ASSISTANT_MEMORY_CHARACTERS": "10000",
            }
        )
        platform_app = self._platform_app
        if self.planted_defect:
            platform_app, platform_env["PLANTED_DEFECT"] = PLANTED_PLATFORM_APP, self.planted_defect
        # Two instances sharing the database and Redis, for scale-out: a run's events reach either.
        self.platform = HttpService(
            "platform",
            platform_app,
            log_dir=self.log_dir,
            ready_path=Operations.READY,
            env=platform_env,
            workers=self._platform_workers,
            options=PLATFORM_OPTIONS,
        )
        self.platform_2 = HttpService(
            "platform-2",
            platform_app,
            log_dir=self.log_dir,
            ready_path=Operations.READY,
            env=platform_env,
            options=PLATFORM_OPTIONS,
        )
        # Every address is known before anything runs, so all services boot side by side; the platform
        # imports its code while the database starts. The two instances are forked from one import of it
        # when they can be (one CPU-second less on a start-up that has two cores for everything); a restart
        # is a process of its own. Spawned from this thread because a child is signalled when the thread
        # that spawned it ends.
        instances = [self.platform, self.platform_2]
        forked = (
            ForkedInstances(platform_app, instances, log_dir=self.log_dir, run_dir=self.run_dir, env=platform_env)
            if self._fork_instances and self.platform.forkable_with(self.platform_2)
            else None
        )
        dependencies = [*([self.doubles] if self.doubles else []), *wanted.values()]
        for service in [*dependencies, *([forked] if forked else instances)]:
            self.started.append(service)  # listed first, so a half-started service is stopped too
            service.launch()
        for service in dependencies:
            service.wait_ready()
        if self.postgres is None:  # a database of someone else's: brought to the newest schema
            from app.adapters.migrate import upgrade_to_head

            upgrade_to_head(self.env["DATABASE_URL"])
        if forked:
            forked.wait_ready()
            self.started += instances  # stopped before the process they were forked from
        self.platform.wait_ready()
        self.platform_2.wait_ready()
        self.env["PLATFORM_URL"] = self.platform.url
        self.env["PLATFORM_URLS"] = f"{self.platform.url},{self.platform_2.url}"
        self.env["PLATFORM_LOGS"] = f"{self.platform.log_path},{self.platform_2.log_path}"
        owned = {
            name: server
            for name, server in (
                ("postgres", self.postgres),
                ("redis", self.redis),
                ("analytics-store", self.analytics),
                ("platform", self.platform),
                ("platform-2", self.platform_2),
            )
            if server
        }
        if owned:
            self.control = StackControl(owned).start()
            self.env["STACK_CONTROL_URL"] = self.control.url

    def stop(self) -> None:
        """Stops every started service, newest first; idempotent."""
        while self.started:
            service = self.started.pop()
            try:
                service.stop()
            except Exception as exc:  # keep stopping the others
                print(f"stack: could not stop {type(service).__name__}: {exc}", file=sys.stderr)
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES and k != "PLANTED_DEFECT"}
    return {**env, **extra}


_live_stacks: list[Stack] = []


def _stop_on_exit(stack: Stack) -> None:
    """Stops the stack at interpreter exit and on SIGTERM/SIGHUP, not only on a clean after_all."""
    if not _live_stacks:
        atexit.register(lambda: [s.stop() for s in list(_live_stacks)])
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous = signal.getsignal(sig)
            if previous in (signal.SIG_DFL, None):
                signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    _live_stacks.append(stack)
