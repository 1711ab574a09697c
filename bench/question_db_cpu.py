"""The CPU a question's database work costs the platform, measured in one process, apart from any load.

    .venv/bin/python -m bench.question_db_cpu --questions 600 --rounds 3

A burst's CPU a question (``bench.assistant_load``) moves by a fifth between two runs of the same tree on
this machine, too much to judge a change of a few per cent. This times only the database work of a
question and its answer, as the platform does it (``AgentRuntime``'s transaction that checks the asker and
stores the question, then the answer's), on the embedded stack's PostgreSQL, one question after another in
this process: the process's own CPU time over ``--questions`` questions, ``--rounds`` times, median printed.
To compare two trees, run it in each (``git worktree add``): the figure moves by a few per cent between
runs of one tree.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.credentials import TokenSigner
from app.adapters.unit_of_work import async_unit_of_work
from app.bootstrap import COMPANY_ROLE
from app.config import Settings
from app.service_layer import assistant_threads, tenancy
from app.service_layer.agent_runtime import AgentRuntime
from support.areas.assistant.crowd import crowd
from support.stack.stack import Stack

QUESTION = "How is my pipeline?"
TOOL_RESULTS = [{"tool": "open_pipeline_summary", "status": "ok"}]


class AlwaysAllowed:
    async def allow(self, *_: Any) -> bool:
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=600, help="questions a round (default 600)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the median printed (default 3)")
    args = parser.parse_args()
    if args.questions < 1 or args.rounds < 1:
        parser.error("--questions and --rounds must be at least 1")
    with Stack() as stack:
        people = crowd(
            stack.env["PLATFORM_URL"], stack.env["PLATFORM_ADMIN_KEY"], companies=4, per_company=5, label="db-cpu"
        )
        os.environ.update(stack.env)
        rounds = asyncio.run(measure([p.token for p in people], stack.env["TOKEN_SECRET"], args))
    print(
        f"database work of a question and its answer: {statistics.median(rounds):.2f} ms of CPU "
        f"(median of {args.rounds} rounds of {args.questions}: {', '.join(f'{r:.2f}' for r in rounds)})"
    )


async def measure(tokens: list[str], secret: str, args: argparse.Namespace) -> list[float]:
    """Each round's CPU milliseconds a question, after a warm-up of 50 questions."""
    settings = Settings()  # type: ignore[call-arg]  # from the stack's environment
    engine = create_async_engine(
        settings.sqlalchemy_url.replace("+psycopg", "+asyncpg", 1),
        pool_size=4,
        connect_args={"server_settings": {"application_name": "bench", "role": COMPANY_ROLE}},
    )
    uow = async_unit_of_work(engine)
    signer = TokenSigner(secret, ttl_seconds=3600)
    runtime = AgentRuntime.__new__(AgentRuntime)  # only what storing a question needs
    runtime._uow, runtime._signer, runtime._limiter = uow, signer, AlwaysAllowed()  # type: ignore[assignment]

    async def one(n: int) -> None:
        token, run_id = tokens[n % len(tokens)], f"{n:032x}"
        principal, thread, _, _ = await runtime._store_question(token, QUESTION, None, run_id)

        def store(work: Any) -> None:
            tenancy.authenticate(work, signer, token)
            assistant_threads.store_answer(
                work,
                principal=principal,
                thread_id=thread,
                run_id=run_id,
                answer="fine",
                tool_results=TOOL_RESULTS,
                tokens=10,
                answer_ms=5,
            )

        await uow(store)

    try:
        for n in range(50):
            await one(n)
        rounds = []
        for _ in range(args.rounds):
            began = time.process_time()
            for n in range(args.questions):
                await one(n)
            rounds.append((time.process_time() - began) / args.questions * 1000)
        return rounds
    finally:
        await engine.dispose()


if __name__ == "__main__":
    main()
