"""The seeds' figures checked as ratios to the yardstick of the same run, with the thresholds of
features/performance/thresholds.toml, the figures and their charts attached to the report."""

from __future__ import annotations

import json
import tomllib
from typing import Any

from hamcrest import assert_that, described_as, empty, equal_to, has_length

from support.areas.assistant.at_scale import PersonRun
from support.areas.performance import charts
from support.areas.performance.api_load import Reads
from support.report.evidence import attach_json, attach_svg
from support.report.layout import REPO_ROOT
from support.scenario.world import World

THRESHOLDS = REPO_ROOT / "features" / "performance" / "thresholds.toml"
SCALE_CURVE = REPO_ROOT / "docs" / "figures" / "scale_curve.svg"  # drawn by bench.scale_curve
SCALE_CURVE_RUNS = REPO_ROOT / "bench" / "figures" / "scale_curve.json"


def thresholds(kind: str) -> dict[str, Any]:
    return dict(tomllib.loads(THRESHOLDS.read_text())[kind])


def burst_within_thresholds(world: World) -> None:
    """Wall time and the slowest twentieth's wait as ratios of the yardstick's, the share told busy, and what
    the burst cost the platform (CPU per question, memory): every figure past its threshold named at once."""
    limits = thresholds("burst")
    platform_runs: list[PersonRun] = world.assistant.crowd_runs
    platform, (yard_runs, yard) = world.assistant.crowd_figures, world.performance.yardstick
    figures = {
        "people": len(platform_runs),
        "wall_s": {"platform": platform["wall_s"], "yardstick": yard["wall_s"]},
        "p95_s": {"platform": platform["latency_s"]["p95"], "yardstick": yard["latency_s"]["p95"]},
        "wall_ratio": round(platform["wall_s"] / yard["wall_s"], 2),
        "p95_ratio": round(platform["latency_s"]["p95"] / yard["latency_s"]["p95"], 2),
        "busy_share": round(sum(1 for r in platform_runs if r.busy_answers) / len(platform_runs), 3),
    }
    attach_json("burst against the yardstick (ratios of the same run)", {"measured": figures, "thresholds": limits})
    latencies = {
        "the platform": [r.seconds for r in platform_runs if r.seconds is not None],
        "the yardstick": [r.seconds for r in yard_runs if r.seconds is not None],
    }
    attach_svg("latency from question to answer", charts.histogram("Latency: question to whole answer", latencies))
    attach_svg("answers completed over time", charts.over_time("Answers completed per second", latencies))
    _attach_the_scale_curve()
    over = {
        name: (figures[name], limits[name])
        for name in ("wall_ratio", "p95_ratio", "busy_share")
        if figures[name] > limits[name]
    }
    over |= _costs_over(platform)
    assert_that(over, equal_to({}), "figures past their threshold (measured, threshold)")


def _attach_the_scale_curve() -> None:
    """The last scale curve bench.scale_curve drew (250 to 2,000 people at once), named as the separate run it is."""
    if SCALE_CURVE.exists() and SCALE_CURVE_RUNS.exists():
        row = json.loads(SCALE_CURVE_RUNS.read_text())
        attach_svg(
            f"scale curve: bench.scale_curve on {row['measured']}, tree {row['tree']} (a separate run, not this one)",
            SCALE_CURVE.read_text(),
        )


def _costs_over(platform: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """The platform's CPU per question and its instances' peak memory added up, against the thresholds file
    (absolute figures of this kind of machine, not ratios): those past their threshold. Not checked when the
    instances are not on this machine (a deployment), which the report says."""
    limits = thresholds("costs")
    figures = {
        "cpu_ms_per_question": platform["cpu_ms_per_question"],
        "memory_mb": round(sum(platform["peak_memory_mb_by_instance"].values()), 1),
        "instances_measured": len(platform["peak_memory_mb_by_instance"]),
    }
    attach_json("what the burst cost the platform", {"measured": figures, "thresholds": limits})
    if figures["cpu_ms_per_question"] is None:
        attach_json("costs not checked", {"why": "the platform's instances are not processes of this machine"})
        return {}
    return {
        name: (figures[name], limits[name])
        for name in ("cpu_ms_per_question", "memory_mb")
        if figures[name] > limits[name]
    }


def every_read_whole_and_own(world: World) -> None:
    """Every answer was a whole list; each company's people were shown its one deal and no other company's."""
    reads: Reads = world.performance.api_reads
    people = len(world.assistant.crowd_members)
    assert_that(reads.wrong, described_as("answers that were not a whole list of deals", empty()))
    for company, ids in reads.shown.items():
        assert_that(ids, has_length(1), f"the deals {company}'s people were shown (the company has one)")
    shown = [deal for ids in reads.shown.values() for deal in ids]
    assert_that(len(set(shown)), equal_to(len(shown)), "deals shown to the people of more than one company")
    assert_that(len(reads.latencies), equal_to(people * reads.times), "answers: every read of every person")


def reads_within_thresholds(world: World) -> None:
    """The slowest twentieth's wait against the yardstick's and against the seeds' half second, and the answers
    a second against the yardstick's: every figure past its threshold named at once; the charts attached."""
    limits = thresholds("api")
    platform: Reads = world.performance.api_reads
    yard: Reads = world.performance.api_yardstick_reads
    mine, its = platform.figures(), yard.figures()
    p95, yard_p95 = mine["latency_s"]["p95"], its["latency_s"]["p95"]  # type: ignore[index]
    figures = {
        "people": len(world.assistant.crowd_members),
        "answers": mine["answers"],
        "p95_s": {"platform": p95, "yardstick": yard_p95},
        "answers_per_s": {"platform": mine["answers_per_s"], "yardstick": its["answers_per_s"]},
        "p95_ratio": round(p95 / yard_p95, 2),
        "p95_ms": round(p95 * 1000, 1),
        "answers_per_s_share": round(mine["answers_per_s"] / its["answers_per_s"], 3),  # type: ignore[operator]
        "cpu_ms_per_answer": mine["cpu_ms_per_answer"],
    }
    attach_json("reads against the yardstick (ratios of the same run)", {"measured": figures, "thresholds": limits})
    latencies = {"the platform": platform.latencies, "the yardstick": yard.latencies}
    attach_svg(
        "latency from request to answer",
        charts.histogram("Latency: request to answer", latencies, what="seconds from request to answer"),
    )
    attach_svg(
        "answers over time",
        charts.over_time(
            "Answers per second",
            {"the platform": platform.done_at, "the yardstick": yard.done_at},
            since="the first request",
        ),
    )
    over = {name: (figures[name], limits[name]) for name in ("p95_ratio", "p95_ms") if figures[name] > limits[name]}
    if figures["answers_per_s_share"] < limits["answers_per_s_share"]:
        over["answers_per_s_share"] = (figures["answers_per_s_share"], limits["answers_per_s_share"])
    assert_that(over, equal_to({}), "figures past their threshold (measured, threshold)")
