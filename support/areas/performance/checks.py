"""The seeds' figures checked as ratios to the yardstick of the same run, with the thresholds of
features/performance/thresholds.toml, the figures and their charts attached to the report."""

from __future__ import annotations

import tomllib
from typing import Any

from hamcrest import assert_that, equal_to

from support.areas.assistant.at_scale import PersonRun
from support.areas.performance import charts
from support.report.evidence import attach_json, attach_svg
from support.report.layout import REPO_ROOT
from support.scenario.world import World

THRESHOLDS = REPO_ROOT / "features" / "performance" / "thresholds.toml"


def thresholds(kind: str) -> dict[str, Any]:
    return dict(tomllib.loads(THRESHOLDS.read_text())[kind])


def _p95(runs: list[PersonRun]) -> float:
    seconds = sorted(r.seconds for r in runs if r.seconds is not None)
    return seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))] if seconds else float("inf")


def burst_within_thresholds(world: World) -> None:
    """Wall time and the slowest twentieth's wait as ratios of the yardstick's, and the share told busy."""
    limits = thresholds("burst")
    platform_runs: list[PersonRun] = world.assistant.crowd_runs
    platform_wall = world.assistant.crowd_figures["wall_s"]
    yard_runs, yard_wall = world.performance.yardstick
    figures = {
        "people": len(platform_runs),
        "wall_s": {"platform": platform_wall, "yardstick": round(yard_wall, 3)},
        "p95_s": {"platform": round(_p95(platform_runs), 3), "yardstick": round(_p95(yard_runs), 3)},
        "wall_ratio": round(platform_wall / yard_wall, 2),
        "p95_ratio": round(_p95(platform_runs) / _p95(yard_runs), 2),
        "busy_share": round(sum(1 for r in platform_runs if r.busy_answers) / len(platform_runs), 3),
    }
    attach_json("burst against the yardstick (ratios of the same run)", {"measured": figures, "thresholds": limits})
    latencies = {
        "the platform": [r.seconds for r in platform_runs if r.seconds is not None],
        "the yardstick": [r.seconds for r in yard_runs if r.seconds is not None],
    }
    attach_svg("latency from question to answer", charts.histogram("Latency: question to whole answer", latencies))
    attach_svg("answers completed over time", charts.over_time("Answers completed per second", latencies))
    over = {
        name: (figures[name], limits[name])
        for name in ("wall_ratio", "p95_ratio", "busy_share")
        if figures[name] > limits[name]
    }
    assert_that(over, equal_to({}), "figures past their threshold (measured, threshold)")
