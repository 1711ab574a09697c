"""The CPU the platform spends on each e-mail it sends from its outbox, measured on the embedded stack.

    .venv/bin/python -m bench.mail_cpu --mails 600 --rounds 3

Each round puts ``--mails`` messages in one company's outbox at once (as invoices do, one with each), then
waits until the instances' senders have sent every one to the stack's mail server; the figure is both
instances' CPU over that time divided by the mails, the median of the rounds printed. To compare two trees,
run it in a worktree of each, alternated: it moves by a tenth between runs of one tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psutil
from sqlalchemy import Engine, create_engine, text

from support.areas.assistant.crowd import crowd
from support.stack.stack import Stack

EVERY_COMPANY = "all"  # what the outbox's sender reads as: every company's mail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=600, help="mails a round (default 600)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the median printed (default 3)")
    args = parser.parse_args()
    if args.mails < 1 or args.rounds < 1:
        parser.error("--mails and --rounds must be at least 1")
    with Stack() as stack:
        crowd(stack.env["PLATFORM_URL"], stack.env["PLATFORM_ADMIN_KEY"], companies=1, per_company=1, label="mail")
        os.environ.update(stack.env)
        from app.config import Settings

        engine = create_engine(Settings().sqlalchemy_url)  # type: ignore[call-arg]  # from the stack's environment
        instances = [psutil.Process(s.process.pid) for s in (stack.platform, stack.platform_2) if s and s.process]
        rounds = [one_round(engine, instances, args.mails) for _ in range(args.rounds)]
    cpu = [ms for ms, _ in rounds]
    print(
        f"platform CPU per mail sent: {statistics.median(cpu):.2f} ms (median of {args.rounds} rounds of "
        f"{args.mails}: {', '.join(f'{ms:.2f} ms in {wall:.1f} s' for ms, wall in rounds)})"
    )


def one_round(engine: Engine, instances: list[psutil.Process], mails: int) -> tuple[float, float]:
    """Both instances' CPU milliseconds a mail, and the seconds until the last was sent."""
    time.sleep(2)  # whatever the instances were doing settles
    company = _any_company(engine)
    began_cpu, began = _cpu(instances), time.monotonic()
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', :company, true)"), {"company": company})
        conn.execute(
            text(
                "INSERT INTO outbox (id, tenant_id, to_address, subject, body, status, attempts, next_attempt_at, "
                "created_at) SELECT gen_random_uuid(), :company, 'someone@example.com', 'Invoice ' || n, "
                "'Your invoice ' || n, 'pending', 0, now(), now() FROM generate_series(1, :mails) n"
            ),
            {"company": company, "mails": mails},
        )
    while _pending(engine):
        time.sleep(0.05)
    return (_cpu(instances) - began_cpu) * 1000 / mails, time.monotonic() - began


def _any_company(engine: Engine) -> str:
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', :all, true)"), {"all": EVERY_COMPANY})
        return str(conn.execute(text("SELECT id FROM tenants ORDER BY created_at DESC LIMIT 1")).scalar_one())


def _pending(engine: Engine) -> int:
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', :all, true)"), {"all": EVERY_COMPANY})
        return int(conn.execute(text("SELECT count(*) FROM outbox WHERE status = 'pending'")).scalar_one())


def _cpu(processes: list[psutil.Process]) -> float:
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes)


if __name__ == "__main__":
    main()
