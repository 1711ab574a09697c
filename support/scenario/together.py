"""Requests sent at the same moment: each from a thread of its own, released together once all are ready; and
batches of them sent while a long job holds the company's records, so that each is under way, whatever the
machine's speed, before the job ends."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from threading import Barrier
from typing import TypeVar

from hamcrest import assert_that, equal_to, has_length

from support.clients.faults import HeldTenantLock
from support.clients.platform_api import Answer
from support.report.evidence import attach_json
from support.scenario.eventually import eventually

T = TypeVar("T")
READY_SECONDS = 10  # the threads wait at most this long for each other before the first is sent


def sent_together(count: int, send: Callable[[int], T]) -> list[T]:
    """``send(0)`` to ``send(count - 1)`` started at the same moment; their results in that order."""
    ready = Barrier(count)

    def released(index: int) -> T:
        ready.wait(timeout=READY_SECONDS)
        return send(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(released, range(count)))


def sent_behind(job: HeldTenantLock, *batches: tuple[int, Callable[[int], T]], what: str) -> list[list[T]]:
    """Each batch ``(count, send)`` sent at the same moment, the next once every request sent so far waits
    behind ``job`` (at the job itself, or behind a request that does); once all do, the job ends. The
    answers, batch by batch. ``what``: the requests, as a failure names them."""
    with ThreadPoolExecutor(len(batches)) as pool:
        sending, sent = [], 0
        for count, send in batches:
            sending.append(pool.submit(sent_together, count, send))
            sent += count
            eventually(partial(_waiting, job, sent, what), timeout=15)
        job.release()
        return [answers.result(timeout=60) for answers in sending]


def _waiting(job: HeldTenantLock, requests: int, what: str) -> None:
    assert_that(job.waiting_behind(), has_length(requests), f"{what}, waiting behind the long job")


def the_one_done(answers: list[Answer]) -> Answer:
    """Of requests sent together, the one that was done (the first answer, when none was)."""
    return next((answer for answer in answers if answer.ok), answers[0])


def done_once(answers: list[Answer], *, done: int, refused: tuple[int, str], what: str) -> None:
    """One of the requests sent together was done (answered ``done``), and each other refused as one sent after
    it would be (``refused``: the status and the error's code). ``what``: the requests, as a failure names them."""
    attach_json(f"{what}, as answered", [answer.body for answer in answers])
    assert_that(
        sorted((answer.status, answer.error_code or "") for answer in answers),
        equal_to(sorted([(done, ""), *[refused] * (len(answers) - 1)])),
        what,
    )
