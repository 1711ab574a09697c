"""The closing summary names each failure's step and the lines of its message worth reading: a CI log may show
only the summary, and a matcher given no reason starts its message with a blank line."""

from pathlib import Path

from support.report.terminal import Finished, summary


def _failed(message: str) -> Finished:
    return Finished(
        name="An outage opens the circuit",
        status="failed",
        location="features/resilience/processor_outage.feature:14",
        feature="A failing payment processor",
        step="the operators read in the logs that the circuit to the payment processor opened",
        message=message,
        seconds=6.0,
        evidence=Path("reports/allure-results/x-result.json"),
    )


def test_a_failure_in_the_summary_shows_its_step_and_what_was_expected_past_a_blank_first_line():
    said = summary(
        {"x": _failed("AssertionError: \nExpected: log lines saying it opened\n     but: was <[]>")}, "make rerun"
    )

    assert "  failed in features/resilience/processor_outage.feature:" in said
    assert "          step: the operators read in the logs that the circuit to the payment processor opened" in said
    assert "          Expected: log lines saying it opened" in said
    assert "          but: was <[]>" in said
    assert "AssertionError:" not in said
