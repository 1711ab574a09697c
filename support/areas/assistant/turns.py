"""Each person's turns among their own questions on an instance: at most ``ASSISTANT_RUNS_AT_ONCE_PER_PERSON`` (4)
worked on at once; their others wait for one of those to end, and a colleague's question is not held up.

Read from the events' own times (``ts``): a run is worked on from its first ``agent_thinking`` to its end.

World facts written here: ``assistant.runs`` (each question asked, with its events).
"""

from __future__ import annotations

from datetime import datetime

from hamcrest import assert_that, equal_to, greater_than_or_equal_to, less_than

from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.facts import AskedRun
from support.scenario.world import World

SLOW_QUESTION = "What can you do for us? Take your time"  # the model double thinks 3 s over it


def asks_slow_questions_at_once(world: World, name: str, count: int) -> None:
    """``name`` sends ``count`` questions the model takes its time over, one after the other without waiting."""
    client = chat(world, name)
    for _ in range(count):
        reply = run_async(client.ask(SLOW_QUESTION))
        assert_that(reply["type"], equal_to("accepted"), f"{name}'s question taken: {reply}")
        run = AskedRun(name, client, reply["run_id"], reply["thread_id"], question=SLOW_QUESTION)
        world.assistant.runs.append(run)


def _runs_of(world: World, name: str) -> list[AskedRun]:
    """``name``'s questions, each followed to its end."""
    runs = [run for run in world.assistant.runs if run.asker == name]
    for run in runs:
        if not run.events or run.events[-1]["type"] not in ("agent_completed", "agent_failed"):
            run.events = run_async(run.client.wait_for(run.run_id, timeout=30))
        run.client.attach_transcript()
    return runs


def _worked_on(run: AskedRun) -> tuple[datetime, datetime]:
    """When the run was first worked on (its first thought) and when it ended."""
    began = next(e["ts"] for e in run.events if e["type"] == "agent_thinking")
    return datetime.fromisoformat(began), datetime.fromisoformat(run.events[-1]["ts"])


def most_worked_on_at_once(world: World, name: str, most: int) -> None:
    """At most ``most`` of ``name``'s questions were worked on at any moment, and as many as that were."""
    spans = [_worked_on(run) for run in _runs_of(world, name)]
    at_once = max(sum(1 for began, ended in spans if began <= moment < ended) for moment, _ in spans)
    start = min(began for began, _ in spans)
    shown = ", ".join(
        f"{(b - start).total_seconds():.2f} to {(e - start).total_seconds():.2f} s" for b, e in sorted(spans)
    )
    assert_that(at_once, equal_to(most), f"the most of {name}'s questions worked on at one moment ({shown})")
    waited = sorted(spans)[most][0]
    assert_that(
        waited,
        greater_than_or_equal_to(min(ended for _, ended in spans)),
        "a question past the turns was worked on only once one of the same person's had ended",
    )


def answered_before_any_of(world: World, colleague: str, name: str) -> None:
    """``colleague``'s last question ended before any of ``name``'s."""
    theirs = _worked_on(_runs_of(world, colleague)[-1])[1]
    first_of_name = min(_worked_on(run)[1] for run in _runs_of(world, name))
    assert_that(theirs, less_than(first_of_name), f"{colleague}'s answer came before the first of {name}'s")
