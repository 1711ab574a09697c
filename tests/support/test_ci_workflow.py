"""The CI examples run the README's test command and keep the results a reviewer needs."""

import re

import yaml

from support.report.layout import REPO_ROOT


def _readme_test_command() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    return re.search(r"^(make test)\b", readme, re.M).group(1)


def test_the_github_workflow_parses_and_runs_the_readme_test_command():
    workflow = yaml.safe_load((REPO_ROOT / ".github/workflows/spec.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == _readme_test_command() for step in steps), steps
    uploaded = {step["with"]["path"] for step in steps if "upload-artifact" in step.get("uses", "")}
    assert {"reports/junit/", "reports/allure-report/", "reports/docs/"} <= uploaded
    cached = {step["with"]["path"] for step in steps if "cache" in step.get("uses", "")}
    assert "reports/allure-history.jsonl" in cached, "the report's history survives between runs"


def test_the_gitlab_pipeline_parses_and_runs_the_readme_test_command():
    job = yaml.safe_load((REPO_ROOT / ".gitlab-ci.yml").read_text())["spec"]
    assert _readme_test_command() in job["script"]
    assert job["artifacts"]["reports"]["junit"].startswith("reports/junit/")
    assert {"reports/allure-report/", "reports/docs/"} <= set(job["artifacts"]["paths"])
    assert any("reports/allure-history.jsonl" in cache["paths"] for cache in job["cache"])


def test_ci_run_calls_the_readme_test_command():
    assert _readme_test_command() in (REPO_ROOT / ".ci/run").read_text()


def test_both_examples_split_the_specification_over_three_machines_and_merge_it():
    jobs = yaml.safe_load((REPO_ROOT / ".github/workflows/spec.yml").read_text())["jobs"]
    assert jobs["spec-shard"]["strategy"]["matrix"]["shard"] == [1, 2, 3]
    assert any("make spec SHARD=" in step.get("run", "") for step in jobs["spec-shard"]["steps"])
    assert jobs["spec-merged"]["needs"] == "spec-shard"
    assert any(step.get("run", "").startswith("make merge SHARDS=") for step in jobs["spec-merged"]["steps"])
    gitlab = yaml.safe_load((REPO_ROOT / ".gitlab-ci.yml").read_text())
    assert gitlab["spec-shard"]["parallel"] == 3
    assert any("make spec SHARD=$CI_NODE_INDEX/$CI_NODE_TOTAL" in line for line in gitlab["spec-shard"]["script"])
    assert any(line.startswith("make merge SHARDS=") for line in gitlab["spec-merged"]["script"])
